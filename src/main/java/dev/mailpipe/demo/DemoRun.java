package dev.mailpipe.demo;

import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.runner.MailpipeRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * {@code --demo}: seeds an embedded POP3S mailbox, runs the shipped routes against it until the
 * mailbox is drained and idle, then reports where the messages went. Needs no network and no settings.
 */
public final class DemoRun {

    /** The shipped routes inside the jar (the build copies routes/ there). */
    static final String SHIPPED_ROUTES = "classpath:routes/mailbox.camel.yaml,"
            + "classpath:routes/inbox-to-files.camel.yaml,classpath:routes/mailpipe-errors.camel.yaml";

    /** The demo stops this long after the last message was stored. */
    private static final int IDLE_SECONDS_BEFORE_EXIT = 3;

    private final PrintStream out;
    private final Path outDir;

    /** A demo that reports to {@code out} and stores the drained mail under {@code outDir}. */
    public DemoRun(PrintStream out, Path outDir) {
        this.out = out;
        this.outDir = outDir.toAbsolutePath();
    }

    public int run() throws Exception {
        Path work = Files.createTempDirectory("mailpipe-demo-");
        try (DemoMailServer server = DemoMailServer.start(work)) {
            List<byte[]> messages = DemoMessages.all();
            for (byte[] message : messages) {
                server.deliver(message);
            }
            MailboxId mailbox = new MailboxId("pop3s", "localhost", server.port(), DemoMailServer.USER);

            Map<String, String> settings = new HashMap<>();
            settings.put("mailbox.protocol", mailbox.protocol());
            settings.put("mailbox.host", mailbox.host());
            settings.put("mailbox.port", Integer.toString(mailbox.port()));
            settings.put("mailbox.username", mailbox.username());
            settings.put("mailbox.password", DemoMailServer.PASSWORD);
            settings.put("mailbox.caFile", server.caFile().toString());
            settings.put("mailbox.pollDelay", "500");
            settings.put(FilesLayout.DIR, outDir.toString());
            // The demo mailbox lives only for this run; so does its ledger.
            settings.put("ledger.dir", work.resolve("ledger").toString());
            settings.put("camel.main.durationMaxIdleSeconds", Integer.toString(IDLE_SECONDS_BEFORE_EXIT));
            if (!Files.isDirectory(Path.of("routes"))) {
                // Run from outside the project folder: use the copy of the shipped routes inside the jar,
                // named one by one: a wildcard makes Camel read the whole jar to find them (0.9 s, twice).
                settings.put("camel.main.routesIncludePattern", SHIPPED_ROUTES);
            }
            int exitCode = MailpipeRunner.run(Optional.empty(), settings, new IgnoreUserEnvironment());

            Path folder = new FilesLayout(outDir, mailbox).mailboxFolder();
            long stored = countEml(folder);
            int left = server.messagesLeft();
            out.printf(
                    "mailpipe demo: stored %d of %d messages from %s as .eml files in %s; the mailbox now holds %d.%n",
                    stored, messages.size(), mailbox, folder, left);
            return exitCode == 0 && stored == messages.size() && left == 0 ? 0 : 1;
        }
    }

    private static long countEml(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".eml"))
                    .count();
        }
    }

    /** The demo must never reach a real mailbox configured in the user's environment. */
    private static final class IgnoreUserEnvironment extends MainListenerSupport {
        @Override
        public void beforeConfigure(BaseMainSupport main) {
            PropertiesComponent properties =
                    (PropertiesComponent) main.getCamelContext().getPropertiesComponent();
            properties.setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_NEVER);
            properties.setSystemPropertiesMode(PropertiesComponent.SYSTEM_PROPERTIES_MODE_NEVER);
        }
    }
}
