package dev.mailpipe.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.testing.LogCapture;
import dev.mailpipe.testing.MailpipeRouteTestSupport;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TestMailServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Each batch of the real route ends in one INFO summary with its counts; single messages are logged at DEBUG only. */
class BatchSummaryRouteTest extends MailpipeRouteTestSupport {

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    @TempDir
    Path dir;

    @Test
    void aDrainedBatchIsSummarizedInOneInfoLine() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        List<byte[]> sent = TestMailServer.deliverSamples(user, 5);
        Map<String, String> settings = plainPop3Settings(greenMail.getPop3().getPort(), dir);
        settings.put("mailbox.pollDelay", "600000");
        try (LogCapture log = LogCapture.begin()) {
            startRoute("inbox-to-files.camel.yaml", settings);
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            log.lines().stream().anyMatch(line -> line.message().contains("batch done")));

            MailboxId mailbox =
                    new MailboxId("pop3", "localhost", greenMail.getPop3().getPort(), TestMailServer.USER);
            Path folder = new FilesLayout(dir.resolve("out"), mailbox).mailboxFolder();
            StoredMessages.assertExactly(folder, sent);
            long bytes = 0;
            for (Path eml : StoredMessages.emlFiles(folder)) {
                bytes += Files.size(eml);
            }
            List<String> info = log.lines().stream()
                    .filter(line -> line.level() == Level.INFO && line.logger().startsWith("dev.mailpipe"))
                    .map(LogCapture.Line::message)
                    .filter(message -> !message.startsWith("Draining mailbox"))
                    .toList();
            assertThat(info).hasSize(1);
            assertThat(info.get(0))
                    .matches(java.util.regex.Pattern.quote("Mailbox " + mailbox + ": batch done in ")
                            + "[0-9]+\\.[0-9] s: "
                            + java.util.regex.Pattern.quote(String.format(
                                    java.util.Locale.ROOT,
                                    "5 delivered, 0 skipped, 0 failed, 0 dead-lettered, 5 deleted, %,d bytes downloaded",
                                    bytes)));
            MailboxCounters counters = mailboxStatus().counters();
            assertThat(counters.delivered()).isEqualTo(5);
            assertThat(counters.deleted()).isEqualTo(5);
            assertThat(counters.atRisk()).isZero();
        }
    }
}
