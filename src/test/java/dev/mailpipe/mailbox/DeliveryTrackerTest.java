package dev.mailpipe.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.testing.MutableClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which messages a poll takes: failed ones wait for the next regular poll; stored ones are not refetched when kept. */
class DeliveryTrackerTest {

    private final MutableClock clock = new MutableClock();

    private static MailboxSettings mailbox(boolean delete) {
        return new MailboxSettings(
                "pop3s",
                "pop.example.org",
                995,
                "alice",
                "x",
                Optional.empty(),
                false,
                Optional.empty(),
                delete,
                60_000,
                50,
                1_000_000,
                5,
                30_000,
                120_000);
    }

    @Test
    void failedMessageIsHeldBackUntilThePollDelayHasPassed() {
        DeliveryTracker tracker = new DeliveryTracker(mailbox(true), clock);
        assertThat(tracker.add("1")).isTrue();
        tracker.remove("1");

        assertThat(tracker.add("1")).as("greedy re-poll right away").isFalse();
        clock.advance(Duration.ofSeconds(59));
        assertThat(tracker.add("1")).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(tracker.add("1")).as("next regular poll").isTrue();
    }

    @Test
    void storedMessageStillOnTheServerIsFetchedAgainWhenDeleting() {
        // With delete=true a message found again means its DELE did not reach the server: fetch it again.
        DeliveryTracker tracker = new DeliveryTracker(mailbox(true), clock);
        assertThat(tracker.add("1")).isTrue();
        tracker.confirm("1");
        assertThat(tracker.add("1")).isTrue();
    }

    @Test
    void storedMessageKeptOnTheServerIsNotFetchedAgain() {
        DeliveryTracker tracker = new DeliveryTracker(mailbox(false), clock);
        assertThat(tracker.add("1")).isTrue();
        tracker.confirm("1");
        assertThat(tracker.add("1")).isFalse();
        assertThat(tracker.contains("1")).isTrue();
        assertThat(tracker.add("2")).isTrue();
    }
}
