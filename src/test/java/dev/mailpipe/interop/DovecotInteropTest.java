package dev.mailpipe.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.mailbox.Pop3Connection;
import dev.mailpipe.testing.DovecotServer;
import dev.mailpipe.testing.MailpipeRouteTestSupport;
import dev.mailpipe.testing.SampleMessages;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TestMailServer;
import jakarta.mail.Folder;
import jakarta.mail.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped route against a real Dovecot 2.3 (Debian): plain POP3, POP3 with STARTTLS, and POP3S,
 * TLS verified through mailbox.caFile. Skipped, saying why, when Dovecot is not installed.
 */
@Tag("interop")
class DovecotInteropTest extends MailpipeRouteTestSupport {

    private static final String USER = TestMailServer.USER;
    private static DovecotServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startDovecot() throws Exception {
        server = DovecotServer.startForInterop(USER, TestMailServer.PASSWORD);
    }

    @AfterAll
    static void stopDovecot() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static List<byte[]> deliver(int first, int count) throws IOException {
        return server.deliverSamples(first, count);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pop3", "pop3-starttls", "pop3s"})
    void drainsDovecotStoringEveryMessageByteIdentical(String mode) throws Exception {
        int first = switch (mode) {
            case "pop3" -> 1;
            case "pop3-starttls" -> 101;
            default -> 201;
        };
        List<byte[]> sent = deliver(first, 25);
        boolean tls = !mode.equals("pop3");
        String protocol = mode.equals("pop3s") ? "pop3s" : "pop3";
        int port = mode.equals("pop3s") ? server.pop3sPort() : server.pop3Port();
        Map<String, String> settings = new HashMap<>();
        settings.put("mailbox.protocol", protocol);
        settings.put("mailbox.host", "localhost");
        settings.put("mailbox.port", Integer.toString(port));
        settings.put("mailbox.username", USER);
        settings.put("mailbox.password", TestMailServer.PASSWORD);
        settings.put("mailbox.starttls", Boolean.toString(mode.equals("pop3-starttls")));
        if (tls) {
            settings.put("mailbox.caFile", TestMailServer.caFile().toString());
        }
        settings.put("mailbox.pollDelay", "200");
        settings.put("mailbox.batchSize", "10");
        settings.put("sink.files.dir", dir.resolve("out").toString());
        startRoute("inbox-to-files.camel.yaml", settings);

        await().atMost(Duration.ofMinutes(1)).until(() -> server.messagesLeft() == 0);
        MailboxId mailbox = new MailboxId(protocol, "localhost", port, USER);
        StoredMessages.assertExactly(new FilesLayout(dir.resolve("out"), mailbox).mailboxFolder(), sent);
    }

    @Test
    void dovecotOffersPipeliningAndMailpipePipelinesRetrAndDele() throws Exception {
        List<byte[]> sent = deliver(301, 5);
        Store store =
                jakarta.mail.Session.getInstance(new java.util.Properties()).getStore("pop3");
        store.connect("localhost", server.pop3Port(), USER, TestMailServer.PASSWORD);
        try {
            Folder folder = store.getFolder("INBOX");
            folder.open(Folder.READ_WRITE);
            Pop3Connection connection = Pop3Connection.of(folder).orElseThrow();
            assertThat(connection.pipelining())
                    .as("Dovecot announces PIPELINING")
                    .isTrue();
            connection.plan(List.of(1, 2, 3, 4, 5));
            for (int number : new int[] {1, 2, 3, 5}) {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                assertThat(connection.retrieve(number, out)).isTrue();
                assertThat(out.toByteArray()).as("message %d", number).isEqualTo(sent.get(number - 1));
            }
            assertThat(connection.delete(List.of(1, 2, 3, 4, 5))).isEmpty();
            folder.close(false);
        } finally {
            store.close();
        }
        assertThat(server.messagesLeft()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"imaps", "imap-starttls"})
    void appendsIntoDovecotFoldersByteIdenticalAndOnce(String mode) throws Exception {
        String folder = "Archive/" + mode;
        String uri = "imap-append:localhost?username=" + USER + "&password=RAW(" + TestMailServer.PASSWORD + ")"
                + "&caFile=" + TestMailServer.caFile() + "&folder=RAW(" + folder + ")"
                + (mode.equals("imaps")
                        ? "&protocol=imaps&port=" + server.imapsPort()
                        : "&protocol=imap&starttls=true&port=" + server.imapPort());
        context.start();
        List<String> sent = new ArrayList<>();
        for (int n = 301; n <= 310; n++) {
            byte[] raw = SampleMessages.message(n);
            sent.add(new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1));
            template.sendBody(uri, raw);
            template.sendBody(uri, raw);
        }

        java.util.Properties properties = new java.util.Properties();
        properties.put(
                "mail.imaps.ssl.socketFactory",
                dev.mailpipe.common.TrustedCertificates.socketFactoryTrusting(TestMailServer.caFile(), "test"));
        try (jakarta.mail.Store store =
                jakarta.mail.Session.getInstance(properties).getStore("imaps")) {
            store.connect("localhost", server.imapsPort(), USER, TestMailServer.PASSWORD);
            char separator = store.getDefaultFolder().getSeparator();
            jakarta.mail.Folder archive = store.getFolder(folder.replace('/', separator));
            archive.open(jakarta.mail.Folder.READ_ONLY);
            List<String> stored = new ArrayList<>();
            for (jakarta.mail.Message message : archive.getMessages()) {
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                message.writeTo(bytes);
                stored.add(bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
                assertThat(message.getReceivedDate()).isEqualTo(message.getSentDate());
                assertThat(message.getFlags().contains(jakarta.mail.Flags.Flag.SEEN))
                        .isTrue();
            }
            assertThat(stored).as("each message once, byte for byte").containsExactlyInAnyOrderElementsOf(sent);
        }
    }
}
