package dev.mailpipe.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.KafkaBroker;
import dev.mailpipe.testing.RunnerProcess;
import dev.mailpipe.testing.TestMailServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a runner publishing to Kafka, repeatedly, then a clean run: every message is on the
 * topic, and a key that appears twice (killed between the broker's ack and the ledger's record of
 * it) carries byte-identical values, so consumers lose nothing by keeping the first record per key.
 */
@Tag("fault")
class KafkaKillNineFaultTest {

    private static final int MESSAGES = 150;
    private static final int KILLS = 6;

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    @TempDir
    Path dir;

    @Test
    void killsNeitherLoseRecordsNorProduceDifferingDuplicates() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        TestMailServer.deliverSamples(user, MESSAGES);
        int port = greenMail.getPop3s().getPort();
        try (KafkaBroker kafka = KafkaBroker.start()) {
            Path settings = Files.writeString(
                    dir.resolve("mailpipe.properties"),
                    String.join(
                            "\n",
                            String.join("\n", RunnerProcess.pop3sSettings(port)),
                            "sink.files.dir=" + dir.resolve("out"),
                            "ledger.dir=" + dir.resolve("ledger"),
                            "sink.kafka.brokers=" + kafka.bootstrapServers(),
                            "sink.kafka.topic=mail.events.kill",
                            "camel.main.routesIncludePattern=file:" + KillNineFaultTest.routes() + "/*.yaml",
                            "camel.main.durationMaxIdleSeconds=5"));
            Path log = Path.of("target", "fault-kafka-kill-nine.log");
            Files.deleteIfExists(log);
            // Each kill after 5 to 15 more messages are stored (at most all but 30): every kill hits a
            // drain in progress however fast the start is (a fixed 3-6 s let a faster start drain all).
            Path out = new FilesLayout(
                            dir.resolve("out"), new MailboxId("pop3s", "localhost", port, TestMailServer.USER))
                    .mailboxFolder();
            RunnerProcess.killDuringDrain(
                    settings, log, KILLS, 11, () -> KillNineFaultTest.storedCount(out), 5, 15, MESSAGES - 30);
            int leftBeforeLastRun = TestMailServer.messagesLeft(greenMail, user);
            assertThat(RunnerProcess.runToEnd(settings, log))
                    .as("final run; see " + log)
                    .isZero();

            assertThat(leftBeforeLastRun).as("the kills interrupted the drain").isPositive();
            assertThat(TestMailServer.messagesLeft(greenMail, user)).isZero();
            Map<String, List<byte[]>> byKey = new HashMap<>();
            for (ConsumerRecord<String, byte[]> record : readAll(kafka, "mail.events.kill")) {
                byKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value());
            }
            MailboxId mailbox = new MailboxId("pop3s", "localhost", port, TestMailServer.USER);
            for (int n = 1; n <= MESSAGES; n++) {
                assertThat(byKey).as("message " + n + " on the topic").containsKey(mailbox.keyOf(Integer.toString(n)));
            }
            assertThat(byKey).hasSize(MESSAGES);
            long duplicates =
                    byKey.values().stream().filter(values -> values.size() > 1).count();
            for (List<byte[]> values : byKey.values()) {
                for (byte[] value : values) {
                    assertThat(Arrays.equals(value, values.get(0)))
                            .as("a repeated record equals the first for its key")
                            .isTrue();
                }
            }
            System.out.println("Kafka kill -9: " + MESSAGES + " keys, " + duplicates + " published twice (identical)");
        }
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(KafkaBroker kafka, String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumerConfig("check"))) {
            consumer.subscribe(List.of(topic));
            long quietSince = System.currentTimeMillis();
            while (System.currentTimeMillis() - quietSince < 5_000) {
                int before = records.size();
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                if (records.size() > before) {
                    quietSince = System.currentTimeMillis();
                }
            }
        }
        return records;
    }
}
