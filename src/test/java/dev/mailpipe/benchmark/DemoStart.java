package dev.mailpipe.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Time from the launch to the first stored message of the demo, with the README's command ({@code
 * bin/mailpipe --demo}) and with {@code java -jar}, interleaved run by run, each in a fresh folder.
 */
final class DemoStart {

    private DemoStart() {}

    /** The report's section; fails when a demo run fails. */
    static String markdown(Path jar, Path work, int runs) throws Exception {
        Path launcher = Contender.launcherBeside(jar);
        Map<String, List<String>> commands = new LinkedHashMap<>();
        commands.put("`bin/mailpipe --demo`", List.of(launcher.toString(), "--demo"));
        commands.put(
                "`java -jar target/mailpipe.jar --demo`",
                List.of(TimedLaunch.java(), "-jar", jar.toString(), "--demo"));
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        commands.keySet().forEach(label -> seconds.put(label, new ArrayList<>()));
        List<String> labels = List.copyOf(commands.keySet());
        for (int run = 1; run <= runs; run++) {
            for (String label : DrainBenchmark.rotate(labels, run)) {
                Path folder =
                        Files.createDirectories(work.resolve("demo-run%d-%d".formatted(run, labels.indexOf(label))));
                seconds.get(label).add(firstStored(commands.get(label), jar, folder));
            }
        }
        StringBuilder md = new StringBuilder("### Time to the first stored message, demo\n\n")
                .append(BenchmarkReport.machine())
                .append(" From the launch until the first `.eml` of the demo exists, each run in a fresh folder.\n\n")
                .append("| command | runs | median s | each run, s |\n|---|---:|---:|---|\n");
        seconds.forEach((label, values) -> md.append(String.format(
                Locale.ROOT,
                "| %s | %d | %.2f | %s |%n",
                label,
                values.size(),
                BenchmarkReport.median(values, v -> v),
                values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList())));
        return md.append('\n').toString();
    }

    private static double firstStored(List<String> command, Path jar, Path folder) throws Exception {
        Path log = folder.resolve("demo.log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("MAILPIPE_JAR", jar.toString());
        // The JDK that dumped the jar's archive (the benchmark's), and no JVM options of the caller.
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("JAVA_OPTS", "");
        long started = System.nanoTime();
        Process demo = builder.start();
        double first = Double.NaN;
        while (Double.isNaN(first) && demo.isAlive()) {
            if (holdsAnEml(folder.resolve("mailpipe-demo-out"))) {
                first = (System.nanoTime() - started) / 1e9;
            } else {
                Thread.sleep(5);
            }
        }
        if (!demo.waitFor(2, TimeUnit.MINUTES)) {
            demo.destroyForcibly();
            throw new IllegalStateException("the demo did not end within 2 minutes; see " + log);
        }
        if (demo.exitValue() != 0 || Double.isNaN(first)) {
            throw new IllegalStateException("the demo failed; see " + log);
        }
        DrainBenchmark.log("%s: first message stored after %.2f s", String.join(" ", command), first);
        return first;
    }

    /** Whether a mailbox folder under {@code out} holds a stored message. */
    private static boolean holdsAnEml(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return false;
        }
        try (Stream<Path> mailboxes = Files.list(out)) {
            return mailboxes.anyMatch(folder -> FirstStored.holdsOne(folder, ".eml"));
        }
    }
}
