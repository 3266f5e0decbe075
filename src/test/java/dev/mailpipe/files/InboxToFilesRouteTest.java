package dev.mailpipe.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.MailpipeRouteTestSupport;
import dev.mailpipe.testing.SampleMessages;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TestMailServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The shipped inbox-to-files route against GreenMail POP3 and POP3S, with TLS verification on. */
class InboxToFilesRouteTest extends MailpipeRouteTestSupport {

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    @TempDir
    Path sinkDir;

    private GreenMailUser user;

    private Map<String, String> settings(String protocol, int port) {
        Map<String, String> settings = new HashMap<>();
        settings.put("mailbox.protocol", protocol);
        settings.put("mailbox.host", "localhost");
        settings.put("mailbox.port", Integer.toString(port));
        settings.put("mailbox.username", TestMailServer.USER);
        settings.put("mailbox.password", TestMailServer.PASSWORD);
        settings.put("mailbox.caFile", TestMailServer.caFile().toString());
        settings.put("mailbox.pollDelay", "200");
        settings.put("mailbox.batchSize", "7");
        settings.put("sink.files.dir", sinkDir.toString());
        return settings;
    }

    private List<byte[]> deliver(int count) {
        user = TestMailServer.user(greenMail);
        List<byte[]> sent = new java.util.ArrayList<>();
        for (int n = 1; n <= count; n++) {
            byte[] raw = SampleMessages.message(n);
            TestMailServer.deliver(user, raw);
            sent.add(raw);
        }
        return sent;
    }

    private void assertStoredExactly(List<byte[]> sent, MailboxId mailbox) throws Exception {
        StoredMessages.assertExactly(new FilesLayout(sinkDir, mailbox).mailboxFolder(), sent);
    }

    @Test
    void drainsPop3sWithVerifiedTlsStoringEveryMessageByteIdentical() throws Exception {
        List<byte[]> sent = deliver(20);
        int port = greenMail.getPop3s().getPort();
        startRoute("inbox-to-files.camel.yaml", settings("pop3s", port));

        await().atMost(Duration.ofSeconds(30)).until(() -> TestMailServer.messagesLeft(greenMail, user) == 0);
        assertStoredExactly(sent, new MailboxId("pop3s", "localhost", port, TestMailServer.USER));
    }

    @Test
    void drainsPlainPop3() throws Exception {
        List<byte[]> sent = deliver(5);
        int port = greenMail.getPop3().getPort();
        startRoute("inbox-to-files.camel.yaml", settings("pop3", port));

        await().atMost(Duration.ofSeconds(30)).until(() -> TestMailServer.messagesLeft(greenMail, user) == 0);
        assertStoredExactly(sent, new MailboxId("pop3", "localhost", port, TestMailServer.USER));
    }

    @Test
    void keepsMessageOnServerWhileItsWriteFailsAndStoresItOnALaterPoll() throws Exception {
        List<byte[]> sent = deliver(3);
        int port = greenMail.getPop3s().getPort();
        MailboxId mailbox = new MailboxId("pop3s", "localhost", port, TestMailServer.USER);
        // A non-empty folder where message 2's file belongs makes its atomic rename fail.
        Path blocker = new FilesLayout(sinkDir, mailbox).emlFile(mailbox.keyOf("2"));
        Files.createDirectories(blocker);
        Files.writeString(blocker.resolve("occupied"), "x");
        startRoute("inbox-to-files.camel.yaml", settings("pop3s", port));

        await().atMost(Duration.ofSeconds(30)).until(() -> TestMailServer.messagesLeft(greenMail, user) == 1);
        assertThat(StoredMessages.emlFiles(new FilesLayout(sinkDir, mailbox).mailboxFolder()))
                .hasSize(2);
        // It stays on the server across several more polls while the write keeps failing.
        await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isEqualTo(1);

        Files.delete(blocker.resolve("occupied"));
        Files.delete(blocker);
        await().atMost(Duration.ofSeconds(30)).until(() -> TestMailServer.messagesLeft(greenMail, user) == 0);
        assertStoredExactly(sent, mailbox);
    }
}
