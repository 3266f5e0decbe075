package dev.mailpipe.mailbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one mailbox has done since the start, counted where it happens (the consumer, the failure
 * handling): the source of the batch summaries and progress lines in the log and of the metrics.
 * Only counts and reason names, never message content.
 */
public final class MailboxCounters {

    /** Skip reason: the ledger has the message delivered or dead-lettered before; it is only deleted. */
    public static final String DELIVERED_BEFORE = "delivered-before";
    /** Skip reason: another instance is delivering the message; it stays on the server. */
    public static final String CLAIMED_ELSEWHERE = "claimed-elsewhere";
    /** Skip reason: the message broke every download and is parked; it stays on the server. */
    public static final String PARKED = "parked";
    /** Skip reason: the server keeps the delivered message although it accepted its DELE several times. */
    public static final String KEPT_BY_SERVER = "kept-by-server";
    /** Failure cause of a message's own failure (outages are named by what is out). */
    public static final String MESSAGE = "message";

    private final LongAdder delivered = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder deleted = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final Map<String, LongAdder> skipped = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final AtomicLong onServer = new AtomicLong();
    private final AtomicLong atRisk = new AtomicLong();

    void countDelivered() {
        delivered.increment();
    }

    void countDeadLettered() {
        deadLettered.increment();
    }

    void countSkipped(String reason) {
        skipped.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    void countFailure(String cause) {
        failures.computeIfAbsent(cause, c -> new LongAdder()).increment();
    }

    void countDeleted(int messages) {
        deleted.add(messages);
    }

    void countDownloaded(long count) {
        bytes.add(count);
    }

    void setOnServer(int messages) {
        onServer.set(messages);
    }

    void setAtRisk(long messages) {
        atRisk.set(messages);
    }

    /** Messages every sink has and the ledger records delivered. */
    public long delivered() {
        return delivered.sum();
    }

    /** Messages that failed {@code mailbox.maxAttempts} times and went to the dead-letter sinks. */
    public long deadLettered() {
        return deadLettered.sum();
    }

    /** Messages the server accepted a DELE for. */
    public long deleted() {
        return deleted.sum();
    }

    /** Bytes of messages downloaded from the server. */
    public long bytesDownloaded() {
        return bytes.sum();
    }

    /** Messages skipped by reason ({@link #DELIVERED_BEFORE}, {@link #CLAIMED_ELSEWHERE}). */
    public Map<String, Long> skipped() {
        return sums(skipped);
    }

    /** Failed delivery attempts by cause: {@link #MESSAGE} or the sink that was out ({@code kafka}, ...). */
    public Map<String, Long> failures() {
        return sums(failures);
    }

    /** Messages on the server at the last poll. */
    public long onServer() {
        return onServer.get();
    }

    /** Messages delivered but not yet deleted from the server. */
    public long atRisk() {
        return atRisk.get();
    }

    /** The counts now ({@code nanos} from System.nanoTime()), to compare with a later snapshot. */
    public Snapshot snapshot(long nanos) {
        return new Snapshot(
                delivered(), total(skipped), total(failures), deadLettered(), deleted(), bytesDownloaded(), nanos);
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counts) {
        Map<String, Long> sums = new java.util.TreeMap<>();
        counts.forEach((name, count) -> sums.put(name, count.sum()));
        return sums;
    }

    private static long total(Map<String, LongAdder> counts) {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** The counts at one moment ({@code nanos} is System.nanoTime()). */
    public record Snapshot(
            long delivered, long skipped, long failed, long deadLettered, long deleted, long bytes, long nanos) {

        /** Messages that left the mailbox's to-do list: delivered, skipped or dead-lettered. */
        public long done() {
            return delivered + skipped + deadLettered;
        }

        /** What happened between {@code earlier} and this snapshot. */
        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(
                    delivered - earlier.delivered,
                    skipped - earlier.skipped,
                    failed - earlier.failed,
                    deadLettered - earlier.deadLettered,
                    deleted - earlier.deleted,
                    bytes - earlier.bytes,
                    nanos - earlier.nanos);
        }
    }
}
