package dev.mailpipe.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.MailpipeRouteTestSupport;
import dev.mailpipe.testing.Pop3Proxy;
import dev.mailpipe.testing.SampleMessages;
import dev.mailpipe.testing.TestMailServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    private final List<Pop3Proxy> proxies = new ArrayList<>();

    @AfterEach
    void closeLedgerAndProxies() throws IOException {
        ledger.close();
        for (Pop3Proxy proxy : proxies) {
            proxy.close();
        }
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
    void sinkOutageDeletesNothingAndDeadLettersNothingProbesOncePerPollThenEverythingIsDelivered() throws Exception {
        Pop3Proxy server = countingServer();
        Map<String, String> settings = proxiedSettings(server);
        // A file where the mailbox folder belongs: the files sink cannot take anything at all.
        Files.createDirectories(files.mailboxFolder().getParent());
        Files.writeString(files.mailboxFolder(), "not a folder");
        startRoute("inbox-to-files.camel.yaml", settings);

        // Many more polls than mailbox.maxAttempts (3), counted at the server.
        await().atMost(Duration.ofSeconds(30)).until(() -> server.sessions() >= 8);
        assertThat(left()).isEqualTo(MESSAGES);
        assertThat(files.deadLetterEml(mailbox.keyOf("1")).getParent()).doesNotExist();
        assertThat(server.retrs())
                .as("during the outage each poll downloads one message to probe, not the mailbox")
                .isLessThanOrEqualTo(server.sessions());
        // Only the messages downloaded as probes are in the ledger; none of them counts an attempt.
        int probed = 0;
        for (int n = 1; n <= MESSAGES; n++) {
            Optional<LedgerEntry> entry = ledger.find(mailbox.keyOf(Integer.toString(n)));
            if (entry.isPresent()) {
                probed++;
                assertThat(entry.get().attempts())
                        .as("outages are not attempts")
                        .isZero();
                assertThat(entry.get().state()).isEqualTo(DeliveryState.SEEN);
            }
        }
        assertThat(probed).as("the probes were claimed in the ledger").isPositive();

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
        ledger.claim(key, mailbox.toString(), "2", "crashed-instance");
        ledger.markDelivered(key, "<msg-2@example.org>", null);
        startRoute("inbox-to-files.camel.yaml", settings());

        await().atMost(Duration.ofSeconds(30)).until(() -> left() == 0);
        assertThat(files.emlFile(key)).as("not delivered a second time").doesNotExist();
        assertThat(files.emlFile(mailbox.keyOf("1"))).exists();
        assertThat(entry(2).deletedAt()).isPresent();
    }

    @Test
    void messageALiveInstanceIsDeliveringStaysOnTheServerForIt() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Pop3Proxy server = countingServer();
            Map<String, String> settings = proxiedSettings(server);
            String url = postgres.getJdbcUrl("postgres", "postgres");
            settings.put("ledger.url", url);
            settings.put("ledger.username", "postgres");
            String key = mailbox.keyOf("4");
            try (Ledger shared = Ledger.open(url, "postgres", null, Clock.systemUTC())) {
                shared.heartbeat("other-instance", Duration.ofMinutes(5));
                shared.claim(key, mailbox.toString(), "4", "other-instance");
                startRoute("inbox-to-files.camel.yaml", settings);

                await().atMost(Duration.ofSeconds(30)).until(() -> left() == 1);
                int sessions = server.sessions();
                // Three more polls saw the message and left it.
                await().atMost(Duration.ofSeconds(30)).until(() -> server.sessions() >= sessions + 3);
                assertThat(left()).isEqualTo(1);
                assertThat(files.emlFile(key)).doesNotExist();
                LedgerEntry entry = shared.find(key).orElseThrow();
                assertThat(entry.attempts()).isZero();
                assertThat(entry.claimedBy()).contains("other-instance");
            }
        }
    }

    /**
     * A plain POP3 path to the test server through a proxy that counts sessions and RETRs, and
     * announces PIPELINING as Dovecot does, so RETRs sent ahead would be counted too.
     */
    private Pop3Proxy countingServer() throws IOException {
        Pop3Proxy server = new Pop3Proxy(greenMail.getPop3().getPort(), Pop3Proxy.Cut.ANNOUNCE_PIPELINING, 0);
        proxies.add(server);
        return server;
    }

    /** Settings for the account behind {@code server}; the test's mailbox and files follow it. */
    private Map<String, String> proxiedSettings(Pop3Proxy server) {
        Map<String, String> settings = plainPop3Settings(server.port(), dir);
        settings.put("mailbox.pollDelay", "100");
        settings.put("mailbox.maxAttempts", "3");
        mailbox = new MailboxId("pop3", "localhost", server.port(), TestMailServer.USER);
        files = new FilesLayout(dir.resolve("out"), mailbox);
        return settings;
    }
}
