package dev.mailpipe.benchmark;

import dev.mailpipe.testing.DovecotLog;
import dev.mailpipe.testing.TemplatedRoutes;
import dev.mailpipe.testing.TestMailServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * The fleet benchmark (docs/benchmarks.md, "Fleet"), run after the drain benchmark on the same
 * Dovecot, every contender the packaged jar: (1) many mailboxes, declared as templated routes, drained
 * by one mailpipe, against one mailpipe draining one mailbox that holds the same messages, runs
 * interleaved; (2) one more fleet drain recorded with JFR, for the ledger's lock and samples; (3) an
 * idle fleet of empty mailboxes polled for a while. It fails when a message is lost or duplicated (what
 * each account's folder holds, and the RETRs and DELEs Dovecot logged per account); never on speed.
 *
 * <p>System properties: {@code bench.fleetMailboxes} (200; 0 skips the fleet drains), {@code
 * bench.fleetMessages} (25 a mailbox), {@code bench.fleetRuns} (3), {@code bench.fleetPollDelays}
 * (60000,5000: the fleet's mailbox.pollDelay in ms, one row each; the first polls are spread over
 * it), {@code bench.fleetProfile} (true), {@code bench.idleMailboxes} (500; 0 skips the idle fleet),
 * {@code bench.idleSeconds} (600), {@code bench.idlePollDelay} (60000), {@code bench.idleWarmupSeconds}
 * (60: CPU and logins are counted after it, past start-up and the first poll of every mailbox),
 * {@code bench.fleetJvmOptions} (-Xmx512m, for every mailpipe JVM of this benchmark).
 */
final class FleetBenchmark {

    /** The label of the one mailbox holding all the fleet's messages. */
    static final String ONE_MAILBOX = "one mailbox";

    /** One drain: of the fleet, or of the one mailbox holding the same messages. */
    record Drain(
            String load,
            int mailboxes,
            int messages,
            long pollDelayMillis,
            int run,
            double drainSeconds,
            double cpuSeconds,
            double peakRssMegabytes,
            int peakThreads,
            int errorLines,
            SessionCounts sessions,
            int loginsAtStop,
            double dovecotCpuSeconds,
            double loadAverage) {}

    /** The idle fleet: the whole run, and the window after the warm-up. */
    record Idle(
            int mailboxes,
            long pollDelayMillis,
            double seconds,
            double windowSeconds,
            double cpuSeconds,
            double windowCpuSeconds,
            double peakRssMegabytes,
            double endRssMegabytes,
            int peakThreads,
            int endThreads,
            int errorLines,
            SessionCounts sessions,
            int windowLogins,
            int loginsAtStop,
            double dovecotWindowCpuSeconds,
            double loadAverage) {

        double loginsPerRound() {
            return windowLogins * (pollDelayMillis / 1000.0) / windowSeconds;
        }
    }

    record Results(List<Drain> drains, List<LedgerProfile> ledger, Optional<Idle> idle) {}

    private final Workbench bench;
    private final IntFunction<Path> mailboxOfSize;
    private final int mailboxes;
    private final int messagesEach;
    private final int runs;
    private final List<Long> pollDelays;
    private final boolean profile;
    private final int idleMailboxes;
    private final int idleSeconds;
    private final long idlePollDelay;
    private final int idleWarmupSeconds;
    private final List<String> jvmOptions;

    private FleetBenchmark(
            Workbench bench,
            IntFunction<Path> mailboxOfSize,
            int mailboxes,
            int messagesEach,
            int runs,
            List<Long> pollDelays,
            boolean profile,
            int idleMailboxes,
            int idleSeconds,
            long idlePollDelay,
            int idleWarmupSeconds,
            List<String> jvmOptions) {
        this.bench = bench;
        this.mailboxOfSize = mailboxOfSize;
        this.mailboxes = mailboxes;
        this.messagesEach = messagesEach;
        this.runs = runs;
        this.pollDelays = pollDelays;
        this.profile = profile;
        this.idleMailboxes = idleMailboxes;
        this.idleSeconds = idleSeconds;
        this.idlePollDelay = idlePollDelay;
        this.idleWarmupSeconds = idleWarmupSeconds;
        this.jvmOptions = jvmOptions;
    }

    /** Configured by the system properties above; {@code mailboxOfSize} is the drain benchmark's generated mailbox. */
    static FleetBenchmark fromProperties(Workbench bench, IntFunction<Path> mailboxOfSize) {
        return new FleetBenchmark(
                bench,
                mailboxOfSize,
                Integer.getInteger("bench.fleetMailboxes", 200),
                Integer.getInteger("bench.fleetMessages", 25),
                Integer.getInteger("bench.fleetRuns", 3),
                Arrays.stream(System.getProperty("bench.fleetPollDelays", "60000,5000")
                                .split(","))
                        .map(String::strip)
                        .map(Long::valueOf)
                        .toList(),
                Boolean.parseBoolean(System.getProperty("bench.fleetProfile", "true")),
                Integer.getInteger("bench.idleMailboxes", 500),
                Integer.getInteger("bench.idleSeconds", 600),
                Long.getLong("bench.idlePollDelay", 60_000),
                Integer.getInteger("bench.idleWarmupSeconds", 60),
                List.of(System.getProperty("bench.fleetJvmOptions", "-Xmx512m")
                        .strip()
                        .split("\\s+")));
    }

    /** The size of the generated mailbox the fleet drains split across its accounts, if it runs. */
    Optional<Integer> mailboxSize() {
        return mailboxes > 0 ? Optional.of(mailboxes * messagesEach) : Optional.empty();
    }

    Results run() throws Exception {
        if (mailboxes == 0 && idleMailboxes == 0) {
            return new Results(List.of(), List.of(), Optional.empty());
        }
        List<String> accounts = accounts(Math.max(mailboxes, idleMailboxes));
        List<Drain> drains = new ArrayList<>();
        List<LedgerProfile> ledger = new ArrayList<>();
        if (mailboxes > 0) {
            List<String> fleet = accounts.subList(0, mailboxes);
            List<String> one = List.of(bench.setup().user());
            // One mailbox drains in one greedy poll whatever its pollDelay.
            List<Load> loads = new ArrayList<>(List.of(new Load(one, pollDelays.get(0))));
            pollDelays.forEach(pollDelay -> loads.add(new Load(fleet, pollDelay)));
            for (int run = 1; run <= runs; run++) {
                // The order rotates run by run, as in the drain benchmark.
                List<Load> order = new ArrayList<>(loads);
                Collections.rotate(order, -(run - 1));
                for (Load load : order) {
                    drains.add(drain(load, run, List.of()));
                }
            }
            if (profile) {
                for (Load load : List.of(loads.get(0), loads.get(loads.size() - 1))) {
                    ledger.add(profiledDrain(load, drains));
                }
            }
        }
        Optional<Idle> idle =
                idleMailboxes > 0 ? Optional.of(idle(accounts.subList(0, idleMailboxes))) : Optional.empty();
        return new Results(drains, ledger, idle);
    }

    /** Accounts fleet0001, fleet0002, ... with the setup's password, each with an empty Maildir. */
    private List<String> accounts(int count) throws IOException {
        Map<String, String> accounts = new LinkedHashMap<>();
        for (int n = 1; n <= count; n++) {
            accounts.put("fleet%04d".formatted(n), TestMailServer.PASSWORD);
        }
        bench.dovecot().addAccounts(accounts);
        return List.copyOf(accounts.keySet());
    }

    /** The mailboxes of a drain and their poll delay. */
    private record Load(List<String> users, long pollDelay) {}

    private Drain drain(Load load, int run, List<String> extraJvmOptions) throws Exception {
        List<String> users = load.users();
        long pollDelay = load.pollDelay();
        // Run 0 is the profiled drain.
        String name = users.size() == 1
                ? "fleet-one-mailbox-run" + run
                : "fleet-%d-poll%d-run%d".formatted(users.size(), pollDelay, run);
        Path out = bench.output(name);
        bench.load(split(users));
        List<String> command = new ArrayList<>(jvmOptions);
        command.addAll(extraJvmOptions);
        command.addAll(Contender.mailpipe(bench.setup(), out, settings(users, pollDelay, out)));
        long logStart = DovecotLog.end(bench.dovecot().log());
        long dovecotPid = bench.dovecot().masterPid();
        double dovecotCpuAtStart = ProcessSampler.treeCpuSeconds(dovecotPid);
        double drainSeconds;
        TimedLaunch.Usage usage;
        int peakThreads;
        int errors;
        long stopAt;
        double dovecotCpu;
        try (TimedLaunch launch = bench.launch(command, name)) {
            drainSeconds = launch.awaitUntil(
                    () -> users.stream().allMatch(user -> bench.dovecot().messagesLeft(user) == 0),
                    bench.timeoutNanos(),
                    100);
            dovecotCpu = ProcessSampler.treeCpuSeconds(dovecotPid) - dovecotCpuAtStart;
            stopAt = DovecotLog.end(bench.dovecot().log());
            launch.stop(false);
            usage = launch.usage();
            peakThreads = launch.sampler().peakThreads();
            errors = errorLines(launch.logFile());
        }
        DovecotLog log = DovecotLog.read(bench.dovecot().log(), logStart);
        checkEveryMessageOnce(users, out, log, name);
        Drain drain = new Drain(
                users.size() == 1 ? ONE_MAILBOX : users.size() + " mailboxes",
                users.size(),
                mailboxes * messagesEach,
                pollDelay,
                run,
                drainSeconds,
                usage.cpuSeconds(),
                usage.peakRssMegabytes(),
                peakThreads,
                errors,
                SessionCounts.of(DovecotLog.read(bench.dovecot().log(), logStart, stopAt), users),
                SessionCounts.of(DovecotLog.read(bench.dovecot().log(), stopAt), users)
                        .logins(),
                dovecotCpu,
                loadAverage());
        log(
                "%s, %d messages (pollDelay %d ms): %.1f s, CPU %.1f s (Dovecot %.1f s), peak RSS %.0f MB, peak"
                        + " threads %d, %d logins (at most %d in one second), load average %.1f",
                drain.load(),
                drain.messages(),
                pollDelay,
                drainSeconds,
                drain.cpuSeconds(),
                dovecotCpu,
                drain.peakRssMegabytes(),
                peakThreads,
                drain.sessions().logins(),
                drain.sessions().mostInOneSecond(),
                drain.loadAverage());
        return drain;
    }

    /** The generated mailbox's messages, {@code messagesEach} a mailbox in order; all of them for one mailbox. */
    private Map<String, List<Path>> split(List<String> users) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(mailboxOfSize.apply(mailboxes * messagesEach))) {
            files = list.sorted().toList();
        }
        Map<String, List<Path>> byUser = new LinkedHashMap<>();
        int each = files.size() / users.size();
        for (int i = 0; i < users.size(); i++) {
            byUser.put(users.get(i), files.subList(i * each, (i + 1) * each));
        }
        return byUser;
    }

    /**
     * One mailbox: the default route, from mailbox.*. A fleet: a templated route a mailbox in a YAML
     * file beside {@code out}, added to the shipped routes; mailbox.host is left blank, so the default
     * mailbox does not run.
     */
    private List<String> settings(List<String> users, long pollDelay, Path out) throws IOException {
        int port = bench.dovecot().pop3sPort();
        if (users.size() == 1) {
            return List.of(
                    "mailbox.host=localhost",
                    "mailbox.port=" + port,
                    "mailbox.username=" + users.get(0),
                    "mailbox.pollDelay=" + pollDelay);
        }
        StringBuilder yaml = new StringBuilder();
        for (String user : users) {
            yaml.append(TemplatedRoutes.mailbox(
                    user, Map.of("host", "localhost", "port", Integer.toString(port), "username", user)));
        }
        Path routes = Files.writeString(out.resolveSibling(out.getFileName() + ".camel.yaml"), yaml);
        return List.of(
                "mailbox.pollDelay=" + pollDelay,
                "camel.main.routesIncludePattern=file:routes/*.yaml,file:" + routes.toAbsolutePath());
    }

    /**
     * Every account's folder holds each of its messages once (a raw copy and an event), and Dovecot
     * served each message once: one RETR and one DELE per message, over all sessions of the account.
     */
    private void checkEveryMessageOnce(List<String> users, Path out, DovecotLog log, String name) throws IOException {
        int each = mailboxes * messagesEach / users.size();
        Map<String, SessionCounts.Served> served = SessionCounts.served(log, users);
        List<String> problems = new ArrayList<>();
        for (String user : users) {
            int stored = Contender.MAILPIPE.stored(out, bench.dovecot().pop3sPort(), user);
            SessionCounts.Served server = served.getOrDefault(user, new SessionCounts.Served(0, 0));
            if (stored != each || server.retrieved() != each || server.deleted() != each) {
                problems.add("%s: %d stored, %d RETRs, %d DELEs of %d messages"
                        .formatted(user, stored, server.retrieved(), server.deleted(), each));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("messages lost or duplicated in " + name + " (see its log): "
                    + String.join("; ", problems.subList(0, Math.min(10, problems.size()))));
        }
    }

    /** One more drain (run 0, added to {@code drains}) recorded with JFR: what it says of the ledger. */
    private LedgerProfile profiledDrain(Load load, List<Drain> drains) throws Exception {
        // Beside the outputs, so it is kept for a closer look (jfr print, JDK Mission Control).
        Path recording = bench.outputs()
                .resolveSibling(
                        "ledger-profile-%d-mailboxes.jfr".formatted(load.users().size()));
        Drain drain = drain(load, 0, LedgerProfile.jvmOptions(recording));
        drains.add(drain);
        LedgerProfile profile = LedgerProfile.read(drain.load(), recording, drain.drainSeconds());
        log(
                "ledger, %s: %d waits for its lock (≥ 1 ms), %.2f s in all (%.3f threads waiting on average), %d of %d"
                        + " Java and %d of %d native samples inside it",
                drain.load(),
                profile.lockWaits(),
                profile.lockWaitSeconds(),
                profile.threadsWaiting(),
                profile.javaSamplesInLedger(),
                profile.javaSamples(),
                profile.nativeSamplesInLedger(),
                profile.nativeSamples());
        return profile;
    }

    /** The idle fleet: empty mailboxes polled every idlePollDelay for idleSeconds. */
    private Idle idle(List<String> users) throws Exception {
        String name = "fleet-idle-%d".formatted(users.size());
        Path out = bench.output(name);
        List<String> command = new ArrayList<>(jvmOptions);
        command.addAll(Contender.mailpipe(bench.setup(), out, settings(users, idlePollDelay, out)));
        Path dovecotLog = bench.dovecot().log();
        long logStart = DovecotLog.end(dovecotLog);
        try (TimedLaunch launch = bench.launch(command, name)) {
            launch.awaitUntil(() -> launch.secondsSinceLaunch() >= idleWarmupSeconds, bench.timeoutNanos(), 250);
            double windowStart = launch.secondsSinceLaunch();
            double cpuAtStart = launch.sampler().cpuSeconds();
            long dovecotPid = bench.dovecot().masterPid();
            double dovecotCpuAtStart = ProcessSampler.treeCpuSeconds(dovecotPid);
            long windowLog = DovecotLog.end(dovecotLog);
            launch.awaitUntil(() -> launch.secondsSinceLaunch() >= idleSeconds, bench.timeoutNanos(), 250);
            double windowSeconds = launch.secondsSinceLaunch() - windowStart;
            double windowCpu = launch.sampler().cpuSeconds() - cpuAtStart;
            double dovecotWindowCpu = ProcessSampler.treeCpuSeconds(dovecotPid) - dovecotCpuAtStart;
            double endRss = launch.sampler().rssMegabytes();
            int endThreads = launch.sampler().threads();
            long stopAt = DovecotLog.end(dovecotLog);
            int windowLogins = SessionCounts.of(DovecotLog.read(dovecotLog, windowLog, stopAt), users)
                    .logins();
            launch.stop(false);
            TimedLaunch.Usage usage = launch.usage();
            Idle idle = new Idle(
                    users.size(),
                    idlePollDelay,
                    idleSeconds,
                    windowSeconds,
                    usage.cpuSeconds(),
                    windowCpu,
                    usage.peakRssMegabytes(),
                    endRss,
                    launch.sampler().peakThreads(),
                    endThreads,
                    errorLines(launch.logFile()),
                    SessionCounts.of(DovecotLog.read(dovecotLog, logStart, stopAt), users),
                    windowLogins,
                    SessionCounts.of(DovecotLog.read(dovecotLog, stopAt), users).logins(),
                    dovecotWindowCpu,
                    loadAverage());
            log(
                    "idle fleet of %d: CPU %.1f s in %d s (%.1f s in the last %.0f s), peak RSS %.0f MB, peak threads %d,"
                            + " %.0f logins a round",
                    users.size(),
                    idle.cpuSeconds(),
                    idleSeconds,
                    windowCpu,
                    windowSeconds,
                    idle.peakRssMegabytes(),
                    idle.peakThreads(),
                    idle.loginsPerRound());
            return idle;
        }
    }

    /** The machine's load average over the last minute: how much else competed for its cores. */
    private static double loadAverage() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }

    private static int errorLines(Path log) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return (int) lines.filter(line -> line.contains(" ERROR ")).count();
        }
    }

    private static void log(String format, Object... args) {
        System.out.printf("[benchmark] " + format + "%n", args);
    }
}
