package dev.mailpipe.runner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The parsed command line of {@code java -jar mailpipe.jar}. */
public record CommandLine(Mode mode, Optional<Path> propertiesFile, List<String> arguments) {

    /** What the process was asked to do. */
    public enum Mode {
        RUN,
        DEMO,
        LEDGER,
        STATUS,
        PARSE,
        HELP
    }

    public static final String USAGE = """
            Usage: java -jar mailpipe.jar [--properties FILE]   drain the configured mailbox (runs until stopped)
                   java -jar mailpipe.jar --demo                drain a built-in demo mailbox into ./mailpipe-out, then exit
                   java -jar mailpipe.jar ledger stats | list [STATE] [--limit N] | forget KEY [--properties FILE]
                                                                inspect or repair the delivery ledger
                   java -jar mailpipe.jar status [--json] [--properties FILE]
                                                                per mailbox: delivered, waiting, dead-lettered, at risk,
                                                                last delivery, last error (and readiness, if running)
                   java -jar mailpipe.jar parse FILE...         print each message file as a JSON mail event, one per line
                   java -jar mailpipe.jar --help                show this help

            Settings come from application.properties, then FILE (or $MAILPIPE_CONFIG), then
            -Dkey=value, then environment variables (mailbox.host -> MAILBOX_HOST); later wins,
            except that -D wins over the environment for camel.main.* settings.
            Routes are loaded from routes/*.yaml (camel.main.routesIncludePattern).
            See README.md for every setting.

            Exit codes: 0 done (a normal stop, SIGTERM included; a one-shot run that left nothing undelivered)
                        1 failure   2 bad usage or configuration
                        3 a one-shot run ended while the mailbox could not be polled (login, TLS, DNS, network)
                        4 a one-shot run ended with messages undelivered (an outage, or messages still failing)""";

    /**
     * Parses the arguments; {@code configFromEnv} is $MAILPIPE_CONFIG, used when --properties is absent.
     * {@code --properties FILE} may also follow the {@code ledger} subcommand; everything after
     * {@code parse} is a file name.
     */
    public static CommandLine parse(String[] args, String configFromEnv) {
        Mode mode = Mode.RUN;
        Path properties = configFromEnv == null || configFromEnv.isBlank() ? null : Path.of(configFromEnv);
        List<String> arguments = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (mode == Mode.PARSE) {
                arguments.add(arg);
            } else if (arg.equals("--properties")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--properties needs a file name");
                }
                properties = Path.of(args[++i]);
            } else if (mode == Mode.LEDGER || mode == Mode.STATUS) {
                arguments.add(arg);
            } else {
                mode = switch (arg) {
                    case "ledger" -> Mode.LEDGER;
                    case "status" -> Mode.STATUS;
                    case "parse" -> Mode.PARSE;
                    case "--help", "-h" -> Mode.HELP;
                    case "--demo" -> Mode.DEMO;
                    default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
                };
            }
        }
        if ((mode == Mode.RUN || mode == Mode.LEDGER || mode == Mode.STATUS)
                && properties != null
                && !Files.isReadable(properties)) {
            throw new IllegalArgumentException("cannot read properties file " + properties);
        }
        return new CommandLine(mode, Optional.ofNullable(properties), List.copyOf(arguments));
    }
}
