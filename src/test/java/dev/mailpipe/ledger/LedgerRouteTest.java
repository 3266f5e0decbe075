package dev.mailpipe.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.MailpipeRouteTestSupport;
import dev.mailpipe.testing.SampleMessages;
import dev.mailpipe.testing.TestMailServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The shipped route with the ledger: poison messages, sink outages, crash leftovers and other instances' claims. */
class LedgerRouteTest extends MailpipeRouteTestSupport {

    private static final int MESSAGES = 5;

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    @TempDir
    Path dir;

    private GreenMailUser user;
    private MailboxId mailbox;
    private FilesLayout files;
    private Ledger ledger;

    @BeforeEach
    void deliverMessages() throws Exception {
        user = TestMailServer.user(greenMail);
        TestMailServer.deliverSamples(user, MESSAGES);
        mailbox = new MailboxId("pop3s", "localhost", greenMail.getPop3s().getPort(), TestMailServer.USER);
        files = new FilesLayout(dir.resolve("out"), mailbox);
        Files.createDirectories(dir.resolve("ledger"));
        ledger = Ledger.open("jdbc:sqlite:" + dir.resolve("ledger/ledger.sqlite"), null, null, Clock.systemUTC());
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    private Map<String, String> settings() {
        Map<String, String> settings = TestMailServer.pop3sSettings(greenMail);
        settings.put("mailbox.pollDelay", "100");
        settings.put("mailbox.maxAttempts", "3");
        settings.put("sink.files.dir", dir.resolve("out").toString());
        settings.put("ledger.dir", dir.resolve("ledger").toString());
        return settings;
    }

    private int left() {
        return TestMailServer.messagesLeft(greenMail, user);
    }

    private LedgerEntry entry(int n) throws Exception {
        return ledger.find(mailbox.keyOf(Integer.toString(n))).orElseThrow();
    }

    @Test
    void poisonMessageIsDeadLetteredWithItsRawBytesAfterMaxAttemptsAndTheRestDrains() throws Exception {
        // Only message 3's file is impossible to write (a folder stands where it belongs): its own fault.
        Path blocked = files.emlFile(mailbox.keyOf("3"));
        Files.createDirectories(blocked.resolve("occupied"));
        startRoute("inbox-to-files.camel.yaml", settings());

        await().atMost(Duration.ofSeconds(30)).until(() -> left() == 0);
        String key = mailbox.keyOf("3");
        assertThat(Files.readAllBytes(files.deadLetterEml(key))).isEqualTo(SampleMessages.message(3));
        assertThat(Files.readString(files.deadLetterReason(key)))
                .contains("uidl: 3")
                .contains("FileSinkException");
        assertThat(entry(3).state()).isEqualTo(DeliveryState.DEAD_LETTERED);
        assertThat(entry(3).attempts()).isEqualTo(2);
        for (int n : new int[] {1, 2, 4, 5}) {
            assertThat(Files.readAllBytes(files.emlFile(mailbox.keyOf(Integer.toString(n)))))
                    .isEqualTo(SampleMessages.message(n));
            assertThat(entry(n).state()).isEqualTo(DeliveryState.DELIVERED);
            assertThat(entry(n).deletedAt()).isPresent();
        }
    }

    @Test
    void sinkOutageDeletesNothingAndDeadLettersNothingThenEverythingIsDelivered() throws Exception {
        // A file where the mailbox folder belongs: the files sink cannot take anything at all.
        Files.createDirectories(files.mailboxFolder().getParent());
        Files.writeString(files.mailboxFolder(), "not a folder");
        startRoute("inbox-to-files.camel.yaml", settings());

        // Many more polls than mailbox.maxAttempts (3) at 100 ms each.
        await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
        assertThat(left()).isEqualTo(MESSAGES);
        assertThat(files.deadLetterEml(mailbox.keyOf("1")).getParent()).doesNotExist();
        for (int n = 1; n <= MESSAGES; n++) {
            assertThat(entry(n).attempts()).as("outages are not attempts").isZero();
            assertThat(entry(n).state()).isEqualTo(DeliveryState.SEEN);
        }

        Files.delete(files.mailboxFolder());
        await().atMost(Duration.ofSeconds(30)).until(() -> left() == 0);
        for (int n = 1; n <= MESSAGES; n++) {
            assertThat(Files.readAllBytes(files.emlFile(mailbox.keyOf(Integer.toString(n)))))
                    .isEqualTo(SampleMessages.message(n));
        }
    }

    @Test
    void messageDeliveredBeforeACrashIsDeletedWithoutBeingDeliveredAgain() throws Exception {
        // The state a kill -9 leaves between the ledger's commit and the POP3 QUIT.
        String key = mailbox.keyOf("2");
        ledger.claim(key, mailbox.toString(), "2", "crashed-instance", Duration.ofMinutes(5));
        ledger.markDelivered(key, "<msg-2@example.org>");
        startRoute("inbox-to-files.camel.yaml", settings());

        await().atMost(Duration.ofSeconds(30)).until(() -> left() == 0);
        assertThat(files.emlFile(key)).as("not delivered a second time").doesNotExist();
        assertThat(files.emlFile(mailbox.keyOf("1"))).exists();
        assertThat(entry(2).deletedAt()).isPresent();
    }

    @Test
    void messageAnotherInstanceIsDeliveringStaysOnTheServerForIt() throws Exception {
        String key = mailbox.keyOf("4");
        ledger.claim(key, mailbox.toString(), "4", "other-instance", Duration.ofMinutes(5));
        startRoute("inbox-to-files.camel.yaml", settings());

        await().atMost(Duration.ofSeconds(30)).until(() -> left() == 1);
        await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
        assertThat(left()).isEqualTo(1);
        assertThat(files.emlFile(key)).doesNotExist();
        assertThat(entry(4).attempts()).isZero();
        assertThat(entry(4).claimedBy()).contains("other-instance");
    }
}
