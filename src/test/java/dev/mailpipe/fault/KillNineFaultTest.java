package dev.mailpipe.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.RunnerProcess;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TestMailServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the runner at random points while it drains 1,500 messages, 20 times in a row with
 * restarts: in the end the mailbox is empty and every message is in the files sink exactly once,
 * byte for byte.
 */
@Tag("fault")
class KillNineFaultTest {

    private static final int MESSAGES = 1500;
    private static final int KILLS = 20;

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    @TempDir
    Path dir;

    @Test
    void repeatedKillNineLosesNothingAndDuplicatesNothing() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        List<byte[]> sent = TestMailServer.deliverSamples(user, MESSAGES);
        int port = greenMail.getPop3s().getPort();
        Path settings = Files.writeString(
                dir.resolve("mailpipe.properties"),
                String.join(
                        "\n",
                        String.join("\n", RunnerProcess.pop3sSettings(port)),
                        "sink.files.dir=" + dir.resolve("out"),
                        "ledger.dir=" + dir.resolve("ledger"),
                        "camel.main.routesIncludePattern=file:" + routes() + "/*.yaml",
                        "camel.main.durationMaxIdleSeconds=5"));
        Path log = Path.of("target", "fault-kill-nine.log");
        Files.deleteIfExists(log);
        Path out = new FilesLayout(dir.resolve("out"), new MailboxId("pop3s", "localhost", port, TestMailServer.USER))
                .mailboxFolder();
        // Each kill after 50 to 80 more messages are stored (at most all but 50): every kill hits a
        // drain in progress, and what the restart finds is a few hundred messages at most (GreenMail
        // serves about 18 a second), so the time it takes shows the claims were not waited out.
        RunnerProcess.killDuringDrain(settings, log, KILLS, 42, () -> storedCount(out), 50, 80, MESSAGES - 50);
        int leftBefore = TestMailServer.messagesLeft(greenMail, user);
        long restart = System.nanoTime();
        RunnerProcess last = RunnerProcess.start(settings, List.of("-Xmx256m"), Map.of(), log);
        // A killed run's claims are taken over at start, never waited out: the mailbox is empty
        // within mailbox.pollDelay (200 ms) plus 30 s of the restart, whatever ledger.claimSeconds once meant.
        await().atMost(Duration.ofMillis(200).plusSeconds(30))
                .until(() -> TestMailServer.messagesLeft(greenMail, user) == 0);
        System.out.printf(
                "%d messages left after %d kills; the restart emptied the mailbox in %.1f s%n",
                leftBefore, KILLS, (System.nanoTime() - restart) / 1e9);
        assertThat(last.awaitExit(2)).as("final run's exit code; see " + log).isZero();
        assertThat(Files.readString(log))
                .as("a restart says it takes over the messages a killed run had claimed")
                .contains("Taking over");
        try (java.util.stream.Stream<Path> files = Files.walk(dir.resolve("out"))) {
            assertThat(files.map(Path::toString).filter(name -> name.endsWith(".part")))
                    .as("temporary files the killed runs left are removed at the restarts")
                    .isEmpty();
        }

        assertThat(leftBefore)
                .as("messages left after the kills (the kills must interrupt a drain in progress)")
                .isGreaterThan(0);
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isZero();
        MailboxId mailbox = new MailboxId("pop3s", "localhost", port, TestMailServer.USER);
        StoredMessages.assertExactly(new FilesLayout(dir.resolve("out"), mailbox).mailboxFolder(), sent);
    }

    static int storedCount(Path folder) {
        try {
            return StoredMessages.emlFiles(folder).size();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Path routes() {
        return Path.of(System.getProperty("mailpipe.project.dir", "."))
                .resolve("routes")
                .toAbsolutePath();
    }
}
