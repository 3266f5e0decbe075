package dev.mailpipe.benchmark;

import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** How to launch each contender against a POP3S port, and how to count what it stored. */
enum Contender {
    ANGUS("(a) minimal Angus Mail loop"),
    STOCK_CAMEL("(b) stock camel-mail route"),
    MAILPIPE("(c) mailpipe, shipped route"),
    /** mailpipe with its management endpoints on, scraped and probed every second during the drain. */
    MAILPIPE_MANAGED("(d) mailpipe, endpoints scraped every 1 s"),
    /**
     * The same jar with the JVM options of {@code bench.altJvmOptions}, so that a JVM setting (a class
     * data sharing archive, a compiler or GC choice) is measured side by side with (c) in one run.
     */
    MAILPIPE_ALT("(e) mailpipe, bench.altJvmOptions");

    /** The management port of {@link #MAILPIPE_MANAGED}; one drain runs at a time. */
    static final int MANAGEMENT_PORT = 19_377;

    final String label;

    Contender(String label) {
        this.label = label;
    }

    /** The command line, without the JVM's path, run in the project folder. */
    List<String> command(Setup setup, int port, Path out, List<String> jvmOptions) throws IOException {
        List<String> command = new ArrayList<>(jvmOptions);
        switch (this) {
            case ANGUS ->
                command.addAll(List.of(
                        "-cp",
                        setup.classPath(),
                        AngusDrain.class.getName(),
                        "localhost",
                        Integer.toString(port),
                        setup.user(),
                        setup.passwordFile().toString(),
                        setup.caFile().toString(),
                        out.toString()));
            case STOCK_CAMEL ->
                command.addAll(List.of(
                        "-Djavax.net.ssl.trustStore=" + setup.trustStore(),
                        "-Djavax.net.ssl.trustStorePassword=" + Setup.TRUST_STORE_PASSWORD,
                        "-cp",
                        setup.classPath(),
                        StockCamelDrain.class.getName(),
                        "localhost",
                        Integer.toString(port),
                        setup.user(),
                        setup.passwordFile().toString(),
                        out.toString()));
            case MAILPIPE, MAILPIPE_MANAGED, MAILPIPE_ALT ->
                command.addAll(mailpipe(
                        setup,
                        out,
                        List.of(
                                "mailbox.host=localhost",
                                "mailbox.port=" + port,
                                "mailbox.username=" + setup.user(),
                                this == MAILPIPE_MANAGED ? "management.port=" + MANAGEMENT_PORT : "")));
        }
        return command;
    }

    /**
     * mailpipe's jar with a settings file beside {@code out}: the setup's password and CA for every
     * mailbox, the files sink and the ledger under {@code out}, then {@code settings}.
     */
    static List<String> mailpipe(Setup setup, Path out, List<String> settings) throws IOException {
        Path file = out.resolveSibling(out.getFileName() + ".properties");
        List<String> lines = new ArrayList<>(List.of(
                "mailbox.passwordFile=" + setup.passwordFile(),
                "mailbox.caFile=" + setup.caFile(),
                "sink.files.dir=" + out.resolve("files"),
                "ledger.dir=" + out.resolve("ledger")));
        lines.addAll(settings);
        Files.write(file, lines);
        return List.of("-jar", setup.jar().toString(), "--properties", file.toString());
    }

    /** Whether it exits by itself once the mailbox is drained (the others are stopped with SIGTERM). */
    boolean exitsWhenDone() {
        return this == ANGUS;
    }

    /** Messages it stored under {@code out}; for mailpipe, messages with both a raw copy and an event. */
    int stored(Path out, int port, String user) throws IOException {
        return switch (this) {
            case ANGUS -> count(out, ".eml");
            case STOCK_CAMEL -> count(out, "");
            case MAILPIPE, MAILPIPE_MANAGED, MAILPIPE_ALT -> {
                Path folder = new FilesLayout(out.resolve("files"), new MailboxId("pop3s", "localhost", port, user))
                        .mailboxFolder();
                yield Math.min(count(folder, ".eml"), count(folder, ".json"));
            }
        };
    }

    private static int count(Path folder, String suffix) throws IOException {
        if (!new File(folder.toString()).isDirectory()) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return (int) files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().endsWith(suffix))
                    .count();
        }
    }
}
