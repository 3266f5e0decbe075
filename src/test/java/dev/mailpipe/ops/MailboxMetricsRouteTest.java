package dev.mailpipe.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.MailpipeRouteTestSupport;
import dev.mailpipe.testing.ManagementClient;
import dev.mailpipe.testing.PrometheusText;
import dev.mailpipe.testing.PrometheusText.Sample;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TestMailServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A drain shows in the mailbox's Prometheus meters: deliveries, deletions, bytes, polls; JVM meters beside them, no secret. */
class MailboxMetricsRouteTest extends MailpipeRouteTestSupport {

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    @TempDir
    Path dir;

    @Test
    void noMetersWithoutTheManagementEndpoints() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        TestMailServer.deliverSamples(user, 1);
        startRoute(
                "inbox-to-files.camel.yaml",
                plainPop3Settings(greenMail.getPop3().getPort(), dir));
        await().atMost(Duration.ofSeconds(30)).until(() -> TestMailServer.messagesLeft(greenMail, user) == 0);

        assertThat(Observability.metrics(context)).isEmpty();
    }

    @Test
    void countsADrainPerMailbox() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        TestMailServer.deliverSamples(user, 3);
        int port = greenMail.getPop3().getPort();
        Map<String, String> settings = plainPop3Settings(port, dir);
        settings.put("mailbox.pollDelay", "200");
        // The meters exist only with the management endpoints on.
        settings.put(ManagementSettings.PORT, Integer.toString(ManagementClient.freePort()));
        startRoute("inbox-to-files.camel.yaml", settings);
        await().atMost(Duration.ofSeconds(30)).until(() -> TestMailServer.messagesLeft(greenMail, user) == 0);
        awaitMorePolls(2);

        MailboxId mailbox = new MailboxId("pop3", "localhost", port, TestMailServer.USER);
        long bytes = 0;
        for (Path eml : StoredMessages.emlFiles(new FilesLayout(dir.resolve("out"), mailbox).mailboxFolder())) {
            bytes += Files.size(eml);
        }
        String text = Observability.metrics(context).orElseThrow().scrape();
        List<Sample> samples = PrometheusText.parse(text);
        Map<String, String> labels = Map.of("mailbox", mailbox.toString());
        assertThat(PrometheusText.value(samples, "mailpipe_messages_delivered_total", labels))
                .isEqualTo(3);
        assertThat(PrometheusText.value(samples, "mailpipe_messages_deleted_total", labels))
                .isEqualTo(3);
        assertThat(PrometheusText.value(samples, "mailpipe_messages_dead_lettered_total", labels))
                .isZero();
        assertThat(PrometheusText.value(
                        samples, "mailpipe_messages_skipped_total", Map.of("reason", "delivered-before")))
                .isZero();
        assertThat(PrometheusText.value(samples, "mailpipe_message_failures_total", Map.of("cause", "kafka")))
                .isZero();
        assertThat(PrometheusText.value(samples, "mailpipe_bytes_downloaded_total", labels))
                .isEqualTo(bytes);
        assertThat(PrometheusText.value(samples, "mailpipe_at_risk", labels)).isZero();
        assertThat(PrometheusText.value(samples, "mailpipe_mailbox_messages", labels))
                .isZero();
        assertThat(PrometheusText.value(samples, "mailpipe_sink_outage_seconds", Map.of("sink", "files")))
                .isZero();
        assertThat(PrometheusText.value(samples, "mailpipe_last_successful_poll_seconds", labels))
                .isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(30.0));
        // The drain's own poll may still be ending when the server shows the mailbox empty.
        assertThat(PrometheusText.value(samples, "mailpipe_poll_duration_seconds_count", labels))
                .isGreaterThanOrEqualTo(2);
        assertThat(PrometheusText.value(samples, "mailpipe_poll_duration_seconds_sum", labels))
                .isPositive();
        assertThat(samples).anyMatch(s -> s.name().equals("jvm_memory_used_bytes"));
        assertThat(samples).anyMatch(s -> s.name().equals("jvm_threads_live_threads"));
        assertThat(samples).anyMatch(s -> s.name().startsWith("jvm_gc_"));
        assertThat(text).doesNotContain(TestMailServer.PASSWORD);
    }
}
