package dev.mailpipe.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.ledger.Ledger;
import dev.mailpipe.ledger.LedgerEntry;
import dev.mailpipe.testing.LogCapture;
import dev.mailpipe.testing.MailpipeRouteTestSupport;
import dev.mailpipe.testing.Pop3Proxy;
import dev.mailpipe.testing.SampleMessages;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TestMailServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A server without UIDL: messages are keyed by the SHA-256 of their content, with one warning. */
class ServerWithoutUidlTest extends MailpipeRouteTestSupport {

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    @TempDir
    Path dir;

    @Test
    void keysMessagesByContentHashAndWarnsOnce() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        List<byte[]> sent = new ArrayList<>();
        for (int n = 1; n <= 6; n++) {
            sent.add(SampleMessages.message(n));
            TestMailServer.deliver(user, sent.get(n - 1));
        }
        try (Pop3Proxy noUidl = new Pop3Proxy(greenMail.getPop3().getPort(), Pop3Proxy.Cut.HIDE_UIDL, 0);
                LogCapture log = LogCapture.begin()) {
            Map<String, String> settings = plainPop3Settings(noUidl.port(), dir);
            settings.put("mailbox.pollDelay", "200");
            startRoute("inbox-to-files.camel.yaml", settings);
            await().atMost(Duration.ofSeconds(30)).until(() -> TestMailServer.messagesLeft(greenMail, user) == 0);

            MailboxId mailbox = new MailboxId("pop3", "localhost", noUidl.port(), TestMailServer.USER);
            StoredMessages.assertExactly(new FilesLayout(dir.resolve("out"), mailbox).mailboxFolder(), sent);
            try (Ledger ledger =
                    Ledger.open("jdbc:sqlite:" + dir.resolve("ledger/ledger.sqlite"), null, null, Clock.systemUTC())) {
                List<LedgerEntry> entries = ledger.list(Optional.empty(), 100);
                assertThat(entries).hasSize(sent.size());
                assertThat(entries).allSatisfy(entry -> assertThat(entry.uidl()).matches("sha256:[0-9a-f]{64}"));
            }
            assertThat(log.atLeast(Level.WARN))
                    .filteredOn(line -> line.message().contains("does not support UIDL"))
                    .hasSize(1);
        }
    }
}
