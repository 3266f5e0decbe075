package dev.mailpipe.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A contender's JVM launched under {@code /usr/bin/time} (CPU and peak RSS of the whole process),
 * with its threads sampled from /proc while it runs.
 */
final class TimedLaunch implements AutoCloseable {

    /** What {@code /usr/bin/time} saw of the whole run. */
    record Usage(double cpuSeconds, double peakRssMegabytes) {}

    private final Process process;
    private final Path timeFile;
    private final Path logFile;
    private final long startedNanos;
    private final ProcessSampler sampler;

    private TimedLaunch(Process process, Path timeFile, Path logFile, long startedNanos) {
        this.process = process;
        this.timeFile = timeFile;
        this.logFile = logFile;
        this.startedNanos = startedNanos;
        this.sampler = new ProcessSampler(process.toHandle());
    }

    /** Runs {@code java} with {@code arguments}, its output into {@code logFile}. */
    static TimedLaunch start(List<String> arguments, Path timeFile, Path logFile) throws IOException {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(arguments);
        return start(command, Map.of(), timeFile, logFile);
    }

    /** Runs {@code command} with {@code environment} added to this one's, its output into {@code logFile}. */
    static TimedLaunch start(List<String> command, Map<String, String> environment, Path timeFile, Path logFile)
            throws IOException {
        Files.deleteIfExists(timeFile);
        Files.createDirectories(logFile.getParent());
        List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %U %S %M", "-o", timeFile.toString()));
        timed.addAll(command);
        long started = System.nanoTime();
        ProcessBuilder builder =
                new ProcessBuilder(timed).redirectErrorStream(true).redirectOutput(logFile.toFile());
        builder.environment().putAll(environment);
        return new TimedLaunch(builder.start(), timeFile, logFile, started);
    }

    /** The JVM this benchmark runs on, which every contender uses too. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    ProcessSampler sampler() {
        return sampler;
    }

    Path logFile() {
        return logFile;
    }

    long startedNanos() {
        return startedNanos;
    }

    double secondsSinceLaunch() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /**
     * Checks {@code done} every {@code intervalMillis} and returns the seconds since the launch when it
     * holds; fails when the JVM exits first or {@code timeoutNanos} pass.
     */
    double awaitUntil(BooleanSupplier done, long timeoutNanos, long intervalMillis) throws InterruptedException {
        while (!done.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the contender stopped before the mailbox was empty; see " + logFile);
            }
            if (System.nanoTime() - startedNanos > timeoutNanos) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                throw new IllegalStateException("the mailbox was not drained in time; see " + logFile);
            }
            Thread.sleep(intervalMillis);
        }
        return secondsSinceLaunch();
    }

    /** Stops the JVM with SIGTERM (unless it exits by itself) and waits for it. */
    void stop(boolean exitsByItself) throws InterruptedException {
        if (!exitsByItself) {
            process.descendants().forEach(ProcessHandle::destroy);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.waitFor();
        }
        sampler.close();
    }

    /** CPU seconds (user + system) and peak resident set of the whole run; call after {@link #stop}. */
    Usage usage() throws IOException {
        List<String> time = Files.readAllLines(timeFile);
        String[] fields = time.get(time.size() - 1).trim().split(" ");
        return new Usage(
                Double.parseDouble(fields[1]) + Double.parseDouble(fields[2]), Long.parseLong(fields[3]) / 1024.0);
    }

    @Override
    public void close() {
        sampler.close();
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
