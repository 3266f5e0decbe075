package dev.mailpipe.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailpipe.ledger.DeliveryState;
import dev.mailpipe.ledger.Ledger;
import dev.mailpipe.ledger.LedgerEntry;
import dev.mailpipe.testing.LogCapture;
import dev.mailpipe.testing.MailpipeRouteTestSupport;
import dev.mailpipe.testing.ScriptedPop3Server;
import dev.mailpipe.testing.StoredMessages;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped route against a POP3 server that reuses UIDLs after deletion, repeats one within a
 * listing, breaks the connection on one message, loses a QUIT or ignores DELE: every message is
 * stored exactly once, and nothing leaves the server unstored.
 */
class MessageIdentityRouteTest extends MailpipeRouteTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private ScriptedPop3Server server;
    private MailboxId mailbox;
    private final List<byte[]> sent = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = new ScriptedPop3Server();
        mailbox = new MailboxId("pop3", "localhost", server.port(), dev.mailpipe.testing.TestMailServer.USER);
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    private void add(String uidl, String id, int padding) {
        byte[] bytes = ScriptedPop3Server.message(id, padding);
        server.add(uidl, bytes);
        sent.add(bytes);
    }

    private void start() throws Exception {
        Map<String, String> settings = plainPop3Settings(server.port(), dir);
        settings.put("mailbox.pollDelay", "200");
        settings.put("mailbox.maxAttempts", "3");
        startRoute("inbox-to-files.camel.yaml", settings);
    }

    private Path folder() {
        return dir.resolve("out").resolve(mailbox.slug());
    }

    private void awaitDrained() {
        await().atMost(WAIT)
                .until(() -> server.messages().isEmpty()
                        && StoredMessages.emlFiles(folder()).size() == sent.size());
    }

    @Test
    void reusedUidlsAfterDeletionAreNewMessages() throws Exception {
        for (int n = 1; n <= 3; n++) {
            add(Integer.toString(n), "first-" + n, 10);
        }
        start();
        awaitDrained();
        // The same UIDLs again, for new messages: three of the same size, so only their headers differ.
        for (int n = 1; n <= 3; n++) {
            add(Integer.toString(n), n == 1 ? "later-1-longer" : "secnd-" + n, 10);
        }
        awaitDrained();
        StoredMessages.assertExactly(folder(), sent);
        assertThat(server.count("TOP"))
                .as("TOPs only for the two re-used UIDLs of equal size")
                .isEqualTo(2);
    }

    @Test
    void messagesSharingOneUidlAreEachStored() throws Exception {
        for (int n = 1; n <= 6; n++) {
            add(n == 2 || n == 5 ? "shared" : "u" + n, "msg-" + n, 10);
        }
        add("shared", "msg-7", 10);
        start();
        awaitDrained();
        StoredMessages.assertExactly(folder(), sent);
        assertThat(server.deletes("shared")).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aMessageThatBreaksEveryDownloadIsParkedHoldsNothingBackAndCanBeRetried(boolean pipelining) throws Exception {
        for (int n = 1; n <= 6; n++) {
            add("u" + n, "msg-" + n, 2000);
        }
        byte[] broken = sent.remove(pipelining ? 2 : 0);
        String brokenUidl = pipelining ? "u3" : "u1";
        server.announcePipelining(pipelining);
        server.breakOnRetrOf(mail -> mail.uidl().equals(brokenUidl));
        try (LogCapture log = LogCapture.begin()) {
            start();
            await().atMost(WAIT)
                    .until(() -> StoredMessages.emlFiles(folder()).size() == 5
                            && server.messages().size() == 1);
            await().atMost(WAIT).until(() -> mailboxStatus().problems().parkedCount() == 1);
            awaitMorePolls(2);
            StoredMessages.assertExactly(folder(), sent);
            assertThat(server.messages())
                    .singleElement()
                    .satisfies(mail -> assertThat(mail.bytes()).isEqualTo(broken));
            try (Ledger ledger = openLedger()) {
                LedgerEntry entry = ledger.find(mailbox.keyOf(brokenUidl)).orElseThrow();
                assertThat(entry.state()).isEqualTo(DeliveryState.PARKED);
                assertThat(entry.lostConnections()).isEqualTo(3);
            }
            assertThat(log.lines())
                    .filteredOn(line -> line.message().contains("parked message"))
                    .singleElement()
                    .satisfies(line -> assertThat(line.message())
                            .contains("UIDL " + brokenUidl)
                            .contains("ledger retry"));

            // Repaired on the server and retried: the next poll stores it, once.
            server.breakOnRetrOf(mail -> false);
            try (Ledger ledger = openLedger()) {
                assertThat(ledger.retry(mailbox.keyOf(brokenUidl))).isTrue();
            }
            sent.add(broken);
            awaitDrained();
            StoredMessages.assertExactly(folder(), sent);
        }
    }

    /**
     * A delivered entry whose deletion the ledger never recorded (a kill -9 after the QUIT, another
     * client deleted it) and a new message the server gave its UIDL, of the same size: the headers
     * tell them apart, so the new one is stored, not deleted as "delivered before".
     */
    @Test
    void aSettledEntryIsNeverTakenForAnotherMessageOnItsSizeAlone() throws Exception {
        add("1", "newer-message", 10);
        try (Ledger ledger = openLedger()) {
            ledger.claimNew(mailbox.keyOf("1"), mailbox.toString(), "1", 0, (long) sent.get(0).length, "old");
            ledger.markDelivered(
                    mailbox.keyOf("1"),
                    null,
                    HeaderDigest.of(new java.io.ByteArrayInputStream(ScriptedPop3Server.message("older-message", 10))));
        }
        start();
        awaitDrained();
        StoredMessages.assertExactly(folder(), sent);
        assertThat(server.count("TOP")).isEqualTo(1);
    }

    @Test
    void aLostQuitIsRepairedWithoutASecondCopy() throws Exception {
        for (int n = 1; n <= 4; n++) {
            add("u" + n, "msg-" + n, 10);
        }
        server.loseQuits(1);
        start();
        awaitDrained();
        StoredMessages.assertExactly(folder(), sent);
        for (int n = 1; n <= 4; n++) {
            assertThat(server.deletes("u" + n)).isEqualTo(2);
        }
    }

    @Test
    void aServerThatIgnoresDeleGetsThreeDelesPerMessageAndAFewLogLines() throws Exception {
        for (int n = 1; n <= 4; n++) {
            add("u" + n, "msg-" + n, 10);
        }
        server.ignoreDele(true);
        try (LogCapture log = LogCapture.begin()) {
            start();
            await().atMost(WAIT).until(() -> mailboxStatus().problems().keptCount() == 4);
            awaitMorePolls(5);
            StoredMessages.assertExactly(folder(), sent);
            for (int n = 1; n <= 4; n++) {
                assertThat(server.deletes("u" + n)).isEqualTo(ProblemMessages.MAX_DELE_SESSIONS);
            }
            assertThat(log.atLeast(Level.INFO))
                    .filteredOn(line -> List.of("ProblemMessages", "ClaimMessage", "Pop3Consumer", "MessageIdentity")
                            .contains(line.logger().substring(line.logger().lastIndexOf('.') + 1)))
                    .hasSizeLessThanOrEqualTo(3);
            assertThat(log.atLeast(Level.WARN))
                    .filteredOn(line -> line.message().contains("keeps"))
                    .singleElement();
        }
    }

    @Test
    void theNormalPathSendsNoExtraCommandPerMessage() throws Exception {
        for (int n = 1; n <= 20; n++) {
            add("u" + n, "msg-" + n, 100);
        }
        start();
        awaitDrained();
        int sessions = server.sessions();
        assertThat(server.count("TOP")).isZero();
        assertThat(server.count("RETR")).isEqualTo(20);
        assertThat(server.count("DELE")).isEqualTo(20);
        assertThat(server.count("LIST")).isLessThanOrEqualTo(sessions);
        assertThat(server.count("UIDL")).isLessThanOrEqualTo(sessions);
        // Angus checks an open folder with a NOOP, at most twice a session: none per message.
        assertThat(server.count("NOOP")).isLessThanOrEqualTo(2 * sessions);
        assertThat(sessions).isLessThanOrEqualTo(2);
    }

    private Ledger openLedger() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("ledger"));
        return Ledger.open("jdbc:sqlite:" + dir.resolve("ledger/ledger.sqlite"), null, null, Clock.systemUTC());
    }
}
