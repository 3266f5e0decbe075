package dev.mailpipe.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailpipe.ledger.DeliveryState;
import dev.mailpipe.ledger.Ledger;
import dev.mailpipe.testing.LogCapture;
import dev.mailpipe.testing.MailpipeRouteTestSupport;
import dev.mailpipe.testing.ScriptedPop3Server;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TestMailServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.util.function.ThrowingConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routes edited in ordinary ways (no mark-delivered step, a filter that drops messages, a doCatch
 * that swallows the files sink's failure) complete exchanges the ledger never recorded: the
 * consumer deletes none of them, whatever the route did.
 */
class EditedRouteSettlementTest extends MailpipeRouteTestSupport {

    private static final int MESSAGES = 4;

    @TempDir
    Path dir;

    private ScriptedPop3Server server;
    private MailboxId mailbox;

    @BeforeEach
    void startServer() throws Exception {
        server = new ScriptedPop3Server();
        for (int n = 1; n <= MESSAGES; n++) {
            server.add("u" + n, ScriptedPop3Server.message("msg-" + n, 10));
        }
        mailbox = new MailboxId("pop3", "localhost", server.port(), TestMailServer.USER);
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    private void start(ThrowingConsumer<AdviceWithRouteBuilder, Exception> edit) throws Exception {
        Map<String, String> settings = plainPop3Settings(server.port(), dir);
        settings.put("mailbox.pollDelay", "100");
        settings.put("mailbox.maxAttempts", "50");
        startRoute(
                "inbox-to-files.camel.yaml", settings, loaded -> AdviceWith.adviceWith(loaded, "inbox-to-files", edit));
    }

    private void assertNothingDeletedAfterPolls() {
        await().atMost(Duration.ofSeconds(60)).until(() -> server.count("RETR") >= MESSAGES);
        awaitMorePolls(3);
        assertThat(server.count("DELE")).isZero();
        assertThat(server.messages()).hasSize(MESSAGES);
    }

    @Test
    void aRouteWithoutMarkDeliveredDeletesNothing() throws Exception {
        try (LogCapture log = LogCapture.begin()) {
            start(route -> route.weaveById("mark-delivered").remove());
            assertNothingDeletedAfterPolls();
            assertThat(StoredMessages.emlFiles(dir.resolve("out").resolve(mailbox.slug())))
                    .hasSize(MESSAGES);
            assertThat(log.lines())
                    .filteredOn(line -> line.message().contains("without being recorded delivered"))
                    .singleElement();
        }
    }

    @Test
    void aFilterThatDropsMessagesDeletesNothing() throws Exception {
        start(route -> route.weaveById("hand-over-to-sinks").before().stop());
        assertNothingDeletedAfterPolls();
    }

    @Test
    void aDoCatchSwallowingTheFilesSinksFailureDeletesNothing() throws Exception {
        start(route -> route.weaveById("files-sink")
                .replace()
                .doTry()
                .throwException(new IOException("disk gone"))
                .doCatch(IOException.class)
                .end());
        assertNothingDeletedAfterPolls();
        try (Ledger ledger =
                Ledger.open("jdbc:sqlite:" + dir.resolve("ledger/ledger.sqlite"), null, null, Clock.systemUTC())) {
            for (int n = 1; n <= MESSAGES; n++) {
                assertThat(ledger.find(mailbox.keyOf("u" + n)).orElseThrow().state())
                        .isEqualTo(DeliveryState.SEEN);
            }
        }
    }
}
