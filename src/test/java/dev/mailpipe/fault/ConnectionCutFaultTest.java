package dev.mailpipe.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.runner.MailpipeRunner;
import dev.mailpipe.testing.Pop3Proxy;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TestMailServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The connection to the POP3 server is cut in the middle of a RETR, or between the DELEs and the
 * QUIT (so the server never applies them), for the first sessions: in the end the mailbox is empty
 * and every message is stored exactly once, byte for byte.
 */
@Tag("fault")
class ConnectionCutFaultTest {

    private static final int MESSAGES = 120;

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(
            value = Pop3Proxy.Cut.class,
            names = {"MID_RETR", "BEFORE_QUIT"})
    void cutConnectionsLoseNothingAndDuplicateNothing(Pop3Proxy.Cut cut) throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        List<byte[]> sent = TestMailServer.deliverSamples(user, MESSAGES);
        try (Pop3Proxy proxy = new Pop3Proxy(greenMail.getPop3().getPort(), cut, 4)) {
            Map<String, String> settings = new HashMap<>();
            settings.put("mailbox.protocol", "pop3");
            settings.put("mailbox.host", "localhost");
            settings.put("mailbox.port", Integer.toString(proxy.port()));
            settings.put("mailbox.username", TestMailServer.USER);
            settings.put("mailbox.password", TestMailServer.PASSWORD);
            settings.put("mailbox.pollDelay", "200");
            settings.put("mailbox.batchSize", "25");
            settings.put("sink.files.dir", dir.resolve("out").toString());
            settings.put("ledger.dir", dir.resolve("ledger").toString());
            settings.put("camel.main.routesIncludePattern", "file:" + routes() + "/*.yaml");
            // Longer than the four cut sessions in a row (about 1.1 s each), none of which makes
            // progress: a session whose QUIT is cut deletes nothing.
            settings.put("camel.main.durationMaxIdleSeconds", "10");

            assertThat(MailpipeRunner.run(Optional.empty(), settings)).isZero();

            assertThat(proxy.cuts()).as("sessions cut").isEqualTo(4);
            assertThat(TestMailServer.messagesLeft(greenMail, user)).isZero();
            MailboxId mailbox = new MailboxId("pop3", "localhost", proxy.port(), TestMailServer.USER);
            StoredMessages.assertExactly(new FilesLayout(dir.resolve("out"), mailbox).mailboxFolder(), sent);
        }
    }

    private static Path routes() {
        return Path.of(System.getProperty("mailpipe.project.dir", "."))
                .resolve("routes")
                .toAbsolutePath();
    }
}
