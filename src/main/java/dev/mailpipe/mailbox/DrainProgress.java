package dev.mailpipe.mailbox;

import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log lines that show a drain is moving: one INFO summary per batch and, while a drain of more
 * than a few hundred messages lasts, an INFO progress line about every ten seconds with the rate and
 * the time left. A drain is a run of greedy batches; it counts from the mailbox size at its first
 * batch plus mail that arrives meanwhile. Used by the consumer's thread only.
 */
final class DrainProgress {

    private static final Logger LOG = LoggerFactory.getLogger(DrainProgress.class);

    /** Drains of at least this many messages get progress lines. */
    static final int PROGRESS_FROM = 300;
    /** Time between progress lines. */
    static final Duration EVERY = Duration.ofSeconds(10);

    private final MailboxId mailbox;
    private final MailboxCounters counters;
    private final LongSupplier nanoTime;
    private MailboxCounters.Snapshot drainStart;
    private long drainTotal;
    private MailboxCounters.Snapshot batchStart;
    private long lastLine;

    DrainProgress(MailboxId mailbox, MailboxCounters counters, LongSupplier nanoTime) {
        this.mailbox = mailbox;
        this.counters = counters;
        this.nanoTime = nanoTime;
    }

    /** A batch begins with {@code onServer} messages on the server. */
    void batchStarted(int onServer) {
        MailboxCounters.Snapshot now = snapshot();
        if (drainStart == null) {
            drainStart = now;
            lastLine = now.nanos();
        }
        drainTotal = now.minus(drainStart).done() + onServer;
        batchStart = now;
    }

    /** Called as messages are handed over: logs a progress line when one is due. */
    void tick() {
        if (drainStart == null || drainTotal < PROGRESS_FROM) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (now - lastLine < EVERY.toNanos()) {
            return;
        }
        lastLine = now;
        LOG.info(progressLine(snapshot().minus(drainStart), drainTotal));
    }

    /** Logs the batch's summary; {@code drainGoesOn} when the next batch follows at once. */
    void batchEnded(boolean drainGoesOn) {
        if (batchStart == null) {
            return;
        }
        MailboxCounters.Snapshot batch = snapshot().minus(batchStart);
        LOG.info(String.format(
                Locale.ROOT,
                "Mailbox %s: batch done in %.1f s: %,d delivered, %,d skipped, %,d failed, %,d dead-lettered,"
                        + " %,d deleted, %,d bytes downloaded",
                mailbox,
                batch.nanos() / 1e9,
                batch.delivered(),
                batch.skipped(),
                batch.failed(),
                batch.deadLettered(),
                batch.deleted(),
                batch.bytes()));
        batchStart = null;
        if (!drainGoesOn) {
            drainStart = null;
        }
    }

    private String progressLine(MailboxCounters.Snapshot done, long total) {
        long count = done.done();
        double seconds = done.nanos() / 1e9;
        double rate = seconds > 0 ? count / seconds : 0;
        String left;
        if (rate <= 0) {
            left = "none done yet";
        } else {
            long secondsLeft = Math.round(Math.max(0, total - count) / rate);
            left = secondsLeft < 120
                    ? "about " + secondsLeft + " s left"
                    : "about " + (secondsLeft + 30) / 60 + " min left";
        }
        return String.format(
                Locale.ROOT,
                "Mailbox %s: %,d of %,d (%d%%), %,.0f msg/s, %s",
                mailbox,
                count,
                total,
                total == 0 ? 100 : count * 100 / total,
                rate,
                left);
    }

    private MailboxCounters.Snapshot snapshot() {
        return counters.snapshot(nanoTime.getAsLong());
    }
}
