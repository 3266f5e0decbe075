package dev.mailpipe.benchmark;

import dev.mailpipe.common.TrustedCertificates;
import dev.mailpipe.testing.DovecotServer;
import dev.mailpipe.testing.TestMailServer;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.search.HeaderTerm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The IMAP sink's cost against the size of its target folder (issue #34): N messages drained by the
 * packaged jar into bob's Archive on Dovecot (IMAPS) holding 0, 20,000 and 100,000 messages beforehand
 * (indexed, and searched once, as a real archive is), side by side with the route before the journal
 * (a SEARCH before every APPEND) and with the files sink alone; then at 30 ms RTT to the IMAP server.
 * Each run counts the SEARCH commands Dovecot served (its debug log) and checks that the folder
 * gained exactly N messages.
 */
final class ImapSinkBenchmark {

    private static final String ACCOUNT = "bob";
    private static final String FOLDER = "Archive";
    /** The fill's files are named so; what the runs append is not, and is removed after each. */
    private static final String FILL_PREFIX = "fill.";

    /** What drains the mailbox. */
    enum Contender {
        JOURNAL("mailpipe, IMAP sink (journal)"),
        SEARCH_EACH("mailpipe, IMAP sink without the journal (SEARCH before each APPEND)"),
        BASELINE("mailpipe before #34 (bench.baselineJar)"),
        FILES_ONLY("mailpipe, files sink only"),
        /** The server's own cost: the same messages APPENDed one by one (LITERAL+) by a minimal client. */
        RAW_APPEND("minimal client, one APPEND per message (the server's cost)");

        final String label;

        Contender(String label) {
            this.label = label;
        }
    }

    /** One run's figures. */
    record Result(
            Contender contender,
            int folderSize,
            String link,
            int run,
            double seconds,
            double cpuSeconds,
            int searches,
            int messages) {
        double messagesPerSecond() {
            return messages / seconds;
        }
    }

    private final Workbench bench;
    private final Path messages;
    private final int size;
    private final Path searchEachRoutes;
    /** The messages' bytes for the minimal client, read at its first run. */
    private List<byte[]> raws;

    private ImapSinkBenchmark(Workbench bench, Path messages, int size, Path searchEachRoutes) {
        this.bench = bench;
        this.messages = messages;
        this.size = size;
        this.searchEachRoutes = searchEachRoutes;
    }

    /**
     * Runs {@code runs} interleaved rounds over {@code folderSizes} on loopback, and over the empty
     * folder at 30 ms RTT; returns the report's section.
     */
    static String run(Workbench bench, Path messages, int size, List<Integer> folderSizes, int runs, Path work)
            throws Exception {
        bench.dovecot().addAccounts(Map.of(ACCOUNT, TestMailServer.PASSWORD));
        java.util.Set<Contender> contenders = java.util.EnumSet.noneOf(Contender.class);
        for (String name : System.getProperty("bench.imapContenders", "SEARCH_EACH,BASELINE,FILES_ONLY")
                .split(",")) {
            if (!name.isBlank()) {
                contenders.add(Contender.valueOf(name.strip()));
            }
        }
        ImapSinkBenchmark benchmark = new ImapSinkBenchmark(bench, messages, size, searchEachRoutes(work));
        List<Result> results = new ArrayList<>();
        for (int folderSize : folderSizes) {
            benchmark.fill(folderSize);
            for (int run = 1; run <= runs; run++) {
                List<Contender> order = new ArrayList<>(List.of(Contender.JOURNAL, Contender.RAW_APPEND));
                if (contenders.contains(Contender.SEARCH_EACH)) {
                    order.add(Contender.SEARCH_EACH);
                }
                if (contenders.contains(Contender.BASELINE) && baseline().isPresent()) {
                    order.add(Contender.BASELINE);
                }
                if (folderSize == folderSizes.get(0) && contenders.contains(Contender.FILES_ONLY)) {
                    order.add(Contender.FILES_ONLY);
                }
                for (Contender contender : DrainBenchmark.rotate(order, run)) {
                    results.add(benchmark.drain(
                            contender, folderSize, "loopback", bench.dovecot().imapsPort(), run));
                }
            }
        }
        benchmark.fill(folderSizes.get(0));
        String roundTrips;
        try (LatencyProxy link = new LatencyProxy(bench.dovecot().imapsPort(), 15)) {
            for (int run = 1; run <= runs; run++) {
                List<Contender> order = new ArrayList<>(List.of(Contender.JOURNAL));
                if (contenders.contains(Contender.SEARCH_EACH)) {
                    order.add(Contender.SEARCH_EACH);
                }
                if (contenders.contains(Contender.BASELINE) && baseline().isPresent()) {
                    order.add(Contender.BASELINE);
                }
                for (Contender contender : DrainBenchmark.rotate(order, run)) {
                    results.add(benchmark.drain(contender, folderSizes.get(0), "30 ms RTT", link.port(), run));
                }
            }
            List<Path> sample;
            try (Stream<Path> list = Files.list(messages)) {
                sample = list.sorted().limit(200).toList();
            }
            Map<String, Integer> links = new java.util.LinkedHashMap<>();
            links.put("loopback", bench.dovecot().imapsPort());
            links.put("30 ms RTT", link.port());
            roundTrips = AppendRoundTrips.markdown(
                    links, sample, bench.setup().caFile(), ACCOUNT, TestMailServer.PASSWORD, runs);
        }
        return ImapSinkReport.markdown(results, size) + roundTrips;
    }

