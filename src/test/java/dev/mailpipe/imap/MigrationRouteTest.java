package dev.mailpipe.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.mailpipe.testing.ImapFolders;
import dev.mailpipe.testing.MailpipeRouteTestSupport;
import dev.mailpipe.testing.Pop3Proxy;
import dev.mailpipe.testing.TestMailServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The pop3-to-imap-migration example: POP3S to a local backup and into an IMAPS folder. */
class MigrationRouteTest extends MailpipeRouteTestSupport {

    /** Read first: installs the test certificate before GreenMail starts. */
    private static final Path CA = TestMailServer.caFile();

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(
            ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.POP3S, ServerSetupTest.IMAPS}));

    @TempDir
    Path dir;

    private GreenMailUser user;

    private List<byte[]> deliver(int count) {
        user = TestMailServer.user(greenMail);
        return TestMailServer.deliverSamples(user, count);
    }

    private Map<String, String> settings(int imapPort) {
        Map<String, String> settings = TestMailServer.pop3sSettings(greenMail);
        settings.put("mailbox.pollDelay", "300");
        settings.put("mailbox.maxAttempts", "2");
        settings.put("sink.files.dir", dir.resolve("out").toString());
        settings.put("sink.imap.host", "localhost");
        settings.put("sink.imap.port", Integer.toString(imapPort));
        settings.put("sink.imap.username", TestMailServer.USER);
        settings.put("sink.imap.password", TestMailServer.PASSWORD);
        settings.put("sink.imap.caFile", CA.toString());
        settings.put("sink.imap.folder", "Archive/Migrated");
        return settings;
    }

    private int left() {
        return TestMailServer.messagesLeft(greenMail, user);
    }

    private List<String> archived() throws Exception {
        return ImapFolders.messages(greenMail.getImaps().getPort(), "Archive/Migrated");
    }

    private static List<String> asText(List<byte[]> sent) {
        return sent.stream()
                .map(raw -> new String(raw, StandardCharsets.ISO_8859_1))
                .toList();
    }

    @Test
    void migratesEveryMessageIntoTheImapFolderByteForByte() throws Exception {
        List<byte[]> sent = deliver(20);
        startRoute(
                "examples/pop3-to-imap-migration.camel.yaml",
                settings(greenMail.getImaps().getPort()));

        await().atMost(Duration.ofMinutes(1)).until(() -> left() == 0);
        assertThat(archived()).containsExactlyInAnyOrderElementsOf(asText(sent));
    }

    @Test
    void nothingIsDeletedFromThePop3MailboxWhileTheImapServerIsDown() throws Exception {
        List<byte[]> sent = deliver(8);
        try (Pop3Proxy imap = new Pop3Proxy(greenMail.getImaps().getPort(), Pop3Proxy.Cut.PASS_THROUGH, 0)) {
            imap.refuseConnections(true);
            startRoute("examples/pop3-to-imap-migration.camel.yaml", settings(imap.port()));
            // Many more polls than mailbox.maxAttempts (2) while the IMAP server is away.
            awaitMorePolls(6);
            assertThat(left()).isEqualTo(8);
            assertThat(archived()).isEmpty();

            imap.refuseConnections(false);
            await().atMost(Duration.ofMinutes(1)).until(() -> left() == 0);
        }
        assertThat(archived()).containsExactlyInAnyOrderElementsOf(asText(sent));
    }

    @Test
    void anImapPasswordWithBracesIsTakenAsWritten() throws Exception {
        deliver(2);
        String password = "p{{x}}w${y}d";
        greenMail.setUser("bob@localhost", "bob", password);
        Map<String, String> settings = settings(greenMail.getImaps().getPort());
        settings.put("sink.imap.username", "bob");
        settings.put("sink.imap.password", password);
        startRoute("examples/pop3-to-imap-migration.camel.yaml", settings);

        // A message leaves the POP3 mailbox only once the IMAP server took it, so after a login as bob.
        await().atMost(Duration.ofMinutes(1)).until(() -> left() == 0);
    }
}
