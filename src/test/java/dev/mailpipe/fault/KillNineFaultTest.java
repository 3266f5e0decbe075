package dev.mailpipe.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.RunnerProcess;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TestMailServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
                        // A killed runner's claim on its message in flight must not hold up the restarts for long.
                        "ledger.claimSeconds=2",
                        "camel.main.routesIncludePattern=file:" + routes() + "/*.yaml",
                        "camel.main.durationMaxIdleSeconds=5"));
        Path log = Path.of("target", "fault-kill-nine.log");
        Files.deleteIfExists(log);
        RunnerProcess.killRepeatedly(settings, log, KILLS, 42);
        int leftBefore = TestMailServer.messagesLeft(greenMail, user);
        assertThat(RunnerProcess.runToEnd(settings, log))
                .as("final run's exit code; see " + log)
                .isZero();

        assertThat(leftBefore)
                .as("messages left after the kills (the kills must interrupt a drain in progress)")
                .isGreaterThan(0);
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isZero();
        MailboxId mailbox = new MailboxId("pop3s", "localhost", port, TestMailServer.USER);
        StoredMessages.assertExactly(new FilesLayout(dir.resolve("out"), mailbox).mailboxFolder(), sent);
    }

    static Path routes() {
        return Path.of(System.getProperty("mailpipe.project.dir", "."))
                .resolve("routes")
                .toAbsolutePath();
    }
}
