package dev.mailpipe.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TestMailServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Boots the real camel-main runner (as {@code java -jar} does) against GreenMail POP3S, twice: a restart. */
class MailpipeRunnerTest {

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    @TempDir
    Path sinkDir;

    private Map<String, String> settings(boolean delete) {
        Map<String, String> settings = TestMailServer.pop3sSettings(greenMail);
        settings.put("mailbox.delete", Boolean.toString(delete));
        settings.put("mailbox.pollDelay", "200");
        settings.put("sink.files.dir", sinkDir.resolve("out").toString());
        settings.put("ledger.dir", sinkDir.resolve("ledger").toString());
        settings.put("camel.main.routesIncludePattern", "file:" + MailpipeRunnerTestPaths.routes() + "/*.yaml");
        settings.put("camel.main.durationMaxIdleSeconds", "2");
        return settings;
    }

    private List<Path> storedFiles() throws Exception {
        MailboxId mailbox =
                new MailboxId("pop3s", "localhost", greenMail.getPop3s().getPort(), TestMailServer.USER);
        return StoredMessages.emlFiles(new FilesLayout(sinkDir.resolve("out"), mailbox).mailboxFolder());
    }

    @Test
    void restartOnAMailboxKeptOnTheServerDeliversNothingTwice() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        TestMailServer.deliverSamples(user, 10);

        assertThat(MailpipeRunner.run(Optional.empty(), settings(false))).isZero();
        List<Path> first = storedFiles();
        Map<Path, byte[]> firstContent = new HashMap<>();
        for (Path file : first) {
            firstContent.put(file, Files.readAllBytes(file));
        }
        assertThat(MailpipeRunner.run(Optional.empty(), settings(false))).isZero();

        assertThat(first).hasSize(10);
        assertThat(storedFiles()).isEqualTo(first);
        for (Path file : first) {
            assertThat(Files.readAllBytes(file)).isEqualTo(firstContent.get(file));
        }
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isEqualTo(10);
    }

    @Test
    void secondRunAfterDrainingFindsNothingAndStoresNothingNew() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        TestMailServer.deliverSamples(user, 10);

        assertThat(MailpipeRunner.run(Optional.empty(), settings(true))).isZero();
        assertThat(MailpipeRunner.run(Optional.empty(), settings(true))).isZero();

        assertThat(storedFiles()).hasSize(10);
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isZero();
    }
}
