package dev.mailpipe.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The benchmark's markdown: medians per contender and mailbox, ratios to contender (a), every run. */
final class BenchmarkReport {

    private BenchmarkReport() {}

    static String markdown(List<Measurement> results, String largeCheck) {
        StringBuilder md = new StringBuilder();
        md.append(machine())
                .append(" Medians of each contender's runs; ratios are to (a) on the same mailbox and link.\n\n");
        md.append("| link | N | contender | runs | drain s | msg/s | MB/s | peak RSS MB | CPU s | msg/s ÷ (a) | first"
                + " message s |\n");
        md.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Map<String, List<Measurement>> groups = new LinkedHashMap<>();
        results.stream()
                .sorted(java.util.Comparator.comparing(Measurement::link)
                        .reversed()
                        .thenComparingInt(Measurement::messages)
                        .thenComparing(Measurement::contender))
                .forEach(m ->
                        groups.computeIfAbsent(key(m), k -> new ArrayList<>()).add(m));
        for (List<Measurement> group : groups.values()) {
            Measurement first = group.get(0);
            double drain = median(group, Measurement::drainSeconds);
            double baseline = groups.entrySet().stream()
                    .filter(e -> e.getKey().equals(key(first.link(), first.messages(), Contender.ANGUS.label)))
                    .mapToDouble(e -> median(e.getValue(), Measurement::drainSeconds))
                    .findFirst()
                    .orElse(Double.NaN);
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %,d | %s | %d | %.1f | %.0f | %.1f | %.0f | %.1f | %.2f | %.2f |%n",
                    first.link(),
                    first.messages(),
                    first.contender(),
                    group.size(),
                    drain,
                    first.messages() / drain,
                    first.mailboxBytes() / 1e6 / drain,
                    median(group, Measurement::peakRssMegabytes),
                    median(group, Measurement::cpuSeconds),
                    baseline / drain,
                    median(group, Measurement::firstStoredSeconds)));
        }
        md.append("\nLarge message: ").append(largeCheck).append("\n\nEvery run, in the order they ran:\n\n");
        md.append("| link | N | contender | run | drain s | msg/s | peak RSS MB | CPU s | first message s |\n");
        md.append("|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (Measurement m : results) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %,d | %s | %d | %.1f | %.0f | %.0f | %.1f | %.2f |%n",
                    m.link(),
                    m.messages(),
                    m.contender(),
                    m.run(),
                    m.drainSeconds(),
                    m.messagesPerSecond(),
                    m.peakRssMegabytes(),
                    m.cpuSeconds(),
                    m.firstStoredSeconds()));
        }
        return md.toString();
    }

    /** When and on what the benchmark ran. */
    static String machine() {
        return "Run on %s, %d cores, Java %s."
                .formatted(
                        java.time.LocalDate.now(),
                        Runtime.getRuntime().availableProcessors(),
                        System.getProperty("java.version"));
    }

    private static String key(Measurement m) {
        return key(m.link(), m.messages(), m.contender());
    }

    private static String key(String link, int messages, String contender) {
        return link + "|" + messages + "|" + contender;
    }

    /** The median of the values that are numbers; NaN when none is. */
    static <T> double median(List<T> group, ToDoubleFunction<T> value) {
        double[] values = group.stream()
                .mapToDouble(value)
                .filter(v -> !Double.isNaN(v))
                .sorted()
                .toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
