package dev.mailpipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.runner.OneShotDrain;
import dev.mailpipe.testing.KafkaBroker;
import dev.mailpipe.testing.KafkaOutageDrill;
import dev.mailpipe.testing.RunnerProcess;
import dev.mailpipe.testing.SampleMessages;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TestMailServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's failure handling, on the packaged jar ({@code java -jar target/mailpipe.jar}, one-shot
 * runs): a poison message is counted and dead-lettered, a sink outage is one warning that deletes
 * and counts nothing, stops the download and ends with "delivery works again", and one-shot runs
 * end with the exit code the README's table gives.
 */
class FailurePathsIT {

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    private static KafkaBroker kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaBroker.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
    }

    private List<String> settings(int maxIdleSeconds) {
        List<String> settings =
                new ArrayList<>(RunnerProcess.pop3sSettings(greenMail.getPop3s().getPort()));
        settings.add("sink.files.dir=" + dir.resolve("out"));
        settings.add("ledger.dir=" + dir.resolve("ledger"));
        settings.add("mailbox.maxAttempts=2");
        settings.add("camel.main.routesIncludePattern=file:" + routes() + "/*.yaml");
        settings.add("camel.main.durationMaxIdleSeconds=" + maxIdleSeconds);
        return settings;
    }

    private RunnerProcess start(List<String> settings, String name) throws Exception {
        Path file = Files.writeString(dir.resolve(name + ".properties"), String.join("\n", settings));
        return RunnerProcess.start(file, List.of("-Xmx256m"), Map.of(), dir.resolve(name + ".log"));
    }

    private static MailboxId mailbox() {
        return new MailboxId("pop3s", "localhost", greenMail.getPop3s().getPort(), TestMailServer.USER);
    }

    private FilesLayout files() {
        return new FilesLayout(dir.resolve("out"), mailbox());
    }

    @Test
    void poisonMessageIsCountedWithAWarningPerAttemptAndDeadLetteredWhileTheRestDrains() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        TestMailServer.deliverSamples(user, 5);
        FilesLayout files = files();
        String key = mailbox().keyOf("3");
        // A folder where message 3's file belongs: its own fault, the sink works for the others.
        Files.createDirectories(files.emlFile(key).resolve("occupied"));

        RunnerProcess runner = start(settings(3), "poison");
        assertThat(runner.awaitExit(2)).as("exit code; see " + runner.log()).isZero();

        String log = Files.readString(runner.log());
        assertThat(log).contains("failed, attempt 1 of 2").contains("failed 2 times and was dead-lettered");
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isZero();
        assertThat(Files.readAllBytes(files.deadLetterEml(key))).isEqualTo(SampleMessages.message(3));
    }

    @Test
    void filesSinkOutageIsOneWarningDeletesNothingAndDeliveryWorksAgainAfterIt() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        List<byte[]> sent = TestMailServer.deliverSamples(user, 20);
        FilesLayout files = files();
        // A file where the mailbox folder belongs: the files sink cannot take anything.
        Files.createDirectories(files.mailboxFolder().getParent());
        Files.writeString(files.mailboxFolder(), "not a folder");

        RunnerProcess runner = start(settings(5), "files-outage");
        await().atMost(Duration.ofMinutes(1))
                .until(() -> Files.readString(runner.log()).contains("files sink"));
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isEqualTo(20);
        Files.delete(files.mailboxFolder());
        assertThat(runner.awaitExit(2)).as("exit code; see " + runner.log()).isZero();

        String log = Files.readString(runner.log());
        assertThat(log.lines().filter(line -> line.contains(" WARN ") && line.contains("files sink")))
                .as("one warning for the whole outage")
                .hasSize(1);
        assertThat(log).contains("delivery works again").doesNotContain("attempt 1 of");
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isZero();
        StoredMessages.assertExactly(files.mailboxFolder(), sent);
    }

    @Test
    void kafkaOutageStopsTheDownloadCountsNothingAndPublishesEachKeyOnceAfterIt() throws Exception {
        KafkaOutageDrill.Outcome outcome = KafkaOutageDrill.run(greenMail, kafka, dir, 60, Duration.ofSeconds(5));
        System.out.printf(
                "Kafka outage over 60 messages: %d RETRs in %d polls during the outage%n",
                outcome.retrsDuringOutage(), outcome.pollsDuringOutage());
        assertThat(outcome.retrsDuringOutage())
                .as("downloads during the outage: at most one RETR window (16)")
                .isLessThanOrEqualTo(16);
        assertThat(outcome.log().lines().filter(line -> line.contains(" WARN ") && line.contains("kafka sink")))
                .as("one warning for the whole outage")
                .hasSize(1);
        assertThat(outcome.log()).contains("delivery works again").doesNotContain("attempt 1 of");
        assertThat(outcome.recordsPerKey())
                .hasSize(60)
                .allSatisfy((key, records) ->
                        assertThat(records).as("records of " + key).isOne());
    }

    @Test
    void oneShotRunThatCannotLogInEndsWithItsOwnExitCode() throws Exception {
        TestMailServer.user(greenMail);
        List<String> settings = settings(3);
        settings.replaceAll(line -> line.startsWith("mailbox.password=") ? "mailbox.password=wrong" : line);
        RunnerProcess runner = start(settings, "login");
        assertThat(runner.awaitExit(2)).isEqualTo(OneShotDrain.MAILBOX_NOT_POLLED);
        assertThat(Files.readString(runner.log())).contains("could not be polled");
    }

    @Test
    void oneShotRunEndsDuringAnOutageWithMessagesUndelivered() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        TestMailServer.deliverSamples(user, 3);
        FilesLayout files = files();
        Files.createDirectories(files.mailboxFolder().getParent());
        Files.writeString(files.mailboxFolder(), "not a folder");
        RunnerProcess runner = start(settings(3), "undelivered");
        assertThat(runner.awaitExit(2)).isEqualTo(OneShotDrain.UNDELIVERED);
        assertThat(Files.readString(runner.log())).contains("messages undelivered");
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isEqualTo(3);
    }

    @Test
    void sigtermInTheMiddleOfADrainStopsWithinTheShutdownTimeoutAndTheRestartLosesAndRepeatsNothing() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        List<byte[]> sent = TestMailServer.deliverSamples(user, 300);
        FilesLayout files = files();
        List<String> settings = settings(3);
        settings.removeIf(line -> line.startsWith("camel.main.durationMaxIdleSeconds"));
        RunnerProcess runner = start(settings, "sigterm");
        await().atMost(Duration.ofMinutes(1))
                .until(() -> StoredMessages.emlFiles(files.mailboxFolder()).size() >= 20);
        long stop = System.nanoTime();
        runner.terminate();
        assertThat(runner.awaitExit(1)).as("exit code; see " + runner.log()).isZero();
        double seconds = (System.nanoTime() - stop) / 1e9;
        System.out.printf("SIGTERM mid-drain: stopped in %.1f s%n", seconds);
        assertThat(seconds).as("within camel.main.shutdownTimeout (30 s)").isLessThan(30);
        assertThat(TestMailServer.messagesLeft(greenMail, user))
                .as("the drain was cut short")
                .isPositive();

        assertThat(start(settings(3), "after-sigterm").awaitExit(5)).isZero();
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isZero();
        StoredMessages.assertExactly(files.mailboxFolder(), sent);
    }

    @Test
    void aSecondProcessOnTheSameEmbeddedLedgerStopsAtStartSayingWhy() throws Exception {
        TestMailServer.user(greenMail);
        List<String> settings = settings(3);
        settings.removeIf(line -> line.startsWith("camel.main.durationMaxIdleSeconds"));
        RunnerProcess first = start(settings, "first");
        await().atMost(Duration.ofMinutes(1))
                .until(() -> Files.readString(first.log()).contains("Started inbox-to-files"));
        RunnerProcess second = start(settings, "second");
        try {
            assertThat(second.awaitExit(1)).isEqualTo(2);
            assertThat(Files.readString(second.log())).contains("is in use by another mailpipe process");
        } finally {
            first.terminate();
            first.awaitExit(1);
        }
    }

    private static Path routes() {
        return Path.of(System.getProperty("mailpipe.project.dir", "."))
                .resolve("routes")
                .toAbsolutePath();
    }
}
