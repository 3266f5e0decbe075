package dev.mailpipe.benchmark;

import dev.mailpipe.common.Sha256;
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
import java.util.Map;
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
 * (ANGUS,STOCK_CAMEL,MAILPIPE; MAILPIPE is {@code bin/mailpipe}, MAILPIPE_JAVA_JAR the same jar
 * with {@code java -jar}, MAILPIPE_ALT {@code bin/mailpipe} with {@code bench.altJvmOptions} added), {@code
 * bench.mailpipeJvmOptions} (none; e.g. a JFR recording), {@code bench.demoRuns} (5 runs of the demo's
 * time to its first stored message, with and without the launcher; 0 skips them),
 * {@code bench.keepOutputs} (false: what the contenders stored is deleted at the end; on this
 * machine's journal-less ext4, creating files within minutes of deleting many is slower, so
 * back-to-back benchmark invocations should keep outputs and use a fresh {@code bench.work}).
 * An empty {@code bench.sizes} skips the loopback drains. The fleet benchmark ({@link FleetBenchmark},
 * its own {@code bench.fleet*} and {@code bench.idle*} properties) runs last, on the same Dovecot.
 */
public final class DrainBenchmark {

    private static final long ONE_WAY_DELAY_MILLIS = 15;

    private final Workbench bench;
    private final Path work;

    private DrainBenchmark(Workbench bench, Path work) {
        this.bench = bench;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = Arrays.stream(
                        System.getProperty("bench.sizes", "2000,10000").split(","))
                .map(String::strip)
                .filter(size -> !size.isEmpty())
                .map(Integer::valueOf)
                .toList();
        int runs = Integer.getInteger("bench.runs", 3);
        int latencySize = Integer.getInteger("bench.latencySize", 2000);
        int latencyRuns = Integer.getInteger("bench.latencyRuns", runs);
        int largeMegabytes = Integer.getInteger("bench.largeMegabytes", 200);
        int imapMessages = Integer.getInteger("bench.imapMessages", 1000);
        List<Integer> imapFolderSizes = Arrays.stream(System.getProperty("bench.imapFolderSizes", "0,20000,100000")
                        .split(","))
                .map(String::strip)
                .filter(folder -> !folder.isEmpty())
                .map(Integer::valueOf)
                .toList();
        int imapRuns = Integer.getInteger("bench.imapRuns", runs);
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
        int demoRuns = Integer.getInteger("bench.demoRuns", 5);
        String demo = demoRuns > 0 ? DemoStart.markdown(jar, work, demoRuns) : "";
        List<Measurement> results = new ArrayList<>();
        String largeCheck = "not run";
        String imapSink = "";
        FleetBenchmark.Results fleet;
        try (DovecotServer dovecot = DovecotServer.start(work, TestMailServer.USER, TestMailServer.PASSWORD)) {
            Workbench bench = new Workbench(dovecot, setup, work, Long.getLong("bench.timeoutMinutes", 30));
            DrainBenchmark benchmark = new DrainBenchmark(bench, work);
            FleetBenchmark fleetBenchmark = FleetBenchmark.fromProperties(bench, benchmark::mailbox);
            List<Integer> mailboxes = new ArrayList<>(sizes);
            if (latencySize > 0 && !mailboxes.contains(latencySize)) {
                mailboxes.add(latencySize);
            }
            if (imapMessages > 0 && !mailboxes.contains(imapMessages)) {
                mailboxes.add(imapMessages);
            }
            fleetBenchmark
                    .mailboxSize()
                    .filter(size -> !mailboxes.contains(size))
                    .ifPresent(mailboxes::add);
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
            List<String> altOptions = options(System.getProperty("bench.altJvmOptions", ""));
            for (int run = 1; run <= runs; run++) {
                for (int size : sizes) {
                    for (Contender contender : rotate(all, run)) {
                        results.add(benchmark.drain(
                                contender,
                                size,
                                run,
                                "loopback",
                                bench.dovecot().pop3sPort(),
                                switch (contender) {
                                    case ANGUS, STOCK_CAMEL -> List.of();
                                    case MAILPIPE_ALT -> altOptions;
                                    default -> mailpipeOptions;
                                }));
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
            if (imapMessages > 0 && !imapFolderSizes.isEmpty()) {
                imapSink = ImapSinkBenchmark.run(
                        bench, benchmark.mailbox(imapMessages), imapMessages, imapFolderSizes, imapRuns, work);
            }
            fleet = fleetBenchmark.run();
            if (!Boolean.getBoolean("bench.keepOutputs")) {
                deleteTree(bench.outputs());
            }
        }
        String markdown = demo
                + (results.isEmpty() ? "" : BenchmarkReport.markdown(results, largeCheck))
                + imapSink
                + FleetReport.markdown(fleet);
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, markdown);
        System.out.println(markdown);
        log("report written to %s", report);
    }

    private static List<String> options(String value) {
        return value.isBlank() ? List.of() : List.of(value.strip().split("\\s+"));
    }

    Path mailbox(int size) {
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
        String name = "%s-%s-%d-run%d".formatted(contender.name().toLowerCase(), link.replace(' ', '_'), size, run);
        Path out = bench.output(name);
        long bytes;
        List<Path> files;
        try (Stream<Path> list = Files.list(messages)) {
            files = list.sorted().toList();
        }
        bytes = files.stream().mapToLong(f -> f.toFile().length()).sum();
        String user = bench.setup().user();
        bench.load(Map.of(user, files));
        double drainSeconds;
        double firstStoredSeconds;
        TimedLaunch.Usage usage;
        try (TimedLaunch launch = bench.launch(contender.command(bench.setup(), port, out, jvmOptions), name);
                FirstStored first = new FirstStored(
                        contender.emlFolder(out, port, user), contender.storedSuffix(), launch.startedNanos());
                Scraper scraper =
                        contender == Contender.MAILPIPE_MANAGED ? new Scraper(Contender.MANAGEMENT_PORT) : null) {
            drainSeconds = launch.awaitUntil(() -> bench.dovecot().messagesLeft(user) == 0, bench.timeoutNanos(), 50);
            firstStoredSeconds = first.seconds();
            if (scraper != null) {
                log("%d scrapes of /observe/metrics and /observe/health/ready answered", scraper.answered());
            }
            launch.stop(contender.exitsWhenDone());
            usage = launch.usage();
        }
        int stored = contender.stored(out, port, user);
        if (stored != size) {
            throw new IllegalStateException(
                    "%s stored %d of %d messages; see the log of %s".formatted(contender.label, stored, size, name));
        }
        Measurement measurement = new Measurement(
                contender.label,
                link,
                size,
                bytes,
                run,
                drainSeconds,
                firstStoredSeconds,
                usage.cpuSeconds(),
                usage.peakRssMegabytes());
        log(
                "%s, %s, N=%d, run %d: %.1f s (first message stored after %.2f s), %.0f msg/s, CPU %.1f s, peak RSS"
                        + " %.0f MB",
                contender.label,
                link,
                size,
                run,
                drainSeconds,
                firstStoredSeconds,
                measurement.messagesPerSecond(),
                measurement.cpuSeconds(),
                measurement.peakRssMegabytes());
        return measurement;
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
                bench.dovecot().pop3sPort(),
                List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"));
        Path attachment;
        try (Stream<Path> files = Files.walk(bench.outputs().resolve("mailpipe-large_message-1-run1"))) {
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

    static <T> List<T> rotate(List<T> contenders, int run) {
        List<T> order = new ArrayList<>(contenders);
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

    static void log(String format, Object... args) {
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
