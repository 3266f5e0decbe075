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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --demo}: seeds an embedded POP3S mailbox, runs the shipped routes against it until the
 * mailbox is drained and idle, then reports where the messages went. Needs no network and no settings.
 */
public final class DemoRun {

    private static final Logger LOG = LoggerFactory.getLogger(DemoRun.class);

    /** The shipped routes inside the jar (the build copies routes/ there). */
    static final String SHIPPED_ROUTES = "classpath:routes/mailbox.camel.yaml,"
            + "classpath:routes/inbox-to-files.camel.yaml,classpath:routes/mailpipe-errors.camel.yaml";

    /**
     * The demo's own output folder, beside the current folder: never the files sink's default
     * ({@code mailpipe-out}), so a demo's mail does not mix with a real run's.
     */
    public static final String OUTPUT = "mailpipe-demo-out";

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
        List<byte[]> messages = DemoMessages.all();
        MailboxId mailbox = new MailboxId("pop3s", "localhost", DemoMailServer.freeLoopbackPort(), DemoMailServer.USER);
        // The demo's own server starts and takes the demo mail beside camel-main's start, on the other
        // core, instead of before it; the routes wait for it (ServerReady).
        ExecutorService starter = Executors.newSingleThreadExecutor(task -> new Thread(task, "demo-mail-server"));
        Future<DemoMailServer> serving = starter.submit(() -> serve(work, mailbox.port(), messages));
        starter.shutdown();
        try {
            Map<String, String> settings = new HashMap<>();
            settings.put("mailbox.protocol", mailbox.protocol());
            settings.put("mailbox.host", mailbox.host());
            settings.put("mailbox.port", Integer.toString(mailbox.port()));
            settings.put("mailbox.username", mailbox.username());
            settings.put("mailbox.password", DemoMailServer.PASSWORD);
            settings.put("mailbox.caFile", DemoMailServer.writeCaFile(work).toString());
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
            int exitCode = MailpipeRunner.run(
                    Optional.empty(), settings, new IgnoreUserEnvironment(), new ServerReady(serving));

            Path folder = new FilesLayout(outDir, mailbox).mailboxFolder();
            long stored = countEml(folder);
            int left = serving.get().messagesLeft();
            out.printf(
                    "mailpipe demo: stored %d of %d messages from %s as .eml files in %s; the mailbox now holds %d.%n",
                    stored, messages.size(), mailbox, folder, left);
            return exitCode == 0 && stored == messages.size() && left == 0 ? 0 : 1;
        } finally {
            stop(serving);
            removeQuietly(work);
        }
    }

    /** The demo's mailbox, ledger and TLS files live only for its run (an image build runs it). */
    private static void removeQuietly(Path work) {
        try (Stream<Path> files = Files.walk(work)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.debug("The demo's work folder {} stays: {}", work, e.toString());
        }
    }

    private static void stop(Future<DemoMailServer> serving) throws InterruptedException {
        try {
            serving.get().close();
        } catch (ExecutionException e) {
            // It never started (or closed itself), so there is nothing to stop; the run failed on this cause.
            LOG.debug("The demo mail server is not running: {}", e.getCause().toString());
        }
    }

    private static DemoMailServer serve(Path work, int port, List<byte[]> messages) throws Exception {
        DemoMailServer server = DemoMailServer.start(work, port);
        try {
            for (byte[] message : messages) {
                server.deliver(message);
            }
            return server;
        } catch (Exception e) {
            server.close();
            throw e;
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

    /** The routes start, and the first poll runs, once the demo's server holds the demo mail. */
    private static final class ServerReady extends MainListenerSupport {
        private final Future<DemoMailServer> serving;

        ServerReady(Future<DemoMailServer> serving) {
            this.serving = serving;
        }

        @Override
        public void beforeStart(BaseMainSupport main) {
            try {
                serving.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the demo mail server started", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the demo mail server did not start: " + e.getCause(), e.getCause());
            }
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
