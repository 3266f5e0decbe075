package dev.mailpipe;

import dev.mailpipe.check.CheckCommand;
import dev.mailpipe.check.LoginCommand;
import dev.mailpipe.config.BuildInfo;
import dev.mailpipe.config.ConfigurationException;
import dev.mailpipe.config.Settings;
import dev.mailpipe.demo.DemoRun;
import dev.mailpipe.ledger.Ledger;
import dev.mailpipe.ledger.LedgerCommand;
import dev.mailpipe.ledger.LedgerSettings;
import dev.mailpipe.mime.ParseCommand;
import dev.mailpipe.ops.ManagementSettings;
import dev.mailpipe.ops.StatusCommand;
import dev.mailpipe.runner.CommandLine;
import dev.mailpipe.runner.KnownKeys;
import dev.mailpipe.runner.MailpipeRunner;
import dev.mailpipe.runner.StandaloneSettings;
import jakarta.mail.util.StreamProvider;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.eclipse.angus.mail.util.MailStreamProvider;

/** Entry point of {@code java -jar mailpipe.jar}: reads the command line and starts camel-main. */
public final class Application {

    private Application() {}

    public static void main(String[] args) {
        nameTheMailStreamProvider();
        logToStandardError(args);
        System.exit(run(args, System.out, System.err));
    }

    /**
     * The check and status commands print their findings on standard output, for scripts too
     * ({@code --json}): their log goes to standard error, warnings and errors only. Set before
     * anything logs, so Log4j reads this configuration first.
     */
    static void logToStandardError(String[] args) {
        try {
            CommandLine.Mode mode = CommandLine.parse(args, null).mode();
            if ((mode == CommandLine.Mode.CHECK || mode == CommandLine.Mode.LOGIN)
                    && System.getProperty(LOG4J_CONFIGURATION) == null) {
                System.setProperty(LOG4J_CONFIGURATION, "log4j2-command.xml");
            }
        } catch (IllegalArgumentException e) {
            // run() reports it.
        }
    }

    private static final String LOG4J_CONFIGURATION = "log4j2.configurationFile";

    /**
     * Jakarta Mail 2.1 looks up its {@link StreamProvider} with a ServiceLoader scan of the class
     * path on every header block, body part and encoded word it parses: 7% of a drain's CPU, plus
     * the JIT's work on the scan (docs/benchmarks.md). Naming the provider skips the scan. A
     * {@code -D} setting of the user's wins.
     */
    static void nameTheMailStreamProvider() {
        if (System.getProperty(StreamProvider.class.getName()) == null) {
            System.setProperty(StreamProvider.class.getName(), MailStreamProvider.class.getName());
        }
    }

    /**
     * Runs one command and returns its exit code: 0 done, 1 failed, 2 bad usage or configuration, 3
     * and 4 a one-shot run that ended with the mailbox unpolled or messages undelivered (README's table).
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine command;
        try {
            command = CommandLine.parse(args, System.getenv("MAILPIPE_CONFIG"));
        } catch (IllegalArgumentException e) {
            err.println("mailpipe: " + e.getMessage());
            err.println(CommandLine.usage());
            return 2;
        }
        // As if given to the JVM: every part of mailpipe (and camel-main) reads -D settings there.
        command.settings().forEach(System::setProperty);
        try {
            return switch (command.mode()) {
                case VERSION -> {
                    out.println(BuildInfo.current());
                    yield 0;
                }
                case HELP -> {
                    out.println(CommandLine.usage());
                    yield 0;
                }
                case DEMO -> new DemoRun(out, Path.of(DemoRun.OUTPUT)).run();
                case RUN -> MailpipeRunner.run(command.propertiesFile(), Map.of());
                case LEDGER -> ledger(command, out, err);
                case STATUS -> status(command, out, err);
                case CHECK -> new CheckCommand(out, err).run(command.propertiesFile(), command.arguments());
                case LOGIN -> new LoginCommand(out, err).run(command.propertiesFile(), command.arguments());
                case PARSE -> new ParseCommand(out, err).run(command.arguments());
            };
        } catch (Exception e) {
            ConfigurationException bad = ConfigurationException.in(e);
            if (bad != null) {
                err.println("mailpipe: configuration error: " + routeOf(e) + bad.getMessage());
                return 2;
            }
            err.println("mailpipe: failed: " + e);
            return 1;
        }
    }

    /** "route ID: " when the failure is a route's (one of several mailboxes on one host), else "". */
    private static String routeOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.apache.camel.FailedToCreateRouteException route && route.getRouteId() != null) {
                return "route " + route.getRouteId() + ": ";
            }
            if (t instanceof org.apache.camel.FailedToStartRouteException route && route.getRouteId() != null) {
                return "route " + route.getRouteId() + ": ";
            }
        }
        return "";
    }

    private static int ledger(CommandLine command, PrintStream out, PrintStream err) throws Exception {
        Settings settings = standaloneSettings(command);
        try (Ledger ledger = openLedger(settings)) {
            return new LedgerCommand(ledger, out, err).run(command.arguments());
        }
    }

    private static int status(CommandLine command, PrintStream out, PrintStream err) throws Exception {
        Settings settings = standaloneSettings(command);
        try (Ledger ledger = openLedger(settings)) {
            return new StatusCommand(ledger, ManagementSettings.from(settings), out, err).run(command.arguments());
        }
    }

    private static Settings standaloneSettings(CommandLine command) throws java.io.IOException {
        KnownKeys.checkUserSettings(command.propertiesFile());
        return new Settings(StandaloneSettings.load(command.propertiesFile(), System.getenv()));
    }

    private static Ledger openLedger(Settings settings) throws java.sql.SQLException {
        LedgerSettings where = LedgerSettings.from(settings);
        return Ledger.open(
                where.url(), where.username().orElse(null), where.password().orElse(null), Clock.systemUTC());
    }
}
