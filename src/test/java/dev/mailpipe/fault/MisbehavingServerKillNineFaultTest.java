package dev.mailpipe.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.mailbox.ProblemMessages;
import dev.mailpipe.testing.RunnerProcess;
import dev.mailpipe.testing.ScriptedPop3Server;
import dev.mailpipe.testing.StoredMessages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a forked runner in the middle of each misbehaviour of {@link ScriptedPop3Server}: UIDLs
 * reused after deletion, UIDLs shared within a listing, a message whose download always breaks the
 * connection, lost QUITs, DELEs not applied. After a last run to its end, every message is stored
 * exactly once, and the server holds only what it must (the broken message, or what it refuses to
 * delete).
 */
@Tag("fault")
class MisbehavingServerKillNineFaultTest {

    private static final int MESSAGES = 120;

    @TempDir
    Path dir;

    private ScriptedPop3Server server;
    private final List<byte[]> sent = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = new ScriptedPop3Server();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    private byte[] add(String uidl, String id) {
        byte[] bytes = ScriptedPop3Server.message(id, 20_000);
        server.add(uidl, bytes);
        sent.add(bytes);
        return bytes;
    }

    private Path settings() throws IOException {
        List<String> settings = server.runnerSettings(dir, 4);
        settings.addAll(List.of("mailbox.batchSize=20", "mailbox.maxAttempts=3"));
        return Files.writeString(dir.resolve("run.properties"), String.join("\n", settings));
    }

    private int stored() {
        try {
            return StoredMessages.emlFiles(folder()).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path folder() {
        return server.mailboxFolder(dir);
    }

    /** Three kills, each after 5 to 15 more stored messages, then a run to its end. */
    private void killThreeTimesThenDrain() throws Exception {
        Path settings = settings();
        RunnerProcess.killDuringDrain(
                settings, dir.resolve("runner.log"), 3, 33, this::stored, 5, 15, sent.size() - 10);
        RunnerProcess.runToEnd(settings, dir.resolve("runner.log"));
    }

    @Test
    void reusedUidls() throws Exception {
        for (int n = 1; n <= MESSAGES / 2; n++) {
            add(Integer.toString(n), "first-" + n);
        }
        RunnerProcess.runToEnd(settings(), dir.resolve("runner.log"));
        assertThat(server.messages()).isEmpty();
        for (int n = 1; n <= MESSAGES / 2; n++) {
            add(Integer.toString(n), "again-" + n);
        }
        killThreeTimesThenDrain();
        assertThat(server.messages()).isEmpty();
        StoredMessages.assertExactly(folder(), sent);
    }

    @Test
    void sharedUidls() throws Exception {
        for (int n = 1; n <= MESSAGES; n++) {
            add("u" + (n % (MESSAGES / 2)), "msg-" + n);
        }
        killThreeTimesThenDrain();
        assertThat(server.messages()).isEmpty();
        StoredMessages.assertExactly(folder(), sent);
    }

    @Test
    void aMessageThatBreaksEveryDownload() throws Exception {
        for (int n = 1; n <= MESSAGES; n++) {
            add("u" + n, "msg-" + n);
        }
        byte[] broken = sent.remove(0);
        server.breakOnRetrOf(mail -> mail.uidl().equals("u1"));
        killThreeTimesThenDrain();
        StoredMessages.assertExactly(folder(), sent);
        assertThat(server.messages())
                .singleElement()
                .satisfies(mail -> assertThat(mail.bytes()).isEqualTo(broken));
    }

    @Test
    void lostQuits() throws Exception {
        for (int n = 1; n <= MESSAGES; n++) {
            add("u" + n, "msg-" + n);
        }
        server.loseQuits(3);
        killThreeTimesThenDrain();
        assertThat(server.messages()).isEmpty();
        StoredMessages.assertExactly(folder(), sent);
    }

    @Test
    void delesNotApplied() throws Exception {
        for (int n = 1; n <= MESSAGES; n++) {
            add("u" + n, "msg-" + n);
        }
        server.ignoreDele(true);
        killThreeTimesThenDrain();
        StoredMessages.assertExactly(folder(), sent);
        assertThat(server.messages()).hasSize(MESSAGES);
        for (int n = 1; n <= MESSAGES; n++) {
            // A kill between a QUIT and the ledger's record of its DELEs costs one DELE more.
            assertThat(server.deletes("u" + n)).isLessThanOrEqualTo(ProblemMessages.MAX_DELE_SESSIONS + 1);
        }
    }
}
