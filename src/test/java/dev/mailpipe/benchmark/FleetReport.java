package dev.mailpipe.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The fleet benchmark's markdown: medians per load, ratios to one mailbox, the ledger, the idle fleet, every run. */
final class FleetReport {

    private FleetReport() {}

    static String markdown(FleetBenchmark.Results results) {
        StringBuilder md = new StringBuilder();
        if (!results.drains().isEmpty()) {
            drains(md, results.drains());
        }
        if (!results.ledger().isEmpty()) {
            ledger(md, results.ledger());
        }
        results.idle().ifPresent(idle -> idle(md, idle));
        return md.toString();
    }

    private static void drains(StringBuilder md, List<FleetBenchmark.Drain> drains) {
        md.append("\n## Fleet drain\n\n")
                .append(BenchmarkReport.machine())
                .append(" Medians of each load's runs; ÷ one mailbox is the drain time over that of one mailbox"
                        + " holding the same messages.\n\n");
        md.append("| load | messages | mailbox.pollDelay ms | runs | drain s | ÷ one mailbox | msg/s | peak RSS MB"
                + " | peak threads | CPU s | Dovecot CPU s | logins a mailbox | most logins in one second"
                + " | first logins spread over s | logins at stop | ERROR lines |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Map<String, List<FleetBenchmark.Drain>> groups = new LinkedHashMap<>();
        drains.stream()
                .filter(d -> d.run() > 0)
                .sorted(java.util.Comparator.comparingInt(FleetBenchmark.Drain::mailboxes)
                        .thenComparing(java.util.Comparator.comparingLong(FleetBenchmark.Drain::pollDelayMillis)
                                .reversed()))
                .forEach(d ->
                        groups.computeIfAbsent(key(d), k -> new ArrayList<>()).add(d));
        double one = groups.values().stream()
                .filter(group -> group.get(0).mailboxes() == 1)
                .mapToDouble(group -> median(group, FleetBenchmark.Drain::drainSeconds))
                .findFirst()
                .orElse(Double.NaN);
        for (List<FleetBenchmark.Drain> group : groups.values()) {
            FleetBenchmark.Drain first = group.get(0);
            double drain = median(group, FleetBenchmark.Drain::drainSeconds);
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %,d | %s | %d | %.1f | %.2f | %.0f | %.0f | %.0f | %.1f | %.1f | %.1f | %.0f | %.1f | %.0f | %.0f |%n",
                    first.load(),
                    first.messages(),
                    first.mailboxes() == 1 ? "(any)" : Long.toString(first.pollDelayMillis()),
                    group.size(),
                    drain,
                    drain / one,
                    first.messages() / drain,
                    median(group, FleetBenchmark.Drain::peakRssMegabytes),
                    median(group, d -> d.peakThreads()),
                    median(group, FleetBenchmark.Drain::cpuSeconds),
                    median(group, FleetBenchmark.Drain::dovecotCpuSeconds),
                    median(group, d -> d.sessions().loginsPerAccount()),
                    median(group, d -> d.sessions().mostInOneSecond()),
                    median(group, d -> d.sessions().firstLoginsSpreadSeconds()),
                    median(group, d -> d.loginsAtStop()),
                    median(group, d -> d.errorLines())));
        }
        md.append("\nEvery run, in the order they ran (run 0: recorded with JFR, not in the medians):\n\n");
        md.append("| load | pollDelay ms | run | drain s | peak RSS MB | peak threads | CPU s | Dovecot CPU s | logins"
                + " | logins a mailbox (fewest–most) | most in one second | load average |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|\n");
        for (FleetBenchmark.Drain d : drains) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %.1f | %.0f | %d | %.1f | %.1f | %d | %d–%d | %d | %.1f |%n",
                    d.load(),
                    d.pollDelayMillis(),
                    d.run(),
                    d.drainSeconds(),
                    d.peakRssMegabytes(),
                    d.peakThreads(),
                    d.cpuSeconds(),
                    d.dovecotCpuSeconds(),
                    d.sessions().logins(),
                    d.sessions().fewestPerAccount(),
                    d.sessions().mostPerAccount(),
                    d.sessions().mostInOneSecond(),
                    d.loadAverage()));
        }
    }

    private static void ledger(StringBuilder md, List<LedgerProfile> profiles) {
        md.append("\nThe ledger (embedded SQLite, one connection behind one lock) in drains recorded with JFR (run 0"
                + " above): waits of 1 ms or more to enter it, and the share of the samples inside it.\n\n");
        md.append("| load | drain s | waits | waited s | threads waiting on average | longest wait ms"
                + " | waited to enter | most waited-for other lock, s | Java samples in it | native samples in it |\n");
        md.append("|---|---:|---:|---:|---:|---:|---|---|---:|---:|\n");
        for (LedgerProfile p : profiles) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %.1f | %d | %.2f | %.3f | %.0f | %s | %s %.2f | %d of %d (%.1f%%) | %d of %d (%.1f%%) |%n",
                    p.load(),
                    p.drainSeconds(),
                    p.lockWaits(),
                    p.lockWaitSeconds(),
                    p.threadsWaiting(),
                    p.longestLockWaitMillis(),
                    p.waitedMostIn(),
                    p.otherMonitor(),
                    p.otherMonitorWaitSeconds(),
                    p.javaSamplesInLedger(),
                    p.javaSamples(),
                    percent(p.javaSamplesInLedger(), p.javaSamples()),
                    p.nativeSamplesInLedger(),
                    p.nativeSamples(),
                    percent(p.nativeSamplesInLedger(), p.nativeSamples())));
        }
    }

    private static void idle(StringBuilder md, FleetBenchmark.Idle idle) {
        SessionCounts sessions = idle.sessions();
        md.append(String.format(
                Locale.ROOT,
                "%n## Idle fleet%n%n%d empty mailboxes, mailbox.pollDelay %d ms, %.0f s; the window is the last"
                        + " %.0f s (after the warm-up).%n%n",
                idle.mailboxes(),
                idle.pollDelayMillis(),
                idle.seconds(),
                idle.windowSeconds()));
        md.append("| CPU s, whole run | CPU s, window | % of a core, window | Dovecot CPU s, window | peak RSS MB"
                + " | RSS at end MB"
                + " | peak threads | threads at end | logins a round | logins a mailbox (fewest–most)"
                + " | most in one second | first logins spread over s | logins at stop | ERROR lines"
                + " | load average |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|\n");
        md.append(String.format(
                Locale.ROOT,
                "| %.1f | %.1f | %.1f | %.1f | %.0f | %.0f | %d | %d | %.0f | %d–%d | %d | %.1f | %d | %d | %.1f |%n",
                idle.cpuSeconds(),
                idle.windowCpuSeconds(),
                100 * idle.windowCpuSeconds() / idle.windowSeconds(),
                idle.dovecotWindowCpuSeconds(),
                idle.peakRssMegabytes(),
                idle.endRssMegabytes(),
                idle.peakThreads(),
                idle.endThreads(),
                idle.loginsPerRound(),
                sessions.fewestPerAccount(),
                sessions.mostPerAccount(),
                sessions.mostInOneSecond(),
                sessions.firstLoginsSpreadSeconds(),
                idle.loginsAtStop(),
                idle.errorLines(),
                idle.loadAverage()));
    }

    private static String key(FleetBenchmark.Drain d) {
        return d.mailboxes() + "|" + (d.mailboxes() == 1 ? 0 : d.pollDelayMillis());
    }

    private static double percent(int part, int whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    private static double median(List<FleetBenchmark.Drain> group, ToDoubleFunction<FleetBenchmark.Drain> value) {
        return BenchmarkReport.median(group, value);
    }
}
