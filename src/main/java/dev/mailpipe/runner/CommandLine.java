package dev.mailpipe.runner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parsed command line of {@code java -jar mailpipe.jar}; {@code settings} are the {@code
 * -Dkey=value} arguments, which count as JVM system properties (camel-main users give settings so).
 */
public record CommandLine(
        Mode mode, Optional<Path> propertiesFile, List<String> arguments, Map<String, String> settings) {

    /** What the process was asked to do. */
    public enum Mode {
        RUN,
        DEMO,
        LEDGER,
        STATUS,
        CHECK,
        LOGIN,
        PARSE,
        VERSION,
        HELP
    }

    /** The system property the launcher sets to the command it was run as ({@code bin/mailpipe}). */
    public static final String COMMAND_NAME = "mailpipe.command";

    private static final String USAGE_TEMPLATE = """
            Usage: %1$s [--properties FILE] [-Dkey=value...]   drain the configured mailboxes (runs until stopped)
                   %1$s check [--json]           check every mailbox, sink and the ledger without changing anything
                   %1$s login [--route ROUTE_ID] sign a mailbox in (OAuth2: device code or browser), write its
                                                 refresh token file, and open the mailbox with it
                   %1$s --demo                   drain a built-in demo mailbox into ./mailpipe-demo-out, then exit
                   %1$s ledger stats | list [STATE] [--mailbox M] [--limit N] | forget KEY | retry KEY
                                                 inspect or repair the delivery ledger
                   %1$s status [--json]          per mailbox: last poll, failures, delivered, waiting, dead-lettered,
                                                 at risk, last delivery, last error (and readiness, if running)
                   %1$s parse FILE...            print each message file as a JSON mail event, one per line
                   %1$s --version                print mailpipe's, Camel's and Java's versions
                   %1$s --help                   show this help
            --properties FILE and -Dkey=value may come before or after a command.

            Settings come from application.properties, then FILE (or $MAILPIPE_CONFIG), then
            -Dkey=value, then environment variables (mailbox.host -> MAILBOX_HOST); later wins,
            except that -D wins over the environment for camel.main.* settings.
            Routes are loaded from routes/*.yaml (camel.main.routesIncludePattern).
            See README.md for every setting.

            Exit codes: 0 done (a normal stop, SIGTERM included; a one-shot run that left nothing undelivered)
                        1 failure   2 bad usage or configuration
                        3 a one-shot run ended while the mailbox could not be polled (login, TLS, DNS, network)
                        4 a one-shot run ended with messages undelivered (an outage, or messages still failing)
            check:      0 everything will work   3 a mailbox fails   4 a sink or the ledger fails   2 configuration
            login:      0 signed in and the mailbox opens   3 the sign-in failed, was denied or expired   2 configuration""";

    /** The help, naming the command as it was run ({@code bin/mailpipe}, else {@code java -jar mailpipe.jar}). */
    public static String usage() {
        String command = System.getProperty(COMMAND_NAME);
        return String.format(
                java.util.Locale.ROOT,
                USAGE_TEMPLATE,
                command == null || command.isBlank() ? "java -jar mailpipe.jar" : command);
    }

    /**
     * Parses the arguments; {@code configFromEnv} is $MAILPIPE_CONFIG, used when --properties is absent.
     * {@code --properties FILE} may also follow the {@code ledger} subcommand; everything after
     * {@code parse} is a file name.
     */
    public static CommandLine parse(String[] args, String configFromEnv) {
        Mode mode = Mode.RUN;
        Path properties = configFromEnv == null || configFromEnv.isBlank() ? null : Path.of(configFromEnv);
        List<String> arguments = new ArrayList<>();
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (mode == Mode.PARSE) {
                arguments.add(arg);
            } else if (arg.startsWith("-D")) {
                int equals = arg.indexOf('=');
                if (equals < 3) {
                    throw new IllegalArgumentException("'" + arg + "' is not a setting: write -Dkey=value");
                }
                settings.put(arg.substring(2, equals), arg.substring(equals + 1));
            } else if (arg.equals("--properties")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--properties needs a file name");
                }
                properties = Path.of(args[++i]);
            } else if (mode == Mode.LEDGER || mode == Mode.STATUS || mode == Mode.CHECK || mode == Mode.LOGIN) {
                arguments.add(arg);
            } else {
                mode = switch (arg) {
                    case "ledger" -> Mode.LEDGER;
                    case "status" -> Mode.STATUS;
                    case "check" -> Mode.CHECK;
                    case "login" -> Mode.LOGIN;
                    case "parse" -> Mode.PARSE;
                    case "--help", "-h" -> Mode.HELP;
                    case "--version", "-V" -> Mode.VERSION;
                    case "--demo" -> Mode.DEMO;
                    default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
                };
            }
        }
        if ((mode == Mode.RUN || mode == Mode.LEDGER || mode == Mode.STATUS || mode == Mode.CHECK || mode == Mode.LOGIN)
                && properties != null
                && !Files.isReadable(properties)) {
            throw new IllegalArgumentException("cannot read properties file " + properties);
        }
        return new CommandLine(mode, Optional.ofNullable(properties), List.copyOf(arguments), Map.copyOf(settings));
    }
}
