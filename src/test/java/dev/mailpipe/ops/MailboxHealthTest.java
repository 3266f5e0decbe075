package dev.mailpipe.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.config.Settings;
import dev.mailpipe.mailbox.MailboxSettings;
import dev.mailpipe.mailbox.MailboxStatus;
import jakarta.mail.AuthenticationFailedException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;

/** Readiness goes DOWN on failing polls, a long outage or a stall, and back UP; liveness only when a poll is stuck. */
class MailboxHealthTest {

    private static final Map<String, String> SETTINGS = Map.of(
            "mailbox.host", "pop.example.org", "mailbox.username", "alice", "mailbox.password", "hunter2-secret");
    private static final Duration LONG = Duration.ofHours(1);

    /** The status's clock, moved by the tests: durations pass without waiting. */
    private final AtomicLong nanos = new AtomicLong();

    private final MailboxStatus status = new MailboxStatus(
            MailboxSettings.from(new Settings(key -> Optional.ofNullable(SETTINGS.get(key)))), nanos::get);

    private void pass(Duration time) {
        nanos.addAndGet(time.toNanos());
    }

    @org.junit.jupiter.api.BeforeEach
    void pollsItHere() {
        status.consumerStarted();
    }

    @Test
    void aMailboxAnotherInstancePollsIsNoReasonToBeUnready() {
        MailboxReadiness ready = new MailboxReadiness(status, Duration.ofMillis(1), Duration.ofMillis(1));
        status.consumerStopped();
        for (int poll = 1; poll <= 3; poll++) {
            failPoll();
        }
        HealthCheck.Result result = ready.call();
        assertThat(result.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(result.getDetails()).containsEntry("polledHere", false);
    }

    @Test
    void notReadyAfterThreeFailedPollsInARowAndReadyAfterAGoodOne() {
        MailboxReadiness ready = new MailboxReadiness(status, LONG, LONG);
        for (int poll = 1; poll <= 2; poll++) {
            failPoll();
            assertThat(ready.call().getState())
                    .as("after %d failed polls", poll)
                    .isEqualTo(HealthCheck.State.UP);
        }
        failPoll();
        HealthCheck.Result result = ready.call();
        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getMessage())
                .hasValueSatisfying(reason -> assertThat(reason)
                        .contains("mailbox pop3s://alice@pop.example.org:995 cannot be polled, 3 polls failed in a row")
                        .contains("login rejected")
                        .doesNotContain("hunter2"));

        status.polls().begin(null, null);
        status.polls().commit(null, null, 0);
        assertThat(ready.call().getState()).isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void notReadyWhenAnOutageOutlastsItsGraceAndReadyOnceDeliveryWorks() {
        MailboxReadiness ready = new MailboxReadiness(status, LONG, Duration.ofSeconds(60));
        status.outages().start("kafka sink localhost:9092", "kafka sink localhost:9092 unavailable");
        pass(Duration.ofSeconds(60));
        assertThat(ready.call().getState()).as("within the grace").isEqualTo(HealthCheck.State.UP);

        pass(Duration.ofSeconds(1));
        assertThat(ready.call().getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(ready.call().getMessage())
                .hasValueSatisfying(reason -> assertThat(reason).contains("kafka has been unavailable for"));
        assertThat(ready.call().getDetails()).containsEntry("outage", "kafka");

        status.outages().end();
        assertThat(ready.call().getState()).isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void notReadyWhenNeitherPollsNorProgressHappenForTooLong() {
        MailboxReadiness ready = new MailboxReadiness(status, Duration.ofMinutes(10), LONG);
        pass(Duration.ofMinutes(10));
        assertThat(ready.call().getState()).as("quiet for exactly the limit").isEqualTo(HealthCheck.State.UP);
        pass(Duration.ofSeconds(1));
        assertThat(ready.call().getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(ready.call().getMessage())
                .hasValueSatisfying(reason -> assertThat(reason).contains("is stalled"));

        status.progress();
        assertThat(ready.call().getState()).isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void notLiveOnlyWhileAPollMakesNoHeadwayForTooLong() {
        MailboxLiveness live = new MailboxLiveness(status, Duration.ofMinutes(5));
        assertThat(live.isLiveness()).isTrue();
        assertThat(live.isReadiness()).isFalse();
        pass(Duration.ofMinutes(10));
        assertThat(live.call().getState()).as("idle between polls").isEqualTo(HealthCheck.State.UP);

        status.polls().begin(null, null);
        pass(Duration.ofMinutes(5));
        assertThat(live.call().getState())
                .as("a poll quiet for exactly the limit")
                .isEqualTo(HealthCheck.State.UP);
        pass(Duration.ofSeconds(1));
        assertThat(live.call().getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(live.call().getMessage())
                .hasValueSatisfying(reason -> assertThat(reason).contains("stuck in a poll"));

        status.polls().activity();
        assertThat(live.call().getState()).isEqualTo(HealthCheck.State.UP);
    }

    private void failPoll() {
        status.polls().begin(null, null);
        status.polls().rollback(null, null, 0, new AuthenticationFailedException("[AUTH] Authentication failed."));
    }
}
