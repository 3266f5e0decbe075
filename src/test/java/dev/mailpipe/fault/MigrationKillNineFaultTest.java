package dev.mailpipe.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.ImapFolders;
import dev.mailpipe.testing.RunnerProcess;
import dev.mailpipe.testing.SampleMessages;
import dev.mailpipe.testing.TestMailServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a runner migrating POP3 into IMAP, repeatedly: every message ends up in the folder exactly once. */
@Tag("fault")
class MigrationKillNineFaultTest {

    private static final Path CA = TestMailServer.caFile();
    private static final int MESSAGES = 120;

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(
            ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.POP3S, ServerSetupTest.IMAPS}));

    @TempDir
    Path dir;

    @Test
    void killsNeverLeaveASecondCopyInTheImapFolder() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        List<String> sent = new ArrayList<>();
        for (int n = 1; n <= MESSAGES; n++) {
            byte[] raw = SampleMessages.message(n);
            sent.add(new String(raw, StandardCharsets.ISO_8859_1));
            TestMailServer.deliver(user, raw);
        }
        Path settings = Files.writeString(
                dir.resolve("mailpipe.properties"),
                String.join(
                        "\n",
                        String.join(
                                "\n",
                                RunnerProcess.pop3sSettings(greenMail.getPop3s().getPort())),
                        "sink.files.dir=" + dir.resolve("out"),
                        "ledger.dir=" + dir.resolve("ledger"),
                        "sink.imap.host=localhost",
                        "sink.imap.port=" + greenMail.getImaps().getPort(),
                        "sink.imap.username=" + TestMailServer.USER,
                        "sink.imap.password=" + TestMailServer.PASSWORD,
                        "sink.imap.caFile=" + CA,
                        "sink.imap.folder=Migrated",
                        "camel.main.routesIncludePattern=file:" + KillNineFaultTest.routes()
                                + "/examples/pop3-to-imap-migration.camel.yaml,file:" + KillNineFaultTest.routes()
                                + "/mailpipe-errors.camel.yaml,file:" + KillNineFaultTest.routes()
                                + "/mailbox.camel.yaml",
                        "camel.main.durationMaxIdleSeconds=5"));
        Path log = Path.of("target", "fault-migration-kill-nine.log");
        Files.deleteIfExists(log);
        // Each kill after 5 to 15 more messages are kept locally (at most all but 30): every kill hits a
        // migration in progress however fast the start is.
        Path out = new FilesLayout(
                        dir.resolve("out"),
                        new MailboxId("pop3s", "localhost", greenMail.getPop3s().getPort(), TestMailServer.USER))
                .mailboxFolder();
        RunnerProcess.killDuringDrain(
                settings, log, 6, 5, () -> KillNineFaultTest.storedCount(out), 5, 15, MESSAGES - 30);
        int leftBeforeLastRun = TestMailServer.messagesLeft(greenMail, user);
        assertThat(RunnerProcess.runToEnd(settings, log))
                .as("final run; see " + log)
                .isZero();

        assertThat(leftBeforeLastRun).as("the kills interrupted the migration").isPositive();
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isZero();
        assertThat(migrated()).as("each message once in the folder").containsExactlyInAnyOrderElementsOf(sent);
    }

    private List<String> migrated() throws Exception {
        return ImapFolders.messages(greenMail.getImaps().getPort(), "Migrated");
    }
}
