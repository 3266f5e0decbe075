package dev.mailpipe.benchmark;

import dev.mailpipe.mailbox.Sha256;
import dev.mailpipe.testing.DovecotServer;
import dev.mailpipe.testing.TestMailServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The drain benchmark (docs/benchmarks.md): loads the same generated mailbox into a local Dovecot
 * over and over and lets each contender drain it over POP3S, interleaved run by run, then writes a
 * report of medians and ratios. It fails when a contender does not store every message; it never
 * fails on speed (this machine is shared and noisy), it reports it.
 *
 * <p>System properties: {@code bench.sizes} (2000,10000), {@code bench.runs} (3), {@code
 * bench.latencySize} (2000; 0 skips the 30 ms round-trip run), {@code bench.latencyRuns} (runs),
 * {@code bench.largeMegabytes} (200; 0 skips the large-message check), {@code bench.work}
 * (/tmp/mailpipe-bench), {@code bench.report} (target/benchmark/report.md), {@code bench.jar}
 * (target/mailpipe.jar), {@code bench.timeoutMinutes} (30 per drain), {@code bench.contenders}
 * (ANGUS,STOCK_CAMEL,MAILPIPE), {@code bench.mailpipeJvmOptions} (none; e.g. a JFR recording),
 * {@code bench.keepOutputs} (false: what the contenders stored is deleted at the end; on this
 * machine's journal-less ext4, creating files within minutes of deleting many is slower, so
 * back-to-back benchmark invocations should keep outputs and use a fresh {@code bench.work}).
 */
public final class DrainBenchmark {

    private static final long ONE_WAY_DELAY_MILLIS = 15;

    private final DovecotServer dovecot;
    private final Setup setup;
    private final Path work;
    /** Every run's output, kept until the benchmark ends (see {@link #drain}). */
    private final Path outputs;

    private final long timeoutNanos;

