package dev.mailpipe.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.Application;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.SampleMessages;
import dev.mailpipe.testing.TestMailServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mailbox of 2,000 messages drains completely through the runner in its own JVM with a 256 MB
 * heap (batches bound what one POP3 session holds, and messages stream to disk), configured through
 * environment variables and a properties file as the README shows.
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
        ProcessBuilder command = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Application.class.getName(),
                        "--properties",
                        settings.toString())
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "large-mailbox-drain.log").toFile());
        Map<String, String> env = command.environment();
        env.put("MAILBOX_HOST", "localhost");
        env.put("MAILBOX_PORT", Integer.toString(port));
        env.put("MAILBOX_USERNAME", TestMailServer.USER);
        env.put("MAILBOX_PASSWORDFILE", password.toString());
        env.put("MAILBOX_CAFILE", TestMailServer.caFile().toString());
        env.put("MAILBOX_POLL_DELAY", "500");
        env.put("CAMEL_MAIN_ROUTESINCLUDEPATTERN", "file:" + MailpipeRunnerTestPaths.routes() + "/*.yaml");
        Process runner = command.start();
        assertThat(runner.waitFor(5, TimeUnit.MINUTES)).as("runner finished").isTrue();

        assertThat(runner.exitValue())
                .as("exit code; see target/large-mailbox-drain.log")
                .isZero();
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isZero();
        Path folder = new FilesLayout(sinkDir, new MailboxId("pop3s", "localhost", port, TestMailServer.USER))
                .mailboxFolder();
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> stored = files.toList();
            assertThat(stored)
                    .hasSize(MESSAGES)
                    .allSatisfy(f -> assertThat(f.toString()).endsWith(".eml"));
        }
    }
}
