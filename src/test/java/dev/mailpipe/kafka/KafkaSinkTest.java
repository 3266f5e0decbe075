package dev.mailpipe.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.ledger.Ledger;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.EventSchema;
import dev.mailpipe.testing.KafkaBroker;
import dev.mailpipe.testing.MailpipeRouteTestSupport;
import dev.mailpipe.testing.TestMailServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The shipped route with the Kafka sink on, against a real KRaft broker in the test JVM. */
class KafkaSinkTest extends MailpipeRouteTestSupport {

    private static final Set<String> DOCUMENTED_HEADERS =
            Set.of("mailpipe.schema", "mailpipe.mailbox", "mailpipe.uidl", "mailpipe.messageId", "content-type");

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    private static KafkaBroker kafka;

    @TempDir
    Path dir;

    private GreenMailUser user;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaBroker.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
    }

    private Map<String, String> settings(String topic) {
        Map<String, String> settings = TestMailServer.pop3sSettings(greenMail);
        settings.put("mailbox.pollDelay", "300");
        settings.put("mailbox.maxAttempts", "2");
        settings.put("sink.files.dir", dir.resolve("out").toString());
        settings.put("ledger.dir", dir.resolve("ledger").toString());
        settings.put("sink.kafka.brokers", kafka.bootstrapServers());
        settings.put("sink.kafka.topic", topic);
        settings.put("sink.kafka.deliveryTimeoutMs", "4000");
        return settings;
    }

    private List<byte[]> deliver(int count) {
        user = TestMailServer.user(greenMail);
        return TestMailServer.deliverSamples(user, count);
    }

    private int left() {
        return TestMailServer.messagesLeft(greenMail, user);
    }

    private MailboxId mailbox() {
        return new MailboxId("pop3s", "localhost", greenMail.getPop3s().getPort(), TestMailServer.USER);
    }

    /** Every record of a topic, read from the start until {@code expected} have come (or 30 s pass). */
    static List<ConsumerRecord<String, byte[]>> readTopic(String topic, int expected) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumerConfig("test-" + topic))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (records.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            // One more poll: a duplicate would show up here.
            consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
        }
        return records;
    }

    @Test
    void publishesOneKeyedRecordPerMessageWithOnlyTheDocumentedHeaders() throws Exception {
        deliver(300);
        startRoute("inbox-to-files.camel.yaml", settings("mail.events.all"));
        await().atMost(Duration.ofMinutes(2)).until(() -> left() == 0);

        List<ConsumerRecord<String, byte[]>> records = readTopic("mail.events.all", 300);
        assertThat(records).hasSize(300);
        Set<String> expectedKeys = new HashSet<>();
        for (int n = 1; n <= 300; n++) {
            expectedKeys.add(mailbox().keyOf(Integer.toString(n)));
        }
        assertThat(records).extracting(ConsumerRecord::key).doesNotHaveDuplicates();
        assertThat(Set.copyOf(records.stream().map(ConsumerRecord::key).toList()))
                .isEqualTo(expectedKeys);
        ObjectMapper json = new ObjectMapper();
        for (ConsumerRecord<String, byte[]> record : records) {
            String value = new String(record.value(), StandardCharsets.UTF_8);
            assertThat(EventSchema.violations(value)).isEmpty();
            assertThat(json.readTree(value).get("key").asText()).isEqualTo(record.key());
            Set<String> headers = new HashSet<>();
            for (Header header : record.headers()) {
                headers.add(header.key());
            }
            assertThat(headers).isEqualTo(DOCUMENTED_HEADERS);
        }
    }

    @Test
    void brokerDownDeletesNothingAndDeadLettersNothingThenPublishesEachMessageOnce() throws Exception {
        deliver(12);
        kafka.stopBroker();
        try {
            startRoute("inbox-to-files.camel.yaml", settings("mail.events.outage"));
            // Far more polls than mailbox.maxAttempts (2) while the broker is away.
            awaitMorePolls(6);
            assertThat(left()).isEqualTo(12);
            assertThat(new FilesLayout(dir.resolve("out"), mailbox())
                            .deadLetterEml(mailbox().keyOf("1"))
                            .getParent())
                    .doesNotExist();
            try (Ledger ledger =
                    Ledger.open("jdbc:sqlite:" + dir.resolve("ledger/ledger.sqlite"), null, null, Clock.systemUTC())) {
                assertThat(ledger.find(mailbox().keyOf("1")))
                        .as("the first message was tried (and probed at each poll)")
                        .hasValueSatisfying(entry -> assertThat(entry.attempts())
                                .as("outages are not attempts")
                                .isZero());
                for (int n = 2; n <= 12; n++) {
                    ledger.find(mailbox().keyOf(Integer.toString(n)))
                            .ifPresent(entry -> assertThat(entry.attempts())
                                    .as("outages are not attempts")
                                    .isZero());
                }
            }
        } finally {
            kafka.restartBroker();
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> left() == 0);

        List<ConsumerRecord<String, byte[]>> records = readTopic("mail.events.outage", 12);
        assertThat(records).hasSize(12);
        assertThat(records).extracting(ConsumerRecord::key).doesNotHaveDuplicates();
    }

    /** The README's promise: mailbox.sinkThreads=1 keeps mailbox order in the sinks. */
    @Test
    void oneSinkThreadPublishesInMailboxOrder() throws Exception {
        deliver(40);
        Map<String, String> settings = settings("mail.events.ordered");
        settings.put("mailbox.sinkThreads", "1");
        startRoute("inbox-to-files.camel.yaml", settings);
        await().atMost(Duration.ofMinutes(1)).until(() -> left() == 0);

        List<String> uidls = readTopic("mail.events.ordered", 40).stream()
                .map(record ->
                        new String(record.headers().lastHeader("mailpipe.uidl").value(), StandardCharsets.UTF_8))
                .toList();
        List<String> mailboxOrder = java.util.stream.IntStream.rangeClosed(1, 40)
                .mapToObj(Integer::toString)
                .toList();
        assertThat(uidls).containsExactlyElementsOf(mailboxOrder);
    }

    @Test
    void aTwentyMegabyteAttachmentIsReferencedNotInlined() throws Exception {
        user = TestMailServer.user(greenMail);
        byte[] attachment = new byte[20 * 1024 * 1024];
        new java.util.Random(3).nextBytes(attachment);
        String raw = "From: a@example.org\r\nTo: alice@localhost\r\nSubject: big\r\nMessage-ID: <big@example.org>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"
                + "Content-Type: text/plain\r\n\r\nsee attached\r\n--b\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Disposition: attachment; filename=\"big.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + java.util.Base64.getMimeEncoder().encodeToString(attachment) + "\r\n--b--\r\n";
        TestMailServer.deliver(user, raw.getBytes(StandardCharsets.US_ASCII));
        startRoute("inbox-to-files.camel.yaml", settings("mail.events.big"));
        await().atMost(Duration.ofMinutes(2)).until(() -> left() == 0);

        List<ConsumerRecord<String, byte[]>> records = readTopic("mail.events.big", 1);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).value().length).isLessThan(100_000);
        JsonNode event = new ObjectMapper().readTree(records.get(0).value());
        JsonNode stored = event.get("attachments").get(0);
        assertThat(stored.get("size").asLong()).isEqualTo(attachment.length);
        assertThat(Files.size(dir.resolve("out").resolve(stored.get("ref").asText())))
                .isEqualTo(attachment.length);
    }

    @Test
    void theExampleRouteChoosesTopicsBySubjectRuleAndSenderDomain() throws Exception {
        user = TestMailServer.user(greenMail);
        String[][] mails = {
            {"ann@alpha.example", "Lunch?"}, {"bob@beta.example", "Your invoice 42"}, {"cid@alpha.example", "Notes"}
        };
        for (String[] mail : mails) {
            TestMailServer.deliver(
                    user,
                    ("From: " + mail[0] + "\r\nTo: alice@localhost\r\nSubject: " + mail[1]
                                    + "\r\nContent-Type: text/plain\r\n\r\nbody\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
        }
        startRoute("examples/inbox-to-kafka-by-rule.camel.yaml", settings("mail.rules"));
        await().atMost(Duration.ofMinutes(1)).until(() -> left() == 0);

        assertThat(readTopic("mail.rules.invoices", 1))
                .extracting(record -> new ObjectMapper()
                        .readTree(record.value())
                        .get("subject")
                        .asText())
                .containsExactly("Your invoice 42");
        assertThat(readTopic("mail.rules.from.alpha.example", 2))
                .extracting(record -> new ObjectMapper()
                        .readTree(record.value())
                        .get("subject")
                        .asText())
                .containsExactlyInAnyOrder("Lunch?", "Notes");
    }

    @Test
    void rawCopiesAndDeadLettersGoToTheirTopics() throws Exception {
        List<byte[]> sent = deliver(3);
        // Message 2's file cannot be written (a folder is in the way): it fails on its own and is dead-lettered.
        Path blocked =
                new FilesLayout(dir.resolve("out"), mailbox()).emlFile(mailbox().keyOf("2"));
        Files.createDirectories(blocked.resolve("occupied"));
        Map<String, String> settings = settings("mail.events.dl");
        settings.put("sink.kafka.rawTopic", "mail.raw.dl");
        settings.put("sink.kafka.deadLetterTopic", "mail.dead.dl");
        startRoute("inbox-to-files.camel.yaml", settings);
        await().atMost(Duration.ofMinutes(1)).until(() -> left() == 0);

        List<ConsumerRecord<String, byte[]>> raw = readTopic("mail.raw.dl", 2);
        assertThat(raw).hasSize(2);
        for (ConsumerRecord<String, byte[]> record : raw) {
            int n = record.key().equals(mailbox().keyOf("1")) ? 1 : 3;
            assertThat(record.value()).isEqualTo(sent.get(n - 1));
        }
        List<ConsumerRecord<String, byte[]>> dead = readTopic("mail.dead.dl", 1);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).key()).isEqualTo(mailbox().keyOf("2"));
        JsonNode report = new ObjectMapper().readTree(dead.get(0).value());
        assertThat(report.get("uidl").asText()).isEqualTo("2");
        assertThat(report.get("reason").asText()).contains("FileSinkException");
    }
}
