package dev.mailpipe.kafka;

import dev.mailpipe.ledger.Ledger;
import dev.mailpipe.mailbox.MailpipeHeaders;
import dev.mailpipe.mailbox.OutageException;
import dev.mailpipe.mime.MailEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka sink: publishes the mail event (the exchange body) with the ledger key as record key to
 * {@code sink.kafka.topic} (or the topic in {@code MailpipeKafkaTopic}), and the raw message to
 * {@code sink.kafka.rawTopic} when set. The record carries only the documented headers. Once the
 * broker has acknowledged, the ledger records that Kafka has the message, so a retry (after a later
 * sink failed) does not publish it again. Does nothing when {@code sink.kafka.brokers} is not set.
 */
public final class PublishMailEvent implements Processor {

    static final String SINK = "kafka";
    /** The raw copy's own progress mark in the ledger. */
    static final String RAW_SINK = "kafka-raw";

    private static final Logger LOG = LoggerFactory.getLogger(PublishMailEvent.class);

    private final KafkaSettings settings;
    private final KafkaPublisher publisher;
    private final Ledger ledger;
    private final Duration backOff;
    private final Clock clock;
    /** The last outage and when it happened; read and written by the route's worker threads. */
    private volatile RecentOutage recent;

    private record RecentOutage(OutageException failure, Instant at) {}

    /** @param backOff after an outage, how long the next messages fail at once instead of waiting out the timeout */
    public PublishMailEvent(
            KafkaSettings settings, KafkaPublisher publisher, Ledger ledger, Duration backOff, Clock clock) {
        this.settings = settings;
        this.publisher = publisher;
        this.ledger = ledger;
        this.backOff = backOff;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        if (!settings.enabled()) {
            return;
        }
        org.apache.camel.Message message = exchange.getMessage();
        String key = message.getHeader(MailpipeHeaders.KEY, String.class);
        Set<?> done = exchange.getProperty(MailpipeHeaders.SINKS_DONE, Set.class);
        boolean eventDone = done != null && done.contains(SINK);
        boolean rawDone = settings.rawTopic().isEmpty() || (done != null && done.contains(RAW_SINK));
        if (eventDone && rawDone) {
            LOG.debug("Message {} is on Kafka already (an earlier attempt); not publishing it again", key);
            return;
        }
        MailEvent event = message.getBody(MailEvent.class);
        if (event == null) {
            throw new IllegalStateException("No mail event in the body; run storeMailEvent first");
        }
        RecentOutage last = recent;
        if (last != null && clock.instant().isBefore(last.at().plus(backOff))) {
            // The cluster was unreachable a moment ago: fail at once rather than wait out the timeout per message.
            throw last.failure();
        }
        Map<String, String> headers = recordHeaders(event);
        try {
            // Each record has its own mark, so a failure of the second never publishes the first twice.
            if (!eventDone) {
                publishFitting(
                        message.getHeader(MailpipeHeaders.KAFKA_TOPIC, settings.topic(), String.class),
                        key,
                        event,
                        headers);
                markDone(key, SINK);
            }
            if (!rawDone) {
                publishRaw(settings.rawTopic().get(), key, message, headers);
                markDone(key, RAW_SINK);
            }
        } catch (OutageException e) {
            recent = new RecentOutage(e, clock.instant());
            throw e;
        }
        recent = null;
    }

    private void markDone(String key, String sink) throws OutageException {
        try {
            ledger.markSinkDone(key, sink, true);
        } catch (SQLException e) {
            throw new OutageException("ledger", e);
        }
    }

    /** Publishes the event, cutting it down further if the broker says it is still too large. */
    private void publishFitting(String topic, String key, MailEvent event, Map<String, String> headers)
            throws Exception {
        int limit = settings.maxRecordBytes();
        for (int attempt = 0; ; attempt++) {
            try {
                publisher.publish(topic, key, EventSizing.fit(event, limit), headers, false);
                return;
            } catch (KafkaPublisher.RecordTooLarge e) {
                if (attempt == 2) {
                    throw e;
                }
                limit = limit / 8;
                LOG.info(
                        "Topic {} refused the event of {} as too large; retrying with at most {} bytes",
                        topic,
                        key,
                        limit);
            }
        }
    }

    /**
     * The raw copy is optional: a message over the record limit (ours or the broker's) is skipped
     * with a line in the log, never failed, so a delivered message is never dead-lettered for it.
     * An unreadable stored file is the files sink's outage; a broker that cannot be reached is
     * Kafka's (thrown by the publisher).
     */
    private void publishRaw(String topic, String key, org.apache.camel.Message message, Map<String, String> headers)
            throws OutageException, InterruptedException {
        Path eml = Path.of(message.getHeader(MailpipeHeaders.EML_FILE, String.class));
        try {
            long size = Files.size(eml);
            if (size > settings.maxRecordBytes()) {
                LOG.info("Raw copy of {} not published: {} bytes, over sink.kafka.maxRecordBytes", key, size);
                return;
            }
            Map<String, String> rawHeaders = new LinkedHashMap<>(headers);
            rawHeaders.put("content-type", "message/rfc822");
            publisher.publish(topic, key, Files.readAllBytes(eml), rawHeaders, true);
        } catch (KafkaPublisher.RecordTooLarge e) {
            LOG.info("Raw copy of {} not published: topic {} refused it as too large ({})", key, topic, e.getMessage());
        } catch (java.io.IOException e) {
            throw new OutageException("files sink (reading " + eml.getFileName() + " for the raw copy)", e);
        }
    }

    /** The documented record headers, and only those. */
    static Map<String, String> recordHeaders(MailEvent event) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("mailpipe.schema", Integer.toString(event.schemaVersion()));
        headers.put("mailpipe.mailbox", event.mailbox());
        headers.put("mailpipe.uidl", event.uidl());
        if (event.messageId() != null) {
            headers.put("mailpipe.messageId", event.messageId());
        }
        headers.put("content-type", "application/json");
        return headers;
    }
}
