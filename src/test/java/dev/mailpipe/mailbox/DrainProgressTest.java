package dev.mailpipe.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.testing.LogCapture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Progress lines come every ten seconds during a large drain only, with rate and time left; a batch ends in one summary. */
class DrainProgressTest {

    private static final MailboxId MAILBOX = new MailboxId("pop3s", "pop.example.org", 995, "alice");

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final MailboxCounters counters = new MailboxCounters();
    private final DrainProgress progress = new DrainProgress(MAILBOX, counters, now::get);
    private LogCapture log;

    @BeforeEach
    void capture() {
        log = LogCapture.begin();
    }

    @AfterEach
    void stopCapture() {
        log.close();
    }

    @Test
    void logsRateAndTimeLeftEveryTenSecondsOfALargeDrain() {
        progress.batchStarted(10_000);
        deliver(1_000, 9);
        progress.tick();
        assertThat(progressLines()).as("not before ten seconds").isEmpty();

        deliver(800, 1);
        progress.tick();
        progress.tick();
        assertThat(progressLines())
                .containsExactly(
                        "Mailbox pop3s://alice@pop.example.org:995: 1,800 of 10,000 (18%), 180 msg/s, about 46 s left");

        deliver(1_800, 10);
        progress.tick();
        assertThat(progressLines()).hasSize(2);
        assertThat(progressLines().get(1)).contains("3,600 of 10,000 (36%), 180 msg/s, about 36 s left");
    }

    @Test
    void countsMessagesDoneInEarlierBatchesOfTheSameDrain() {
        progress.batchStarted(1_000);
        deliver(500, 20);
        progress.batchEnded(true);
        // The first batch's deletions are applied: 500 left on the server.
        progress.batchStarted(500);
        deliver(100, 5);
        progress.tick();
        assertThat(progressLines())
                .containsExactly(
                        "Mailbox pop3s://alice@pop.example.org:995: 600 of 1,000 (60%), 24 msg/s, about 17 s left");
    }

    @Test
    void aSmallDrainHasNoProgressLines() {
        progress.batchStarted(299);
        deliver(100, 60);
        progress.tick();
        assertThat(progressLines()).isEmpty();
    }

    @Test
    void aBatchEndsInOneSummaryLine() {
        progress.batchStarted(7);
        deliver(4, 2);
        counters.countSkipped(MailboxCounters.DELIVERED_BEFORE);
        counters.countFailure(MailboxCounters.MESSAGE);
        counters.countDeadLettered();
        counters.countDeleted(6);
        counters.countDownloaded(1_234_567);
        progress.batchEnded(false);

        assertThat(log.atLeast(Level.INFO))
                .extracting(LogCapture.Line::message)
                .containsExactly(
                        "Mailbox pop3s://alice@pop.example.org:995: batch done in 2.0 s: 4 delivered, 1 skipped,"
                                + " 1 failed, 1 dead-lettered, 6 deleted, 1,234,567 bytes downloaded");
    }

    private void deliver(int messages, int seconds) {
        for (int n = 0; n < messages; n++) {
            counters.countDelivered();
        }
        now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    private java.util.List<String> progressLines() {
        return log.atLeast(Level.INFO).stream()
                .filter(line -> line.logger().equals(DrainProgress.class.getName()))
                .map(LogCapture.Line::message)
                .filter(message -> message.contains(" of "))
                .toList();
    }
}
