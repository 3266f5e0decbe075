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
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TestMailServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped default route configured by environment variables only (MAILBOX_* and SINK_IMAP_*, as
 * a container would be): every message is appended into the IMAP folder exactly once, across a
 * kill -9 in the middle of the drain.
 */
@Tag("fault")
class DefaultRouteImapKillNineFaultTest {

    private static final int MESSAGES = 80;

    /** Read before the servers start: loading TestMailServer gives GreenMail the test certificate. */
    private static final Path CA = TestMailServer.caFile();

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(
            ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.POP3S, ServerSetupTest.IMAPS}));

    @TempDir
    Path dir;

    @Test
    void theDefaultRouteAppendsEachMessageOnceIntoImapAcrossAKill() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        List<String> sent = new ArrayList<>();
        for (int n = 1; n <= MESSAGES; n++) {
            byte[] raw = SampleMessages.message(n);
            sent.add(new String(raw, StandardCharsets.ISO_8859_1));
            TestMailServer.deliver(user, raw);
        }
        int pop3s = greenMail.getPop3s().getPort();
        Path passwordFile = Files.writeString(dir.resolve("imap.password"), TestMailServer.PASSWORD + "\n");
        Map<String, String> environment = Map.ofEntries(
                Map.entry("MAILBOX_HOST", "localhost"),
                Map.entry("MAILBOX_PORT", Integer.toString(pop3s)),
                Map.entry("MAILBOX_USERNAME", TestMailServer.USER),
                Map.entry("MAILBOX_PASSWORD", TestMailServer.PASSWORD),
                Map.entry("MAILBOX_CAFILE", CA.toString()),
                Map.entry("MAILBOX_POLLDELAY", "200"),
                Map.entry("MAILBOX_BATCHSIZE", "20"),
                Map.entry("SINK_IMAP_HOST", "localhost"),
                Map.entry(
                        "SINK_IMAP_PORT", Integer.toString(greenMail.getImaps().getPort())),
                Map.entry("SINK_IMAP_USERNAME", TestMailServer.USER),
                Map.entry("SINK_IMAP_PASSWORDFILE", passwordFile.toString()),
                Map.entry("SINK_IMAP_CAFILE", CA.toString()),
                Map.entry("SINK_IMAP_FOLDER", "Migrated"),
                Map.entry("SINK_FILES_DIR", dir.resolve("out").toString()),
                Map.entry("LEDGER_DIR", dir.resolve("ledger").toString()),
                Map.entry("CAMEL_MAIN_ROUTESINCLUDEPATTERN", "file:" + KillNineFaultTest.routes() + "/*.yaml"),
                Map.entry("CAMEL_MAIN_DURATIONMAXIDLESECONDS", "5"));
        // No settings of its own: the bundled defaults and the environment.
        Path settings = Files.writeString(dir.resolve("empty.properties"), "");
        Path log = Path.of("target", "fault-default-route-imap-kill-nine.log");
        Files.deleteIfExists(log);
        Path stored = new FilesLayout(
                        dir.resolve("out"), new MailboxId("pop3s", "localhost", pop3s, TestMailServer.USER))
                .mailboxFolder();
        RunnerProcess.killDuringDrain(settings, environment, log, 1, 13, () -> count(stored), 10, 30, MESSAGES - 20);
        int leftBeforeLastRun = TestMailServer.messagesLeft(greenMail, user);
        assertThat(RunnerProcess.runToEnd(settings, environment, log))
                .as("final run; see " + log)
                .isZero();

        assertThat(leftBeforeLastRun).as("the kill interrupted the drain").isPositive();
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isZero();
        assertThat(ImapFolders.messages(greenMail.getImaps().getPort(), "Migrated"))
                .as("each message once in the IMAP folder")
                .containsExactlyInAnyOrderElementsOf(sent);
        List<String> lines = Files.readAllLines(log);
        assertThat(lines)
                .as("the start-up names the mailbox and its sinks in one line")
                .anyMatch(line -> line.contains("Mailbox pop3s://alice@localhost:" + pop3s
                        + " (route inbox-to-files): files in " + dir.resolve("out")
                        + ", IMAP folder Migrated of alice@localhost"));
        assertThat(lines)
                .as("camel-main's per-setting summary stays below INFO")
                .noneMatch(line ->
                        line.contains("[OS Environment Variable]") || line.contains("[application.properties]"));
    }

    private static int count(Path folder) {
        try {
            return StoredMessages.emlFiles(folder).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