    private DrainBenchmark(DovecotServer dovecot, Setup setup, Path work, long timeoutMinutes) {
        this.dovecot = dovecot;
        this.setup = setup;
        this.work = work;
        this.outputs = work.resolve("outputs");
        this.timeoutNanos = TimeUnit.MINUTES.toNanos(timeoutMinutes);
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = Arrays.stream(
                        System.getProperty("bench.sizes", "2000,10000").split(","))
                .map(String::strip)
                .map(Integer::valueOf)
                .toList();
        int runs = Integer.getInteger("bench.runs", 3);
        int latencySize = Integer.getInteger("bench.latencySize", 2000);
        int latencyRuns = Integer.getInteger("bench.latencyRuns", runs);
        int largeMegabytes = Integer.getInteger("bench.largeMegabytes", 200);
        Path work = Path.of(System.getProperty("bench.work", "/tmp/mailpipe-bench"));
        Path report = Path.of(System.getProperty("bench.report", "target/benchmark/report.md"));
        Path jar =
                Path.of(System.getProperty("bench.jar", "target/mailpipe.jar")).toAbsolutePath();
        if (!DovecotServer.installed()) {
            throw new IllegalStateException("Dovecot is not installed: apt-get install dovecot-core dovecot-pop3d");
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run mvn package first");
        }
        deleteTree(work);
        // Dovecot's users must be able to enter every parent folder of the Maildir.
        Files.createDirectories(work);
        work.toFile().setExecutable(true, false);
        work.toFile().setReadable(true, false);

        Setup setup = Setup.create(
                work,
                TestMailServer.USER,
                TestMailServer.PASSWORD,
                TestMailServer.caFile(),
                System.getProperty("java.class.path"),
                jar);
        List<Measurement> results = new ArrayList<>();
        String largeCheck = "not run";
        try (DovecotServer dovecot = DovecotServer.start(work, TestMailServer.USER, TestMailServer.PASSWORD)) {
            DrainBenchmark benchmark =
                    new DrainBenchmark(dovecot, setup, work, Long.getLong("bench.timeoutMinutes", 30));
            List<Integer> mailboxes = new ArrayList<>(sizes);
            if (latencySize > 0 && !mailboxes.contains(latencySize)) {
                mailboxes.add(latencySize);
            }
            for (int size : mailboxes) {
                long started = System.nanoTime();
                long bytes = MessageMix.writeMailbox(benchmark.mailbox(size), size);
                log("generated %d messages, %.1f MB, in %.1f s", size, bytes / 1e6, seconds(started));
            }
            List<Contender> all = Arrays.stream(System.getProperty("bench.contenders", "ANGUS,STOCK_CAMEL,MAILPIPE")
                            .split(","))
                    .map(name -> Contender.valueOf(name.strip()))
                    .toList();
            List<String> mailpipeOptions = options(System.getProperty("bench.mailpipeJvmOptions", ""));
            for (int run = 1; run <= runs; run++) {
                for (int size : sizes) {
                    for (Contender contender : rotate(all, run)) {
                        results.add(benchmark.drain(
                                contender,
                                size,
                                run,
                                "loopback",
                                dovecot.pop3sPort(),
                                contender == Contender.ANGUS || contender == Contender.STOCK_CAMEL
                                        ? List.of()
                                        : mailpipeOptions));
                    }
                }
            }
            if (latencySize > 0) {
                try (LatencyProxy link = new LatencyProxy(dovecot.pop3sPort(), ONE_WAY_DELAY_MILLIS)) {
                    for (int run = 1; run <= latencyRuns; run++) {
                        for (Contender contender : rotate(List.of(Contender.ANGUS, Contender.MAILPIPE), run)) {
                            results.add(
                                    benchmark.drain(contender, latencySize, run, "30 ms RTT", link.port(), List.of()));
                        }
                    }
                }
            }
            if (largeMegabytes > 0) {
                largeCheck = benchmark.largeMessage(largeMegabytes);
            }
            if (!Boolean.getBoolean("bench.keepOutputs")) {
                deleteTree(benchmark.outputs);
            }
        }
        String markdown = BenchmarkReport.markdown(results, largeCheck);
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, markdown);
        System.out.println(markdown);
        log("report written to %s", report);
    }

    private static List<String> options(String value) {
        return value.isBlank() ? List.of() : List.of(value.strip().split("\\s+"));
    }

    private Path mailbox(int size) {
        return work.resolve("mailbox-" + size);
    }

    /** Loads the mailbox of {@code size} messages, lets {@code contender} drain it, checks what it stored. */
    private Measurement drain(Contender contender, int size, int run, String link, int port, List<String> jvmOptions)
            throws Exception {
        return drain(contender, mailbox(size), size, run, link, port, jvmOptions);
    }

    private Measurement drain(
            Contender contender, Path messages, int size, int run, String link, int port, List<String> jvmOptions)
            throws Exception {
        // A fresh folder per run, all deleted at the end: deleting tens of thousands of files just
        // before a run makes ext4 scan past their inodes (recently_deleted) on every file the next
        // contender creates, which cost mailpipe (three files a message) over 10% of its CPU.
        Path out = outputs.resolve(
                "%s-%s-%d-run%d".formatted(contender.name().toLowerCase(), link.replace(' ', '_'), size, run));
        Files.createDirectories(out);
        if (dovecot.messagesLeft() != 0) {
            throw new IllegalStateException("the mailbox is not empty before a run");
        }
        long bytes;
        try (Stream<Path> files = Files.list(messages)) {
            bytes = files.mapToLong(f -> f.toFile().length()).sum();
        }
        // Dovecot notices new mail by the Maildir's mtime, in whole seconds: let a second pass since
        // the last run's expunge, then wait until a session sees the whole mailbox.
        Thread.sleep(1_100);
        dovecot.deliverLinks(messages);
        awaitVisible(size);
        Path timeFile = work.resolve("time.txt");
        Files.deleteIfExists(timeFile);
        List<String> command = new ArrayList<>(List.of(
                "/usr/bin/time",
                "-f",
                "%e %U %S %M",
                "-o",
                timeFile.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(contender.command(setup, port, out, jvmOptions));
        Path logFile = work.resolve("logs")
                .resolve("%s-%s-%d-run%d.log"
                        .formatted(contender.name().toLowerCase(), link.replace(' ', '_'), size, run));
        Files.createDirectories(logFile.getParent());
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        double drainSeconds;
        try (Scraper scraper =
                contender == Contender.MAILPIPE_MANAGED ? new Scraper(Contender.MANAGEMENT_PORT) : null) {
            drainSeconds = awaitEmptyMailbox(process, started, logFile);
            if (scraper != null) {
                log("%d scrapes of /observe/metrics and /observe/health/ready answered", scraper.answered());
            }
        }
        if (!contender.exitsWhenDone()) {
            process.descendants().forEach(ProcessHandle::destroy);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.waitFor();
        }
        int stored = contender.stored(out, port, setup.user());
        if (stored != size) {
            throw new IllegalStateException(
                    "%s stored %d of %d messages; see %s".formatted(contender.label, stored, size, logFile));
        }
        List<String> time = Files.readAllLines(timeFile);
        String[] fields = time.get(time.size() - 1).trim().split(" ");
        Measurement measurement = new Measurement(
                contender.label,
                link,
                size,
                bytes,
                run,
                drainSeconds,
                Double.parseDouble(fields[1]) + Double.parseDouble(fields[2]),
                Long.parseLong(fields[3]) / 1024.0);
        log(
                "%s, %s, N=%d, run %d: %.1f s, %.0f msg/s, CPU %.1f s, peak RSS %.0f MB",
                contender.label,
                link,
                size,
                run,
                drainSeconds,
                measurement.messagesPerSecond(),
                measurement.cpuSeconds(),
                measurement.peakRssMegabytes());
        return measurement;
    }

    /** Waits until a POP3S session on Dovecot itself (not through the slow link) lists all {@code size} messages. */
    private void awaitVisible(int size) throws Exception {
        java.util.Properties properties = new java.util.Properties();
        properties.put(
                "mail.pop3s.ssl.socketFactory",
                dev.mailpipe.mailbox.TrustedCertificates.socketFactoryTrusting(setup.caFile(), "ca"));
        for (int attempt = 1; ; attempt++) {
            try (jakarta.mail.Store store =
                    jakarta.mail.Session.getInstance(properties).getStore("pop3s")) {
                store.connect("localhost", dovecot.pop3sPort(), setup.user(), TestMailServer.PASSWORD);
                jakarta.mail.Folder inbox = store.getFolder("INBOX");
                inbox.open(jakarta.mail.Folder.READ_ONLY);
                int visible = inbox.getMessageCount();
                inbox.close(false);
                if (visible == size) {
                    return;
                }
                if (attempt == 20) {
                    throw new IllegalStateException("Dovecot shows " + visible + " of " + size + " messages");
                }
            }
            Thread.sleep(500);
        }
    }

    private double awaitEmptyMailbox(Process process, long started, Path logFile) throws Exception {
        while (dovecot.messagesLeft() > 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the contender stopped before the mailbox was empty; see " + logFile);
            }
            if (System.nanoTime() - started > timeoutNanos) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                throw new IllegalStateException("the mailbox was not drained in time; see " + logFile);
            }
            Thread.sleep(50);
        }
        return seconds(started);
    }

    /** One message with a {@code megabytes} MB attachment through mailpipe with a 256 MB heap. */
    private String largeMessage(int megabytes) throws Exception {
        Path folder = Files.createDirectories(work.resolve("mailbox-large"));
        String sha256 = MessageMix.writeLargeMessage(folder.resolve("large.bench"), megabytes);
        Measurement measurement = drain(
                Contender.MAILPIPE,
                folder,
                1,
                1,
                "large message",
                dovecot.pop3sPort(),
                List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"));
        Path attachment;
        try (Stream<Path> files = Files.walk(outputs.resolve("mailpipe-large_message-1-run1"))) {
            attachment = files.filter(f -> f.getFileName().toString().endsWith("disk-image.bin"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("the large attachment was not stored"));
        }
        if (!sha256(attachment).equals(sha256)) {
            throw new IllegalStateException("the stored large attachment differs from the one sent: " + attachment);
        }
        return "one message with a %d MB attachment (%.0f MB on the server), mailpipe with -Xmx256m: drained in %.1f s,"
                        .formatted(megabytes, measurement.mailboxBytes() / 1e6, measurement.drainSeconds())
                + " peak RSS %.0f MB, attachment SHA-256 %s".formatted(measurement.peakRssMegabytes(), sha256);
    }

    private static List<Contender> rotate(List<Contender> contenders, int run) {
        List<Contender> order = new ArrayList<>(contenders);
        java.util.Collections.rotate(order, -(run - 1));
        return order;
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = Sha256.newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return Sha256.hex(digest.digest());
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.out.printf("[benchmark] " + format + "%n", args);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}
