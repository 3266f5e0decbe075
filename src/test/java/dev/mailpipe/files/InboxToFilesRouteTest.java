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
        awaitMorePolls(3);
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isEqualTo(1);

        Files.delete(blocker.resolve("occupied"));
        Files.delete(blocker);
        await().atMost(Duration.ofSeconds(30)).until(() -> TestMailServer.messagesLeft(greenMail, user) == 0);
        assertStoredExactly(sent, mailbox);
    }

    @Test
    void writesTheMailEventAndAttachmentsWithSafeNamesBesideTheRawMessage() throws Exception {
        user = TestMailServer.user(greenMail);
        String[] hostileNames = {
            "../../escape.sh",
            "/etc/passwd",
            "CON",
            "report.pdf",
            "report.pdf",
            "a\u0000b.txt",
            "x".repeat(1_000) + ".bin"
        };
        StringBuilder raw = new StringBuilder("From: Mallory <mallory@example.org>\nTo: alice@localhost\n"
                + "Subject: =?UTF-8?Q?Anh=C3=A4nge?=\nMessage-ID: <hostile@example.org>\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nsee attached\n");
        for (int i = 0; i < hostileNames.length; i++) {
            raw.append("--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"")
                    .append(hostileNames[i].replace("\"", ""))
                    .append("\"\nContent-Transfer-Encoding: base64\n\n")
                    .append(java.util.Base64.getEncoder().encodeToString(("payload " + i).getBytes()))
                    .append("\n");
        }
        raw.append("--b--\n");
        byte[] bytes = raw.toString().replace("\n", "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        TestMailServer.deliver(user, bytes);
        int port = greenMail.getPop3s().getPort();
        MailboxId mailbox = new MailboxId("pop3s", "localhost", port, TestMailServer.USER);
        startRoute("inbox-to-files.camel.yaml", settings("pop3s", port));
        await().atMost(Duration.ofSeconds(30)).until(() -> TestMailServer.messagesLeft(greenMail, user) == 0);

        FilesLayout layout = new FilesLayout(sinkDir, mailbox);
        String key = mailbox.keyOf("1");
        String json = Files.readString(layout.eventFile(key));
        assertThat(dev.mailpipe.testing.EventSchema.violations(json)).isEmpty();
        com.fasterxml.jackson.databind.JsonNode event =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertThat(event.get("key").asText()).isEqualTo(key);
        assertThat(event.get("uidl").asText()).isEqualTo("1");
        assertThat(event.get("mailbox").asText()).isEqualTo(mailbox.toString());
        assertThat(event.get("subject").asText()).isEqualTo("Anhänge");
        assertThat(event.get("text").get("content").asText()).isEqualTo("see attached");
        assertThat(event.get("attachments")).hasSize(hostileNames.length);
        java.util.Set<Path> stored = new java.util.HashSet<>();
        for (int i = 0; i < hostileNames.length; i++) {
            com.fasterxml.jackson.databind.JsonNode attachment =
                    event.get("attachments").get(i);
            Path file = sinkDir.resolve(attachment.get("ref").asText()).normalize();
            assertThat(file.getParent())
                    .as("inside the message's folder")
                    .isEqualTo(layout.mailboxFolder().resolve(key));
            assertThat(Files.readString(file)).isEqualTo("payload " + i);
            assertThat(attachment.get("sha256").asText())
                    .isEqualTo(dev.mailpipe.common.Sha256.hex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(("payload " + i).getBytes())));
            stored.add(file);
        }
        assertThat(stored).as("no two attachments share a file").hasSize(hostileNames.length);
        try (java.util.stream.Stream<Path> everything = Files.walk(sinkDir)) {
            assertThat(everything.filter(Files::isRegularFile))
                    .as("nothing written outside the mailbox folder")
                    .allMatch(f -> f.startsWith(layout.mailboxFolder()));
        }
    }
}
