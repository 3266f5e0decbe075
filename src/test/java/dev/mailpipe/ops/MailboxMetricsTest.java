package dev.mailpipe.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.config.Settings;
import dev.mailpipe.mailbox.MailboxSettings;
import dev.mailpipe.mailbox.MailboxStatus;
import dev.mailpipe.testing.PrometheusText;
import dev.mailpipe.testing.PrometheusText.Sample;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Failures are counted by cause, and an outage shows as seconds against its sink until a delivery ends it. */
class MailboxMetricsTest {

    private static final Map<String, String> SETTINGS = Map.of(
            "mailbox.host", "pop.example.org", "mailbox.username", "alice", "mailbox.password", "not-in-metrics");

    private final MailboxStatus status =
            new MailboxStatus(MailboxSettings.from(new Settings(key -> Optional.ofNullable(SETTINGS.get(key)))));
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private final MailboxReadiness readiness =
            new MailboxReadiness(status, java.time.Duration.ofMinutes(10), java.time.Duration.ofMinutes(5));

    @Test
    void countsFailuresByCauseAndTimesTheOutageOfItsSink() {
        new MailboxMetrics(status, readiness).bindTo(registry);
        status.consumerStarted();
        status.messageFailed("key-1");
        status.outages().start("kafka sink localhost:9092", "kafka sink localhost:9092 unavailable: timeout");
        status.outages().start("kafka sink localhost:9092", "kafka sink localhost:9092 unavailable: timeout");
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(5))
                .until(() -> status.outages().duration().toMillis() > 0);

        List<Sample> during = PrometheusText.parse(registry.scrape());
        Map<String, String> mailbox = Map.of("mailbox", "pop3s://alice@pop.example.org:995");
        assertThat(value(during, "mailpipe_message_failures_total", mailbox, "cause", "message"))
                .isEqualTo(1);
        assertThat(value(during, "mailpipe_message_failures_total", mailbox, "cause", "kafka"))
                .isEqualTo(2);
        assertThat(value(during, "mailpipe_sink_outage_seconds", mailbox, "sink", "kafka"))
                .isPositive();
        assertThat(value(during, "mailpipe_sink_outage_seconds", mailbox, "sink", "files"))
                .isZero();
        // Before the first poll: when polling began, so `time() - value > 900` (README's alert) does not fire.
        double now = System.currentTimeMillis() / 1000.0;
        assertThat(now
                        - value(
                                during,
                                "mailpipe_last_successful_poll_seconds",
                                mailbox,
                                "mailbox",
                                mailbox.get("mailbox")))
                .isBetween(0.0, 60.0);

        status.outages().end();
        List<Sample> after = PrometheusText.parse(registry.scrape());
        assertThat(value(after, "mailpipe_sink_outage_seconds", mailbox, "sink", "kafka"))
                .isZero();
        assertThat(registry.scrape()).doesNotContain("not-in-metrics");
    }

    @Test
    void countsFailedPollsByCauseAndShowsTheMailboxNotReady() {
        new MailboxMetrics(status, readiness).bindTo(registry);
        status.consumerStarted();
        Map<String, String> mailbox = Map.of("mailbox", "pop3s://alice@pop.example.org:995");
        assertThat(value(
                        PrometheusText.parse(registry.scrape()),
                        "mailpipe_mailbox_ready",
                        mailbox,
                        "mailbox",
                        mailbox.get("mailbox")))
                .isEqualTo(1);

        for (int poll = 0; poll < MailboxReadiness.FAILED_POLLS; poll++) {
            status.polls().begin(null, null);
            status.polls().rollback(null, null, 0, new jakarta.mail.AuthenticationFailedException("[AUTH] no"));
        }

        List<Sample> after = PrometheusText.parse(registry.scrape());
        assertThat(value(after, "mailpipe_poll_failures_total", mailbox, "cause", "login"))
                .isEqualTo(MailboxReadiness.FAILED_POLLS);
        assertThat(value(after, "mailpipe_mailbox_ready", mailbox, "mailbox", mailbox.get("mailbox")))
                .isZero();
    }

    @Test
    void aMailboxAnotherInstancePollsHasNoLastPollTime() {
        new MailboxMetrics(status, readiness).bindTo(registry);
        Map<String, String> mailbox = Map.of("mailbox", "pop3s://alice@pop.example.org:995");
        assertThat(value(
                        PrometheusText.parse(registry.scrape()),
                        "mailpipe_last_successful_poll_seconds",
                        mailbox,
                        "mailbox",
                        mailbox.get("mailbox")))
                .isNaN();
    }

    private static double value(List<Sample> samples, String name, Map<String, String> mailbox, String key, String v) {
        Map<String, String> labels = new java.util.HashMap<>(mailbox);
        labels.put(key, v);
        return PrometheusText.value(samples, name, labels);
    }
}