    /** The shipped routes with the template's journal taken out: the IMAP sink as it was before #34. */
    private static Path searchEachRoutes(Path work) throws IOException {
        Path shipped = Path.of(System.getProperty("mailpipe.project.dir", ".")).resolve("routes");
        Path copy = Files.createDirectories(work.resolve("routes-search-each"));
        String template = Files.readString(shipped.resolve("mailbox.camel.yaml"));
        String without = template.replaceAll("(?m)^\\s*journal: \"#bean:imapAppendJournal\"\\R", "");
        if (without.equals(template)) {
            throw new IllegalStateException("the route template has no journal line to take out");
        }
        Files.writeString(copy.resolve("mailbox.camel.yaml"), without);
        for (String other : List.of("inbox-to-files.camel.yaml", "mailpipe-errors.camel.yaml")) {
            Files.copy(shipped.resolve(other), copy.resolve(other));
        }
        return copy;
    }

    private Result drain(Contender contender, int folderSize, String link, int port, int run) throws Exception {
        if (contender == Contender.RAW_APPEND) {
            return rawAppend(folderSize, link, port, run);
        }
        String name = "imap-%s-%d-%s-run%d".formatted(contender, folderSize, link.replace(' ', '_'), run);
        Path out = bench.output(name);
        List<Path> files;
        try (Stream<Path> list = Files.list(messages)) {
            files = list.sorted().toList();
        }
        bench.load(Map.of(bench.setup().user(), files));
        int searchesBefore = searches();
        List<String> settings = new ArrayList<>(List.of(
                "mailbox.host=localhost",
                "mailbox.port=" + bench.dovecot().pop3sPort(),
                "mailbox.username=" + bench.setup().user()));
        if (contender != Contender.FILES_ONLY) {
            settings.addAll(List.of(
                    "sink.imap.host=localhost",
                    "sink.imap.port=" + port,
                    "sink.imap.username=" + ACCOUNT,
                    "sink.imap.passwordFile=" + bench.setup().passwordFile(),
                    "sink.imap.caFile=" + bench.setup().caFile(),
                    "sink.imap.folder=" + FOLDER));
        }
        if (contender == Contender.SEARCH_EACH) {
            settings.add("camel.main.routesIncludePattern=file:" + searchEachRoutes + "/*.yaml");
        }
        dev.mailpipe.benchmark.Contender.Launch launch =
                dev.mailpipe.benchmark.Contender.launcher(bench.setup(), out, List.of(), settings);
        if (contender == Contender.BASELINE) {
            // Its own build's jar and routes, started by this project's bin/mailpipe.
            Path jar = baseline().orElseThrow();
            settings.add("camel.main.routesIncludePattern=file:"
                    + jar.toAbsolutePath().getParent().resolveSibling("routes") + "/*.yaml");
            launch = dev.mailpipe.benchmark.Contender.launcher(bench.setup(), out, List.of(), settings);
            Map<String, String> environment = new java.util.HashMap<>(launch.environment());
            environment.put("MAILPIPE_JAR", jar.toAbsolutePath().toString());
            launch = new dev.mailpipe.benchmark.Contender.Launch(launch.command(), environment);
        }
        double seconds;
        TimedLaunch.Usage usage;
        try (TimedLaunch timed = bench.launch(launch, name)) {
            seconds = timed.awaitUntil(
                    () -> bench.dovecot().messagesLeft(bench.setup().user()) == 0, bench.timeoutNanos(), 50);
            timed.stop(false);
            usage = timed.usage();
        }
        int appended = appendedMessages().size();
        int expected = contender == Contender.FILES_ONLY ? 0 : size;
        if (appended != expected) {
            throw new IllegalStateException("%s appended %d of %d messages to %s; see the log of %s"
                    .formatted(contender.label, appended, expected, FOLDER, name));
        }
        int searches = searches() - searchesBefore;
        if (contender == Contender.JOURNAL && searches != 0) {
            throw new IllegalStateException("the IMAP sink sent %d SEARCH commands in a run without failures; see %s"
                    .formatted(searches, name));
        }
        removeAppended();
        Result result = new Result(contender, folderSize, link, run, seconds, usage.cpuSeconds(), searches, size);
        DrainBenchmark.log(
                "%s, folder of %d, %s, run %d: %.1f s, %.0f msg/s, CPU %.1f s, %d SEARCH",
                contender.label,
                folderSize,
                link,
                run,
                seconds,
                result.messagesPerSecond(),
                usage.cpuSeconds(),
                searches);
        return result;
    }

