package dev.mailpipe.benchmark;

import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** How to launch each contender against a POP3S port, and how to count what it stored. */
enum Contender {
    ANGUS("(a) minimal Angus Mail loop"),
    STOCK_CAMEL("(b) stock camel-mail route"),
    /** The README's run command: {@code bin/mailpipe} (its CDS archive and {@code -Xms64m}). */
    MAILPIPE("(c) mailpipe, shipped route"),
    /** mailpipe with its management endpoints on, scraped and probed every second during the drain. */
    MAILPIPE_MANAGED("(d) mailpipe, endpoints scraped every 1 s"),
    /**
     * (c) with the JVM options of {@code bench.altJvmOptions} added, so that a JVM setting (a compiler or
     * GC choice) is measured side by side with (c) in one run.
     */
    MAILPIPE_ALT("(e) mailpipe, bench.altJvmOptions"),
    /** (c) without the launcher: {@code java -jar target/mailpipe.jar}. */
    MAILPIPE_JAVA_JAR("(f) mailpipe, java -jar"),
    /**
     * (f) with another build's jar, {@code bench.baselineJar} (say the last release's), so that a
     * change is measured against what it changes in one interleaved run.
     */
    MAILPIPE_BASELINE("(g) mailpipe, java -jar bench.baselineJar");

    /** The management port of {@link #MAILPIPE_MANAGED}; one drain runs at a time. */
    static final int MANAGEMENT_PORT = 19_377;

    final String label;

    Contender(String label) {
        this.label = label;
    }

    /** A command line and what it adds to the environment. */
    record Launch(List<String> command, Map<String, String> environment) {}

    /** The command that drains the mailbox on {@code port} into {@code out}, run in the project folder. */
    Launch command(Setup setup, int port, Path out, List<String> jvmOptions) throws IOException {
        List<String> settings = List.of(
                "mailbox.host=localhost",
                "mailbox.port=" + port,
                "mailbox.username=" + setup.user(),
                this == MAILPIPE_MANAGED ? "management.port=" + MANAGEMENT_PORT : "");
        List<String> client = List.of(
                "localhost",
                Integer.toString(port),
                setup.user(),
                setup.passwordFile().toString());
        List<String> command = new ArrayList<>(List.of(TimedLaunch.java()));
        command.addAll(jvmOptions);
        switch (this) {
            case ANGUS -> {
                command.addAll(List.of("-cp", setup.classPath(), AngusDrain.class.getName()));
                command.addAll(client);
                command.addAll(List.of(setup.caFile().toString(), out.toString()));
            }
            case STOCK_CAMEL -> {
                command.addAll(List.of(
                        "-Djavax.net.ssl.trustStore=" + setup.trustStore(),
                        "-Djavax.net.ssl.trustStorePassword=" + Setup.TRUST_STORE_PASSWORD,
                        "-cp",
                        setup.classPath(),
                        StockCamelDrain.class.getName()));
                command.addAll(client);
                command.add(out.toString());
            }
            case MAILPIPE_JAVA_JAR -> command.addAll(mailpipe(setup, out, settings));
            case MAILPIPE_BASELINE -> {
                // Its own build's routes: the template and the component change together.
                List<String> own = new ArrayList<>(settings);
                own.add("camel.main.routesIncludePattern=file:"
                        + baselineJar().getParent().resolveSibling("routes") + "/*.yaml");
                command.addAll(mailpipe(baselineJar(), setup, out, own));
            }
            case MAILPIPE, MAILPIPE_MANAGED, MAILPIPE_ALT -> {
                return launcher(setup, out, jvmOptions, settings);
            }
        }
        return new Launch(command, Map.of());
    }

