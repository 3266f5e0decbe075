package dev.mailpipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.testing.RunnerProcess;
import dev.mailpipe.testing.ScriptedPop3Server;
import dev.mailpipe.testing.StoredMessages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar against a POP3 server that reuses UIDLs after deletion or gives two messages
 * one UIDL: one-shot runs store every message exactly once and leave the server empty.
 */
class MessageIdentityIT {

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

    private void add(String uidl, String id) {
        byte[] bytes = ScriptedPop3Server.message(id, 100);
        server.add(uidl, bytes);
        sent.add(bytes);
    }

    private int drain(String name) throws Exception {
        Path file =
                Files.writeString(dir.resolve(name + ".properties"), String.join("\n", server.runnerSettings(dir, 3)));
        return RunnerProcess.runToEnd(file, dir.resolve(name + ".log"));
    }

    private Path folder() {
        return server.mailboxFolder(dir);
    }

    @Test
    void uidlsReusedAfterDeletionAreStoredAsNewMessages() throws Exception {
        for (int n = 1; n <= 3; n++) {
            add(Integer.toString(n), "first-" + n);
        }
        assertThat(drain("first")).isZero();
        assertThat(server.messages()).isEmpty();
        for (int n = 1; n <= 3; n++) {
            add(Integer.toString(n), "again-" + n);
        }
        assertThat(drain("second")).isZero();
        assertThat(server.messages()).isEmpty();
        StoredMessages.assertExactly(folder(), sent);
    }

    @Test
    void messagesSharingAUidlAreEachStoredOnce() throws Exception {
        for (int n = 1; n <= 6; n++) {
            add(n % 3 == 0 ? "same" : "u" + n, "msg-" + n);
        }
        assertThat(drain("shared")).isZero();
        assertThat(server.messages()).isEmpty();
        StoredMessages.assertExactly(folder(), sent);
    }
}
