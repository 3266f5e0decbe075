package dev.mailpipe.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The runner (the packaged jar under failsafe and the fault profile) draining a mailbox while its
 * Kafka cluster is down, then back: what the proxy in front of the POP3 server saw, what the log
 * said and what the topic holds. Shared by the jar's failure-path suite (small) and the fault
 * suite (the 2,000 messages and 60 s).
 */
public final class KafkaOutageDrill {

    /**
     * What happened: RETRs from the start until the broker came back, polls (sessions) between the
     * warning and the broker's return, the log, and the records per key.
     */
    public record Outcome(
            int retrsDuringOutage, int pollsDuringOutage, String log, Map<String, Integer> recordsPerKey) {}

    private KafkaOutageDrill() {}

    /**
     * Delivers {@code messages}, starts the runner with the broker down (behind a proxy that
     * announces PIPELINING, so RETRs sent ahead count too), keeps it down for {@code
     * outage} (at least until three polls have probed it), starts the broker, and waits for the
     * mailbox to be empty and the one-shot run to end.
     */
    public static Outcome run(GreenMailExtension greenMail, KafkaBroker kafka, Path dir, int messages, Duration outage)
            throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        TestMailServer.deliverSamples(user, messages);
        String topic = "outage-" + System.nanoTime();
        try (Pop3Proxy server = new Pop3Proxy(greenMail.getPop3().getPort(), Pop3Proxy.Cut.ANNOUNCE_PIPELINING, 0)) {
            Path settings = Files.writeString(
                    dir.resolve("kafka-outage.properties"),
                    String.join(
                            "\n",
                            "mailbox.protocol=pop3",
                            "mailbox.host=localhost",
                            "mailbox.port=" + server.port(),
                            "mailbox.username=" + TestMailServer.USER,
                            "mailbox.password=" + TestMailServer.PASSWORD,
                            "mailbox.pollDelay=1000",
                            "sink.files.dir=" + dir.resolve("out"),
                            "ledger.dir=" + dir.resolve("ledger"),
                            "sink.kafka.brokers=" + kafka.bootstrapServers(),
                            "sink.kafka.topic=" + topic,
                            "sink.kafka.deliveryTimeoutMs=3000",
                            "camel.main.routesIncludePattern=file:" + routes() + "/*.yaml",
                            // A one-shot run ends (exit 4) after this long without progress: outlast the outage.
                            "camel.main.durationMaxIdleSeconds=" + (outage.toSeconds() + 30)));
            kafka.stopBroker();
            Path log = dir.resolve("kafka-outage.log");
            RunnerProcess runner = RunnerProcess.start(settings, List.of("-Xmx256m"), Map.of(), log);
            long outageEnds = System.nanoTime() + outage.toNanos();
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> Files.readString(log).contains("kafka sink"));
            int sessionsAtWarning = server.sessions();
            await().atMost(outage.plusMinutes(1))
                    .until(() -> System.nanoTime() >= outageEnds && server.sessions() >= sessionsAtWarning + 3);
            int retrs = server.retrs();
            int polls = server.sessions() - sessionsAtWarning;
            assertThat(TestMailServer.messagesLeft(greenMail, user))
                    .as("nothing deleted during the outage")
                    .isEqualTo(messages);
            kafka.restartBroker();
            await().atMost(Duration.ofMinutes(10)).until(() -> TestMailServer.messagesLeft(greenMail, user) == 0);
            assertThat(runner.awaitExit(2))
                    .as("one-shot run's exit code; see " + log)
                    .isZero();
            return new Outcome(retrs, polls, Files.readString(log), recordsPerKey(kafka, topic, messages));
        }
    }

    private static Map<String, Integer> recordsPerKey(KafkaBroker kafka, String topic, int expected) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumerConfig("drill-" + topic))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 60_000;
            while (records.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            // One more poll: a duplicate would show up here.
            consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
        }
        Map<String, Integer> perKey = new HashMap<>();
        records.forEach(record -> perKey.merge(record.key(), 1, Integer::sum));
        return perKey;
    }

    private static Path routes() {
        return Path.of(System.getProperty("mailpipe.project.dir", "."))
                .resolve("routes")
                .toAbsolutePath();
    }
}
