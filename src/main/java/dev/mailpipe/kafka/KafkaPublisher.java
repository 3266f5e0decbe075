package dev.mailpipe.kafka;

import dev.mailpipe.mailbox.OutageException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends records with durable producer settings (acks=all, idempotence, a bounded delivery timeout)
 * and waits for the broker's acknowledgement. Uses the kafka-clients producer that camel-kafka brings,
 * directly: a record must carry exactly the documented headers, and camel-kafka copies exchange
 * headers into records (and rewrote {@code content-type} as {@code Content-Type} when tried).
 * Tells the caller which failures are the record's own (too large, invalid topic) and which are an
 * outage of the cluster. Started and stopped with the CamelContext.
 */
public final class KafkaPublisher extends ServiceSupport {

    /** The broker refused the record as too large for the topic. */
    public static final class RecordTooLarge extends Exception {
        RecordTooLarge(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final KafkaSettings settings;
    private KafkaProducer<String, byte[]> plain;
    private KafkaProducer<String, byte[]> compressed;

    public KafkaPublisher(KafkaSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void doStart() {
        plain = new KafkaProducer<>(config("none"), new StringSerializer(), new ByteArraySerializer());
        // Only the raw copies are compressed; without a raw topic there is no second connection.
        if (settings.rawTopic().isPresent()) {
            compressed = new KafkaProducer<>(config("gzip"), new StringSerializer(), new ByteArraySerializer());
        }
    }

    @Override
    protected void doStop() {
        if (plain != null) {
            plain.close();
        }
        if (compressed != null) {
            compressed.close();
        }
    }

    private Properties config(String compression) {
        Properties config = new Properties();
        config.put("bootstrap.servers", settings.brokers().orElseThrow());
        config.put("acks", "all");
        config.put("enable.idempotence", "true");
        config.put("delivery.timeout.ms", Integer.toString(settings.deliveryTimeoutMs()));
        config.put("request.timeout.ms", Integer.toString(Math.min(30_000, settings.deliveryTimeoutMs() / 2)));
        config.put("max.block.ms", Integer.toString(settings.deliveryTimeoutMs()));
        config.put("linger.ms", "0");
        // Room for the key and headers on top of the value.
        config.put("max.request.size", Integer.toString(settings.maxRecordBytes() + 64 * 1024));
        config.put("compression.type", compression);
        config.putAll(settings.security());
        return config;
    }

    /**
     * Sends one record and returns once the broker has acknowledged it.
     *
     * @throws RecordTooLarge when the broker refused the record's size
     * @throws OutageException when the cluster cannot take records now
     * @throws InvalidTopicException when the topic name is not valid
     */
    public void publish(String topic, String key, byte[] value, Map<String, String> headers, boolean compress)
            throws RecordTooLarge, OutageException, InterruptedException {
        List<Header> recordHeaders = new ArrayList<>();
        headers.forEach(
                (name, text) -> recordHeaders.add(new RecordHeader(name, text.getBytes(StandardCharsets.UTF_8))));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, key, value, recordHeaders);
        try {
            (compress ? compressed : plain).send(record).get();
        } catch (ExecutionException e) {
            throw classify(e.getCause());
        } catch (RecordTooLargeException | InvalidTopicException e) {
            throw classify(e);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new OutageException("kafka sink " + settings.brokers().orElse("?"), e);
        }
    }

    private OutageException classify(Throwable failure) throws RecordTooLarge {
        if (failure instanceof RecordTooLargeException) {
            throw new RecordTooLarge(failure);
        }
        if (failure instanceof InvalidTopicException invalid) {
            throw invalid;
        }
        return new OutageException("kafka sink " + settings.brokers().orElse("?"), failure);
    }
}