    /** The same messages appended into the folder by the minimal client, one APPEND each: what the server alone costs. */
    private Result rawAppend(int folderSize, String link, int port, int run) throws Exception {
        if (raws == null) {
            raws = new ArrayList<>();
            try (Stream<Path> list = Files.list(messages)) {
                for (Path file : list.sorted().toList()) {
                    raws.add(Files.readAllBytes(file));
                }
            }
        }
        int searchesBefore = searches();
        double seconds = AppendRoundTrips.send(
                port,
                bench.setup().caFile(),
                ACCOUNT,
                TestMailServer.PASSWORD,
                FOLDER,
                raws,
                AppendRoundTrips.Way.LITERAL_PLUS,
                false);
        int appended = appendedMessages().size();
        if (appended != size) {
            throw new IllegalStateException("the minimal client appended %d of %d messages".formatted(appended, size));
        }
        int searches = searches() - searchesBefore;
        removeAppended();
        Result result = new Result(Contender.RAW_APPEND, folderSize, link, run, seconds, Double.NaN, searches, size);
        DrainBenchmark.log(
                "%s, folder of %d, %s, run %d: %.1f s, %.0f msg/s",
                Contender.RAW_APPEND.label, folderSize, link, run, seconds, result.messagesPerSecond());
        return result;
    }

    /** The jar of an earlier build to compare with (bench.baselineJar), when given. */
    private static java.util.Optional<Path> baseline() {
        String jar = System.getProperty("bench.baselineJar", "");
        return jar.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(Path.of(jar));
    }

    /** SEARCH commands Dovecot has served so far (one debug line each, see scripts/dovecot-test-server.sh). */
    private int searches() throws IOException {
        try (Stream<String> lines = Files.lines(bench.dovecot().log(), StandardCharsets.ISO_8859_1)) {
            return (int) lines.filter(line -> line.matches(".*Debug: Command finished: (?i:(UID )?SEARCH).*"))
                    .count();
        }
    }

    private Path folder() {
        return bench.dovecot().maildir(ACCOUNT).resolve("." + FOLDER);
    }

    /** The folder's messages that are not the fill's: what the runs appended. */
    private List<Path> appendedMessages() throws IOException {
        List<Path> appended = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            try (Stream<Path> list = Files.list(folder().resolve(sub))) {
                list.filter(f -> !f.getFileName().toString().startsWith(FILL_PREFIX))
                        .forEach(appended::add);
            }
        }
        return appended;
    }

    private void removeAppended() throws Exception {
        for (Path file : appendedMessages()) {
            Files.delete(file);
        }
        warmUp();
    }

    /**
     * Makes the folder hold {@code count} small messages of its own, written straight into the
     * Maildir, then has Dovecot index them and serve one SEARCH by Message-ID (which caches the
     * header), as for an archive that has been there a while.
     */
    private void fill(int count) throws Exception {
        Path folder = folder();
        if (Files.exists(folder)) {
            try (Stream<Path> walk = Files.walk(folder)) {
                for (Path path :
                        walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        for (String sub : List.of("", "cur", "new", "tmp")) {
            Path dir = Files.createDirectories(folder.resolve(sub));
            DovecotServer.ownByMailUser(dir);
        }
        long started = System.nanoTime();
        long now = System.currentTimeMillis() / 1000;
        for (int n = 1; n <= count; n++) {
            byte[] raw = ("From: archive@example.org\r\nTo: bob@example.org\r\nSubject: archived " + n
                            + "\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\nMessage-ID: <archived-" + n
                            + "@example.org>\r\n\r\nAn archived message, number " + n + ".\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            Path file = folder.resolve("cur")
                    .resolve(FILL_PREFIX + now + ".M" + n + "P1.bench,S=" + raw.length + ",W=" + raw.length + ":2,S");
            Files.write(file, raw);
            DovecotServer.ownByMailUser(file);
        }
        warmUp();
        DrainBenchmark.log(
                "Archive filled with %d messages and indexed in %.1f s", count, (System.nanoTime() - started) / 1e9);
    }

    /** One IMAPS session that selects the folder and searches it by Message-ID: Dovecot indexes and caches. */
    private void warmUp() throws Exception {
        Properties properties = new Properties();
        properties.put(
                "mail.imaps.ssl.socketFactory",
                TrustedCertificates.socketFactoryTrusting(bench.setup().caFile(), "ca"));
        properties.put("mail.imaps.timeout", "600000");
        try (Store store = Session.getInstance(properties).getStore("imaps")) {
            store.connect("localhost", bench.dovecot().imapsPort(), ACCOUNT, TestMailServer.PASSWORD);
            Folder folder = store.getFolder(FOLDER);
            folder.open(Folder.READ_ONLY);
            folder.search(new HeaderTerm("Message-ID", "<warm-up@example.org>"));
            folder.close(false);
        }
    }
}
