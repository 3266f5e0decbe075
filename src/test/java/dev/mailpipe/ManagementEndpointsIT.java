package dev.mailpipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.KafkaBroker;
import dev.mailpipe.testing.ManagementClient;
import dev.mailpipe.testing.PrometheusText;
import dev.mailpipe.testing.PrometheusText.Sample;
import dev.mailpipe.testing.RunnerProcess;
import dev.mailpipe.testing.TestMailServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management endpoints of the packaged jar, through a real HTTP client: ready while draining
 * and metrics that count the drain; a wrong password makes it not ready within three poll
 * intervals, naming the mailbox; a Kafka outage makes it not ready after the configured grace, and
 * ready again once the broker is back.
 */
class ManagementEndpointsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    private static KafkaBroker kafka;

    @TempDir
    Path dir;

    private final ManagementClient management = new ManagementClient(ManagementClient.freePort());
    private RunnerProcess runner;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaBroker.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
    }

    @AfterEach
    void stopRunner() throws Exception {
        if (runner != null && runner.isAlive()) {
            runner.terminate();
            runner.awaitExit(1);
        }
    }

    private List<String> settings(int pollDelayMillis) {
        List<String> settings = RunnerProcess.drainSettings(greenMail.getPop3s().getPort(), dir);
        settings.replaceAll(
                line -> line.startsWith("mailbox.pollDelay=") ? "mailbox.pollDelay=" + pollDelayMillis : line);
        return settings;
    }

    private void start(List<String> settings, Map<String, String> environment, String name) throws Exception {
        Path file = Files.writeString(dir.resolve(name + ".properties"), String.join("\n", settings));
        runner = RunnerProcess.start(file, List.of("-Xmx256m"), environment, dir.resolve(name + ".log"));
        await().atMost(Duration.ofMinutes(1)).until(() -> management.status("/observe/health/live") != -1);
    }

    private static MailboxId mailbox() {
        return new MailboxId("pop3s", "localhost", greenMail.getPop3s().getPort(), TestMailServer.USER);
    }

    @Test
    void readyWhileDrainingAndTheMetricsCountEveryMessageDrained() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        int messages = 120;
        TestMailServer.deliverSamples(user, messages);
        // The port through the environment, as a container would set it.
        start(settings(500), Map.of("MANAGEMENT_PORT", Integer.toString(management.port())), "drain");

        List<Integer> readyDuringDrain = new ArrayList<>();
        await().atMost(Duration.ofMinutes(3)).until(() -> {
            readyDuringDrain.add(management.status("/observe/health/ready"));
            return TestMailServer.messagesLeft(greenMail, user) == 0;
        });
        assertThat(readyDuringDrain)
                .as("probes during the drain")
                .hasSizeGreaterThan(3)
                .containsOnly(200);

        Map<String, String> labels = Map.of("mailbox", mailbox().toString());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> PrometheusText.value(metrics(), "mailpipe_messages_deleted_total", labels) == messages);
        List<Sample> samples = metrics();
        assertThat(PrometheusText.value(samples, "mailpipe_messages_delivered_total", labels))
                .isEqualTo(messages);
        assertThat(PrometheusText.value(samples, "mailpipe_at_risk", labels)).isZero();
        assertThat(samples).anyMatch(sample -> sample.name().equals("jvm_memory_used_bytes"));
        assertThat(management.get("/observe/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void aWrongPasswordMakesTheMailboxNotReadyWithinThreePollIntervals() throws Exception {
        TestMailServer.user(greenMail);
        int pollDelay = 2_000;
        List<String> settings = settings(pollDelay);
        settings.replaceAll(line -> line.startsWith("mailbox.password=") ? "mailbox.password=not-the-password" : line);
        settings.add("management.port=" + management.port());
        // Timed from the first answer: the endpoints start before the route's first poll.
        start(settings, Map.of(), "wrong-password");

        // Ready through the first two failed polls, not ready once the third has ended: counted in
        // polls (the metrics' count of ended polls), not in wall time, which a busy machine stretches.
        Map<String, String> labels = Map.of("mailbox", mailbox().toString());
        List<Integer> beforeThird = new ArrayList<>();
        await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    int status = management.status("/observe/health/ready");
                    if (polls(labels) >= 3) {
                        return true;
                    }
                    beforeThird.add(status);
                    return false;
                });
        assertThat(beforeThird)
                .as("readiness before the third failed poll ended")
                .contains(200);
        await().atMost(Duration.ofMillis(pollDelay))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> management.status("/observe/health/ready") == 503);
        HttpResponse<String> ready = management.get("/observe/health/ready");
        JsonNode check = failingCheck(ready.body(), "mailbox:" + mailbox());
        assertThat(check.get("mailbox").asText()).isEqualTo(mailbox().toString());
        assertThat(check.get("reason").asText()).contains("login rejected");
        assertThat(ready.body()).doesNotContain("not-the-password");
        assertThat(management.status("/observe/health/live"))
                .as("the process still polls")
                .isEqualTo(200);
    }

    /** Polls of the mailbox that have ended, by its poll timer's count. */
    private double polls(Map<String, String> labels) throws Exception {
        return PrometheusText.value(metrics(), "mailpipe_poll_duration_seconds_count", labels);
    }

    @Test
    void aKafkaOutageMakesTheMailboxNotReadyAfterTheGraceAndReadyAgainAfterRecovery() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        TestMailServer.deliverSamples(user, 10);
        int graceSeconds = 8;
        List<String> settings = settings(1_000);
        settings.add("sink.kafka.brokers=" + kafka.bootstrapServers());
        settings.add("sink.kafka.topic=management-" + System.nanoTime());
        settings.add("sink.kafka.deliveryTimeoutMs=2000");
        settings.add("management.port=" + management.port());
        settings.add("management.outageGraceSeconds=" + graceSeconds);
        kafka.stopBroker();
        try {
            start(settings, Map.of(), "kafka-outage");
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> Files.readString(runner.log()).contains("kafka sink"));
            long outageSeen = System.nanoTime();
            assertThat(management.status("/observe/health/ready"))
                    .as("within the grace")
                    .isEqualTo(200);

            await().atMost(Duration.ofSeconds(graceSeconds + 10))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> management.status("/observe/health/ready") == 503);
            assertThat(Duration.ofNanos(System.nanoTime() - outageSeen))
                    .as("not ready only after the grace")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(graceSeconds - 1));
            JsonNode check =
                    failingCheck(management.get("/observe/health/ready").body(), "mailbox:" + mailbox());
            assertThat(check.get("reason").asText()).contains("kafka has been unavailable");
            assertThat(TestMailServer.messagesLeft(greenMail, user))
                    .as("nothing deleted")
                    .isEqualTo(10);
        } finally {
            kafka.restartBroker();
        }
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> management.status("/observe/health/ready") == 200);
        await().atMost(Duration.ofMinutes(2)).until(() -> TestMailServer.messagesLeft(greenMail, user) == 0);
        Map<String, String> labels = Map.of("mailbox", mailbox().toString());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> PrometheusText.value(metrics(), "mailpipe_messages_delivered_total", labels) == 10);
        assertThat(PrometheusText.value(metrics(), "mailpipe_message_failures_total", Map.of("cause", "kafka")))
                .isPositive();
    }

    private List<Sample> metrics() {
        HttpResponse<String> response = management.get("/observe/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }

    private static JsonNode failingCheck(String body, String name) throws Exception {
        JsonNode parsed = JSON.readTree(body);
        assertThat(parsed.get("status").asText()).as(body).isEqualTo("DOWN");
        for (JsonNode check : parsed.get("checks")) {
            if (check.get("name").asText().equals(name)) {
                assertThat(check.get("status").asText()).as(body).isEqualTo("DOWN");
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + body);
    }
}
