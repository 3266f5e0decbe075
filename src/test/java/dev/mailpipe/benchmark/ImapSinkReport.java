package dev.mailpipe.benchmark;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The IMAP sink benchmark's markdown: medians per link, folder size and contender; ratios to the empty folder. */
final class ImapSinkReport {

    private ImapSinkReport() {}

    static String markdown(List<ImapSinkBenchmark.Result> results, int size) {
        StringBuilder md = new StringBuilder();
        md.append("\n## IMAP sink: ").append(size).append(" messages into a folder of 0 to 100,000\n\n");
        md.append(
                "| link | folder holds | contender | drain (median) | msg/s | x empty folder | CPU s | SEARCH | runs |\n");
        md.append("|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
        Map<String, List<ImapSinkBenchmark.Result>> groups = results.stream()
                .sorted(Comparator.comparing((ImapSinkBenchmark.Result r) -> r.link())
                        .thenComparingInt(ImapSinkBenchmark.Result::folderSize)
                        .thenComparing(r -> r.contender().ordinal()))
                .collect(Collectors.groupingBy(
                        r -> r.link() + "|" + r.folderSize() + "|" + r.contender(),
                        LinkedHashMap::new,
                        Collectors.toList()));
        for (List<ImapSinkBenchmark.Result> group : groups.values()) {
            ImapSinkBenchmark.Result first = group.get(0);
            double seconds = BenchmarkReport.median(group, ImapSinkBenchmark.Result::seconds);
            double empty = results.stream()
                    .filter(r -> r.link().equals(first.link()) && r.contender() == first.contender())
                    .mapToInt(ImapSinkBenchmark.Result::folderSize)
                    .min()
                    .stream()
                    .mapToDouble(min -> BenchmarkReport.median(
                            results.stream()
                                    .filter(r -> r.link().equals(first.link())
                                            && r.contender() == first.contender()
                                            && r.folderSize() == min)
                                    .toList(),
                            ImapSinkBenchmark.Result::seconds))
                    .findFirst()
                    .orElse(Double.NaN);
            double cpu = BenchmarkReport.median(group, ImapSinkBenchmark.Result::cpuSeconds);
            md.append("| %s | %,d | %s | %.1f s | %.0f | %.2fx | %s | %s | %d |\n"
                    .formatted(
                            first.link(),
                            first.folderSize(),
                            first.contender().label,
                            seconds,
                            size / seconds,
                            seconds / empty,
                            Double.isNaN(cpu) ? "-" : "%.1f".formatted(cpu),
                            group.stream()
                                    .map(r -> Integer.toString(r.searches()))
                                    .collect(Collectors.joining(", ")),
                            group.size()));
        }
        md.append("\nEvery run: contender, folder, link, run, seconds, CPU s, SEARCH\n\n");
        for (ImapSinkBenchmark.Result r : results) {
            md.append("- %s, %,d, %s, run %d: %.2f s, CPU %.1f s, %d SEARCH\n"
                    .formatted(
                            r.contender().label,
                            r.folderSize(),
                            r.link(),
                            r.run(),
                            r.seconds(),
                            r.cpuSeconds(),
                            r.searches()));
        }
        return md.toString();
    }
}