    /**
     * {@code bin/mailpipe} beside the jar's {@code target} folder, on this benchmark's JDK (the one
     * that dumped the jar's archive), with the JVM options in {@code JAVA_OPTS} and a settings file
     * made by {@link #settingsFile}.
     */
    static Launch launcher(Setup setup, Path out, List<String> jvmOptions, List<String> settings) throws IOException {
        return new Launch(
                List.of(
                        launcherBeside(setup.jar()).toString(),
                        "--properties",
                        settingsFile(setup, out, settings).toString()),
                Map.of(
                        "MAILPIPE_JAR",
                        setup.jar().toString(),
                        "JAVA_HOME",
                        System.getProperty("java.home"),
                        "JAVA_OPTS",
                        String.join(" ", jvmOptions)));
    }

    /** {@code bin/mailpipe} of the project whose {@code target} folder holds {@code jar}. */
    static Path launcherBeside(Path jar) {
        return jar.toAbsolutePath().getParent().resolveSibling("bin").resolve("mailpipe");
    }

    /**
     * mailpipe's jar with a settings file beside {@code out}: the setup's password and CA for every
     * mailbox, the files sink and the ledger under {@code out}, then {@code settings}.
     */
    static List<String> mailpipe(Setup setup, Path out, List<String> settings) throws IOException {
        return mailpipe(setup.jar(), setup, out, settings);
    }

    private static List<String> mailpipe(Path jar, Setup setup, Path out, List<String> settings) throws IOException {
        return List.of(
                "-jar",
                jar.toString(),
                "--properties",
                settingsFile(setup, out, settings).toString());
    }

    /** The jar of {@link #MAILPIPE_BASELINE}, from the system property {@code bench.baselineJar}. */
    private static Path baselineJar() {
        String jar = System.getProperty("bench.baselineJar", "");
        if (jar.isBlank() || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException(
                    "MAILPIPE_BASELINE needs -Dbench.baselineJar=<a mailpipe jar>, got '" + jar + "'");
        }
        return Path.of(jar).toAbsolutePath();
    }

    /**
     * A settings file beside {@code out}: the setup's password and CA for every mailbox, the files sink
     * and the ledger under {@code out}, then {@code settings}.
     */
    private static Path settingsFile(Setup setup, Path out, List<String> settings) throws IOException {
        Path file = out.resolveSibling(out.getFileName() + ".properties");
        List<String> lines = new ArrayList<>(List.of(
                "mailbox.passwordFile=" + setup.passwordFile(),
                "mailbox.caFile=" + setup.caFile(),
                "sink.files.dir=" + out.resolve("files"),
                "ledger.dir=" + out.resolve("ledger")));
        lines.addAll(settings);
        Files.write(file, lines);
        return file;
    }

    /** Whether it exits by itself once the mailbox is drained (the others are stopped with SIGTERM). */
    boolean exitsWhenDone() {
        return this == ANGUS;
    }

    /** Messages it stored under {@code out}; for mailpipe, messages with both a raw copy and an event. */
    int stored(Path out, int port, String user) throws IOException {
        return switch (this) {
            case ANGUS, STOCK_CAMEL -> count(out, storedSuffix());
            case MAILPIPE, MAILPIPE_MANAGED, MAILPIPE_ALT, MAILPIPE_JAVA_JAR, MAILPIPE_BASELINE -> {
                Path folder = emlFolder(out, port, user);
                yield Math.min(count(folder, ".eml"), count(folder, ".json"));
            }
        };
    }

    /** How the names of the files it stores a message in end ((b) stores bodies under bare names). */
    String storedSuffix() {
        return this == STOCK_CAMEL ? "" : ".eml";
    }

    /** The folder its stored messages appear in. */
    Path emlFolder(Path out, int port, String user) {
        return switch (this) {
            case ANGUS, STOCK_CAMEL -> out;
            case MAILPIPE, MAILPIPE_MANAGED, MAILPIPE_ALT, MAILPIPE_JAVA_JAR, MAILPIPE_BASELINE ->
                new FilesLayout(out.resolve("files"), new MailboxId("pop3s", "localhost", port, user)).mailboxFolder();
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
