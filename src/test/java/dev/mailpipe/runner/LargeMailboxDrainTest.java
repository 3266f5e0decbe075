package dev.mailpipe.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.RunnerProcess;
import dev.mailpipe.testing.SampleMessages;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TestMailServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mailbox of 2,000 messages drains completely through the runner in its own JVM with a 256 MB
 * heap (batches bound what one POP3 session holds, and messages stream to disk), configured through
 * environment variables and a properties file as the README shows; the log shows its progress.
 */
class LargeMailboxDrainTest {

    private static final int MESSAGES = 2_000;

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    @TempDir
    Path work;

    @Test
    void drainsTwoThousandMessagesWithA256MegabyteHeap() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        for (int n = 1; n <= MESSAGES; n++) {
            TestMailServer.deliver(user, SampleMessages.message(n));
        }
        int port = greenMail.getPop3s().getPort();
        Path sinkDir = work.resolve("out");
        // Configured as the README shows: the mailbox through environment variables (both name forms),
        // the rest through a properties file.
        Path password = Files.writeString(work.resolve("password"), TestMailServer.PASSWORD + "\n");
        Path settings = Files.writeString(
                work.resolve("mailpipe.properties"),
                String.join(
                        "\n",
                        "sink.files.dir=" + sinkDir,
                        "ledger.dir=" + work.resolve("ledger"),
                        "camel.main.durationMaxIdleSeconds=3"));
        Map<String, String> env = Map.of(
                "MAILBOX_HOST",
                "localhost",
                "MAILBOX_PORT",
                Integer.toString(port),
                "MAILBOX_USERNAME",
                TestMailServer.USER,
                "MAILBOX_PASSWORDFILE",
                password.toString(),
                "MAILBOX_CAFILE",
                TestMailServer.caFile().toString(),
                "MAILBOX_POLL_DELAY",
                "500",
                "CAMEL_MAIN_ROUTESINCLUDEPATTERN",
                "file:" + MailpipeRunnerTestPaths.routes() + "/*.yaml");
        Path log = Path.of("target", "large-mailbox-drain.log");
        Files.deleteIfExists(log);
        RunnerProcess runner =
                RunnerProcess.start(settings, List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"), env, log);

        assertThat(runner.awaitExit(5)).as("exit code; see " + log).isZero();
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isZero();
        Path folder = new FilesLayout(sinkDir, new MailboxId("pop3s", "localhost", port, TestMailServer.USER))
                .mailboxFolder();
        assertThat(StoredMessages.emlFiles(folder)).hasSize(MESSAGES);
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.filter(f -> f.toString().endsWith(".json")))
                    .as("one event per message")
                    .hasSize(MESSAGES);
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines)
                .as("a progress line at INFO during the drain; see " + log)
                .anyMatch(line -> line.matches(".*INFO.*Mailbox pop3s://alice@localhost:" + port
                        + ": [0-9,]+ of 2,000 \\([0-9]+%\\), [0-9,]+ msg/s, about [0-9]+ (s|min) left .*"));
        assertThat(lines.stream().filter(line -> line.contains(": batch done in ")))
                .as("one summary per batch of 500")
                .hasSizeGreaterThanOrEqualTo(4)
                .allMatch(line -> line.contains(" INFO "));
    }
}
