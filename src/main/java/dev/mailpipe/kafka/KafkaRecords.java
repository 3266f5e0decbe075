package dev.mailpipe.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.mailpipe.common.MailpipeHeaders;
import dev.mailpipe.common.OutageException;
import dev.mailpipe.mime.MailEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the Kafka sink's records for camel-kafka's {@code kafka:} steps in the route template: the
 * body, the ledger key as record key ({@link KafkaConstants#KEY}), the topic ({@link
 * KafkaConstants#OVERRIDE_TOPIC}) and the documented record headers (see {@link
 * KafkaRecordHeaders}, which lets only those through). Also says which records a message still
 * needs: each has its own mark in the ledger ({@value #EVENT} and {@value #RAW}), so a retry after a
 * later sink failed publishes nothing twice.
 */
public final class KafkaRecords {

    /** The ledger's mark of a published event. */
    public static final String EVENT = "kafka";
    /** The ledger's mark of a published raw copy. */
    public static final String RAW = "kafka-raw";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRecords.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final String JSON_TYPE = "application/json";

    private final KafkaSettings settings;

    public KafkaRecords(KafkaSettings settings) {
        this.settings = settings;
    }

    /**
     * Exchange property the route template's Kafka steps filter on: whether the record this bean just
     * made is to be sent. (A {@code method:} predicate would see a copy of the exchange, and camel-mail's
     * message drops its headers when copied.)
     */
    public static final String READY = "MailpipeKafkaRecordReady";

    /**
     * Whether the raw copy is to be published: a raw topic is set, an earlier attempt did not
     * publish it, and it fits {@code sink.kafka.maxRecordBytes}. The raw copy is optional: one too
     * large is skipped with a line in the log, never failed.
     */
    private boolean rawPending(Exchange exchange) throws OutageException {
        if (settings.rawTopic().isEmpty() || done(exchange, RAW)) {
            return false;
        }
        Path eml = Path.of(exchange.getMessage().getHeader(MailpipeHeaders.EML_FILE, String.class));
        long size;
        try {
            size = Files.size(eml);
        } catch (IOException e) {
            throw new OutageException("files sink (reading " + eml.getFileName() + " for the raw copy)", e);
        }
        if (size > settings.maxRecordBytes()) {
            LOG.info(
                    "Raw copy of {} not published: {} bytes, over sink.kafka.maxRecordBytes",
                    exchange.getMessage().getHeader(MailpipeHeaders.KEY),
                    size);
            return false;
        }
        return true;
    }

    /**
     * The mail event (the body the files sink left) as its JSON record, cut down to {@code
     * sink.kafka.maxRecordBytes}, to the topic in {@code MailpipeKafkaTopic} (the route template's
     * {@code kafkaTopic}) or {@code sink.kafka.topic}; not ready when an earlier attempt published it.
     */
    public void event(Exchange exchange) {
        exchange.setProperty(READY, !done(exchange, EVENT));
        if (done(exchange, EVENT)) {
            return;
        }
        Message message = exchange.getMessage();
        MailEvent event = message.getBody(MailEvent.class);
        if (event == null) {
            throw new IllegalStateException("No mail event in the body; the files sink makes it");
        }
        String topic = message.getHeader(MailpipeHeaders.KAFKA_TOPIC, String.class);
        headers(message, topic == null || topic.isBlank() ? settings.topic() : topic, JSON_TYPE);
        message.setHeader(KafkaRecordHeaders.SCHEMA, Integer.toString(event.schemaVersion()));
        if (event.messageId() != null) {
            message.setHeader(KafkaRecordHeaders.MESSAGE_ID, event.messageId());
        }
        message.setBody(EventSizing.fit(event, settings.maxRecordBytes()));
    }

    /** The stored raw message, byte for byte, to {@code sink.kafka.rawTopic}, when {@link #rawPending}. */
    public void raw(Exchange exchange) throws OutageException {
        boolean pending = rawPending(exchange);
        exchange.setProperty(READY, pending);
        if (!pending) {
            return;
        }
        Message message = exchange.getMessage();
        Path eml = Path.of(message.getHeader(MailpipeHeaders.EML_FILE, String.class));
        headers(message, settings.rawTopic().orElseThrow(), "message/rfc822");
        try {
            message.setBody(Files.readAllBytes(eml));
        } catch (IOException e) {
            throw new OutageException("files sink (reading " + eml.getFileName() + " for the raw copy)", e);
        }
    }

    /**
     * The report of a dead-lettered message to {@code sink.kafka.deadLetterTopic}: key, mailbox,
     * UIDL and the reason; the raw bytes are in the files sink's dead-letter folder. Ready when Kafka
     * and {@code sink.kafka.deadLetterTopic} are set.
     */
    public void deadLetter(Exchange exchange) throws IOException {
        boolean wanted = settings.enabled() && settings.deadLetterTopic().isPresent();
        exchange.setProperty(READY, wanted);
        if (!wanted) {
            return;
        }
        Message message = exchange.getMessage();
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        headers(message, settings.deadLetterTopic().orElseThrow(), JSON_TYPE);
        message.setHeader(KafkaRecordHeaders.SCHEMA, "1");
        StringWriter record = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(record)) {
            json.writeStartObject();
            json.writeNumberField("schemaVersion", 1);
            json.writeStringField("key", message.getHeader(MailpipeHeaders.KEY, String.class));
            json.writeStringField("mailbox", message.getHeader(MailpipeHeaders.MAILBOX, String.class));
            json.writeStringField("uidl", message.getHeader(MailpipeHeaders.UIDL, String.class));
            json.writeStringField("reason", String.valueOf(failure));
            json.writeEndObject();
        }
        message.setBody(record.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Key, topic and the headers every record has; headers of an earlier record are dropped. */
    private static void headers(Message message, String topic, String contentType) {
        KafkaRecordHeaders.DOCUMENTED.forEach(message::removeHeader);
        message.setHeader(KafkaConstants.KEY, message.getHeader(MailpipeHeaders.KEY, String.class));
        message.setHeader(KafkaConstants.OVERRIDE_TOPIC, topic);
        message.setHeader(KafkaRecordHeaders.MAILBOX, message.getHeader(MailpipeHeaders.MAILBOX, String.class));
        message.setHeader(KafkaRecordHeaders.UIDL, message.getHeader(MailpipeHeaders.UIDL, String.class));
        message.setHeader(KafkaRecordHeaders.CONTENT_TYPE, contentType);
    }

    private static boolean done(Exchange exchange, String sink) {
        Set<?> done = exchange.getProperty(MailpipeHeaders.SINKS_DONE, Set.class);
        return done != null && done.contains(sink);
    }
}
