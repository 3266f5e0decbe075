package dev.mailpipe.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailpipe.config.Settings;
import dev.mailpipe.mailbox.MailboxSettings;
import dev.mailpipe.mailbox.MailboxStatus;
import jakarta.mail.AuthenticationFailedException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;

/** Readiness goes DOWN on failing polls, a long outage or a stall, and back UP; liveness only when a poll is stuck. */
class MailboxHealthTest {

    private static final Map<String, String> SETTINGS = Map.of(
            "mailbox.host", "pop.example.org", "mailbox.username", "alice", "mailbox.password", "hunter2-secret");
    private static final Duration LONG = Duration.ofHours(1);

    private final MailboxStatus status =
            new MailboxStatus(MailboxSettings.from(new Settings(key -> Optional.ofNullable(SETTINGS.get(key)))));

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

        status.begin(null, null);
        status.commit(null, null, 0);
        assertThat(ready.call().getState()).isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void notReadyWhenAnOutageOutlastsItsGraceAndReadyOnceDeliveryWorks() {
        // A grace long enough that the first check falls within it even on a busy machine.
        MailboxReadiness ready = new MailboxReadiness(status, LONG, Duration.ofSeconds(1));
        status.deliveryOutage("kafka sink localhost:9092", "kafka sink localhost:9092 unavailable");
        assertThat(ready.call().getState()).as("within the grace").isEqualTo(HealthCheck.State.UP);

        await().atMost(Duration.ofSeconds(5)).until(() -> ready.call().getState() == HealthCheck.State.DOWN);
        assertThat(ready.call().getMessage())
                .hasValueSatisfying(reason -> assertThat(reason).contains("kafka has been unavailable for"));
        assertThat(ready.call().getDetails()).containsEntry("outage", "kafka");

        status.deliveryWorks();
        assertThat(ready.call().getState()).isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void notReadyWhenNeitherPollsNorProgressHappenForTooLong() {
        MailboxReadiness ready = new MailboxReadiness(status, Duration.ofMillis(50), LONG);
        await().atMost(Duration.ofSeconds(5)).until(() -> ready.call().getState() == HealthCheck.State.DOWN);
        assertThat(ready.call().getMessage())
                .hasValueSatisfying(reason -> assertThat(reason).contains("is stalled"));

        status.progress();
        assertThat(ready.call().getState()).isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void notLiveOnlyWhileAPollMakesNoHeadwayForTooLong() {
        MailboxLiveness live = new MailboxLiveness(status, Duration.ofMillis(50));
        assertThat(live.isLiveness()).isTrue();
        assertThat(live.isReadiness()).isFalse();
        await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(live.call().getState()).as("idle between polls").isEqualTo(HealthCheck.State.UP);

        status.begin(null, null);
        await().atMost(Duration.ofSeconds(5)).until(() -> live.call().getState() == HealthCheck.State.DOWN);
        assertThat(live.call().getMessage())
                .hasValueSatisfying(reason -> assertThat(reason).contains("stuck in a poll"));

        status.activity();
        assertThat(live.call().getState()).isEqualTo(HealthCheck.State.UP);
    }

    private void failPoll() {
        status.begin(null, null);
        status.rollback(null, null, 0, new AuthenticationFailedException("[AUTH] Authentication failed."));
    }
}
