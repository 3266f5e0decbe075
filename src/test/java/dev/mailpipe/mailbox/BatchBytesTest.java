package dev.mailpipe.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.testing.MailpipeRouteTestSupport;
import dev.mailpipe.testing.Pop3Proxy;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TestMailServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** mailbox.batchBytes ends a POP3 session early, so deletions are committed regularly; nothing is skipped. */
class BatchBytesTest extends MailpipeRouteTestSupport {

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    @TempDir
    Path dir;

    @Test
    void aBatchEndsOnceItHasDownloadedBatchBytes() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        List<byte[]> sent = new ArrayList<>();
        for (int n = 1; n <= 8; n++) {
            byte[] raw = ("From: a@example.org\r\nTo: b@example.org\r\nSubject: large " + n
                            + "\r\nMessage-ID: <large" + n + "@example.org>\r\n\r\n"
                            + ("line " + n + " of a 60 kB body\r\n").repeat(2_500))
                    .getBytes(StandardCharsets.US_ASCII);
            TestMailServer.deliver(user, raw);
            sent.add(raw);
        }
        try (Pop3Proxy counting = new Pop3Proxy(greenMail.getPop3().getPort(), Pop3Proxy.Cut.PASS_THROUGH, 0)) {
            Map<String, String> settings = plainPop3Settings(counting.port(), dir);
            // Only greedy re-polls during the test: each session is a batch.
            settings.put("mailbox.pollDelay", "600000");
            settings.put("mailbox.batchBytes", "100000");
            startRoute("inbox-to-files.camel.yaml", settings);
            await().atMost(Duration.ofSeconds(60)).until(() -> TestMailServer.messagesLeft(greenMail, user) == 0);

            MailboxId mailbox = new MailboxId("pop3", "localhost", counting.port(), TestMailServer.USER);
            StoredMessages.assertExactly(new FilesLayout(dir.resolve("out"), mailbox).mailboxFolder(), sent);
            // Two 60 kB messages pass 100,000 bytes: four sessions for eight messages (one would do without the limit).
            assertThat(counting.sessions()).isGreaterThanOrEqualTo(4);
        }
    }
}
