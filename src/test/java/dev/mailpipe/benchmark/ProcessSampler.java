package dev.mailpipe.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches a contender's JVM through /proc while it runs: its peak thread count, sampled every
 * 100 ms, and its threads, resident set and CPU time on demand.
 */
final class ProcessSampler implements AutoCloseable {

    /** Clock ticks per second of /proc/PID/stat's times (USER_HZ: 100 on Linux on x86 and arm). */
    private static final double TICKS_PER_SECOND = 100.0;

    private final ProcessHandle launcher;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "process-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long pid = -1;
    private volatile int peakThreads;

    /** Samples the JVM that {@code launcher} ({@code /usr/bin/time}) starts, or the launcher itself if it is the JVM. */
    ProcessSampler(ProcessHandle launcher) {
        this.launcher = launcher;
        timer.scheduleAtFixedRate(this::sample, 0, 100, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        peakThreads = Math.max(peakThreads, (int) status("Threads:"));
    }

    private long jvm() {
        if (pid < 0) {
            pid = launcher.children().findFirst().map(ProcessHandle::pid).orElse(-1L);
        }
        return pid;
    }

    int peakThreads() {
        return peakThreads;
    }

    /** The JVM's threads now, or 0 once it has gone. */
    int threads() {
        return (int) status("Threads:");
    }

    /** The JVM's resident set now, or 0 once it has gone. */
    double rssMegabytes() {
        return status("VmRSS:") / 1024.0;
    }

    /** The number at the start of a /proc/PID/status field (kB for sizes), or 0 once the JVM has gone. */
    private long status(String field) {
        return read(jvm(), "status")
                .flatMap(status -> status.lines()
                        .filter(line -> line.startsWith(field))
                        .map(line -> Long.parseLong(value(line).split("\\s+")[0]))
                        .findFirst())
                .orElse(0L);
    }

    /** User plus system CPU seconds the JVM has used so far. */
    double cpuSeconds() {
        return cpuSeconds(jvm(), false).orElseThrow(() -> new IllegalStateException("the JVM has gone"));
    }

    /**
     * User plus system CPU seconds of a server and everything it started: its own, those of its
     * children that have exited (the kernel adds them to the parent that reaps them) and those of
     * the children still running. Dovecot forks a process per login, most gone by the time of asking.
     */
    static double treeCpuSeconds(long pid) {
        double seconds = cpuSeconds(pid, true).orElse(0.0);
        for (ProcessHandle child : ProcessHandle.of(pid)
                .map(handle -> handle.descendants().toList())
                .orElse(java.util.List.of())) {
            seconds += cpuSeconds(child.pid(), true).orElse(0.0);
        }
        return seconds;
    }

    private static Optional<Double> cpuSeconds(long pid, boolean withExitedChildren) {
        return read(pid, "stat").map(stat -> {
            // Fields after the command name, which is in parentheses and may hold spaces: utime,
            // stime, cutime and cstime are the 14th to 17th fields of the line.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            if (withExitedChildren) {
                ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            }
            return ticks / TICKS_PER_SECOND;
        });
    }

    private static String value(String line) {
        return line.substring(line.indexOf(':') + 1).strip();
    }

    private static Optional<String> read(long pid, String file) {
        if (pid < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(Path.of("/proc", Long.toString(pid), file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            // The process has exited between two samples.
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
