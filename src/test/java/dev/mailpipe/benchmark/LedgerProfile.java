package dev.mailpipe.benchmark;

import dev.mailpipe.ledger.Ledger;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * What a JFR recording of a fleet drain says of the ledger (one SQLite connection behind one lock,
 * shared by every mailbox): how long threads waited to enter it, against the other contended locks,
 * and what share of the sampled work ran inside it, in Java and in SQLite's native code.
 */
record LedgerProfile(
        String load,
        double drainSeconds,
        int lockWaits,
        double lockWaitSeconds,
        double longestLockWaitMillis,
        String waitedMostIn,
        String otherMonitor,
        double otherMonitorWaitSeconds,
        int javaSamples,
        int javaSamplesInLedger,
        int nativeSamples,
        int nativeSamplesInLedger) {

    /** JVM options that record what {@link #read} needs: monitor waits from 1 ms, method samples. */
    static List<String> jvmOptions(Path recording) {
        return List.of("-XX:StartFlightRecording:settings=profile,locking-threshold=1ms,dumponexit=true,filename="
                + recording);
    }

    static LedgerProfile read(String load, Path recording, double drainSeconds) throws IOException {
        String ledger = Ledger.class.getName();
        int lockWaits = 0;
        Duration lockWait = Duration.ZERO;
        Duration longest = Duration.ZERO;
        // The ledger method a thread waited to enter: which writes queue up.
        Map<String, Duration> byMethod = new HashMap<>();
        Map<String, Duration> otherMonitors = new HashMap<>();
        int[] java = new int[2];
        int[] nativeCode = new int[2];
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                switch (event.getEventType().getName()) {
                    case "jdk.JavaMonitorEnter" -> {
                        RecordedClass monitor = event.getClass("monitorClass");
                        String name = monitor == null ? "?" : monitor.getName();
                        if (name.equals(ledger)) {
                            lockWaits++;
                            lockWait = lockWait.plus(event.getDuration());
                            byMethod.merge(enteredMethod(event), event.getDuration(), Duration::plus);
                            longest = longest.compareTo(event.getDuration()) < 0 ? event.getDuration() : longest;
                        } else {
                            otherMonitors.merge(name, event.getDuration(), Duration::plus);
                        }
                    }
                    case "jdk.ExecutionSample" -> count(event, ledger, java);
                    case "jdk.NativeMethodSample" -> count(event, ledger, nativeCode);
                    default -> {
                        // Other events of the profile settings are not read here.
                    }
                }
            }
        }
        Map.Entry<String, Duration> other = otherMonitors.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .orElse(Map.entry("none", Duration.ZERO));
        Duration waited = lockWait;
        String waitedMostIn = byMethod.entrySet().stream()
                .sorted(Map.Entry.<String, Duration>comparingByValue().reversed())
                .limit(3)
                .map(e -> "%s %.0f%%".formatted(e.getKey(), 100.0 * e.getValue().toNanos() / waited.toNanos()))
                .collect(Collectors.joining(", "));
        return new LedgerProfile(
                load,
                drainSeconds,
                lockWaits,
                lockWait.toNanos() / 1e9,
                longest.toNanos() / 1e6,
                waitedMostIn.isEmpty() ? "none" : waitedMostIn,
                other.getKey(),
                other.getValue().toNanos() / 1e9,
                java[0],
                java[1],
                nativeCode[0],
                nativeCode[1]);
    }

    private static String enteredMethod(RecordedEvent event) {
        RecordedStackTrace stack = event.getStackTrace();
        return stack == null || stack.getFrames().isEmpty()
                ? "?"
                : stack.getFrames().get(0).getMethod().getName();
    }

    /** Counts the sample in {@code counts[0]}, and in {@code counts[1]} when a frame of its stack is the ledger's. */
    private static void count(RecordedEvent sample, String ledger, int[] counts) {
        counts[0]++;
        RecordedStackTrace stack = sample.getStackTrace();
        if (stack == null) {
            return;
        }
        for (RecordedFrame frame : stack.getFrames()) {
            if (frame.getMethod() != null
                    && frame.getMethod().getType().getName().equals(ledger)) {
                counts[1]++;
                return;
            }
        }
    }

    /** The average number of threads waiting for the ledger's lock over the drain. */
    double threadsWaiting() {
        return lockWaitSeconds / drainSeconds;
    }
}
