package dev.mailpipe.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.MailpipeRouteTestSupport;
import dev.mailpipe.testing.ManagementClient;
import dev.mailpipe.testing.PrometheusText;
import dev.mailpipe.testing.TestMailServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The /observe endpoints on management.port: JSON health with 503 when DOWN naming the mailbox, Prometheus metrics. */
class ManagementEndpointsTest extends MailpipeRouteTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    @TempDir
    Path dir;

    private final ManagementClient management = new ManagementClient(ManagementClient.freePort());

    private Map<String, String> settings(String password) {
        Map<String, String> settings = plainPop3Settings(greenMail.getPop3().getPort(), dir);
        settings.put("mailbox.password", password);
        settings.put("mailbox.pollDelay", "200");
        settings.put("management.port", Integer.toString(management.port()));
        return settings;
    }

    @Test
    void servesHealthAndMetricsWhileDraining() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        TestMailServer.deliverSamples(user, 2);
        startRoute("inbox-to-files.camel.yaml", settings(TestMailServer.PASSWORD));
        await().atMost(Duration.ofSeconds(30)).until(() -> TestMailServer.messagesLeft(greenMail, user) == 0);
        awaitMorePolls(1);

        HttpResponse<String> ready = management.get("/observe/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(ready.body());
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(body.get("checks").findValuesAsText("name")).contains("mailbox:" + mailbox());
        HttpResponse<String> live = management.get("/observe/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(live.body()).get("checks").findValuesAsText("name"))
                .contains("consumer-thread:" + mailbox())
                .doesNotContain("mailbox:" + mailbox());
        assertThat(JSON.readTree(management.get("/observe/health").body())
                        .get("checks")
                        .findValuesAsText("name"))
                .contains("mailbox:" + mailbox(), "consumer-thread:" + mailbox());

        HttpResponse<String> metrics = management.get("/observe/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        assertThat(PrometheusText.value(
                        PrometheusText.parse(metrics.body()),
                        "mailpipe_messages_delivered_total",
                        Map.of("mailbox", mailbox().toString())))
                .isEqualTo(2);

        assertThat(management.get("/observe/nothing").statusCode()).isEqualTo(404);
        HttpResponse<String> index = management.get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body())
                .contains("/observe/health/live", "/observe/health/ready", "/observe/health", "/observe/metrics");
        JsonNode everything = JSON.readTree(management.get("/observe/health").body());
        assertThat(everything.get("version").asText())
                .isEqualTo(dev.mailpipe.config.BuildInfo.current().version());
        assertThat(PrometheusText.value(
                        PrometheusText.parse(management.get("/observe/metrics").body()),
                        "mailpipe_build_info",
                        Map.of(
                                "version",
                                        dev.mailpipe.config.BuildInfo.current().version(),
                                "camel", "4.22.0",
                                "java", Runtime.version().toString())))
                .isEqualTo(1);
        for (JsonNode check : everything.get("checks")) {
            if (check.get("name").asText().equals("mailbox:" + mailbox())) {
                assertThat(check.get("polledHere").asBoolean())
                        .as("polledHere served")
                        .isTrue();
            }
        }
        assertThat(management
                        .send(HttpRequest.newBuilder(management.uri("/observe/health/live"))
                                .header("X-Filler", "x".repeat(ManagementServer.MAX_HEADERS)))
                        .statusCode())
                .as("headers beyond the limit")
                .isEqualTo(431);
        assertThat(management.get("/observe/health/live").statusCode())
                .as("and the endpoint goes on")
                .isEqualTo(200);
        assertThat(management
                        .send(HttpRequest.newBuilder(management.uri("/observe/health"))
                                .POST(HttpRequest.BodyPublishers.noBody()))
                        .statusCode())
                .isEqualTo(405);
    }

    @Test
    void aWrongPasswordMakesTheMailboxNotReadyNamingIt() throws Exception {
        TestMailServer.user(greenMail);
        startRoute("inbox-to-files.camel.yaml", settings("wrong-password-123"));
        awaitMorePolls(3);

        HttpResponse<String> ready = management.get("/observe/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
        JsonNode failing = failingCheck(ready.body(), "mailbox:" + mailbox());
        assertThat(failing.get("mailbox").asText()).isEqualTo(mailbox().toString());
        assertThat(failing.get("reason").asText())
                .contains("polls failed in a row")
                .contains("login rejected");
        assertThat(ready.body()).doesNotContain("wrong-password-123");
        assertThat(management.get("/observe/health/live").statusCode())
                .as("polling goes on: alive")
                .isEqualTo(200);
    }

    private static JsonNode failingCheck(String body, String name) throws Exception {
        JsonNode parsed = JSON.readTree(body);
        assertThat(parsed.get("status").asText()).isEqualTo("DOWN");
        for (JsonNode check : parsed.get("checks")) {
            if (check.get("name").asText().equals(name)) {
                assertThat(check.get("status").asText()).isEqualTo("DOWN");
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + body);
    }

    private static MailboxId mailbox() {
        return new MailboxId("pop3", "localhost", greenMail.getPop3().getPort(), TestMailServer.USER);
    }
}
