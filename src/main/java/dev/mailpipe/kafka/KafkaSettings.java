package dev.mailpipe.kafka;

import dev.mailpipe.config.Settings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Kafka sink's {@code sink.kafka.*} settings. Off unless {@code sink.kafka.brokers} is set.
 *
 * @param brokers bootstrap servers, e.g. {@code kafka-1:9092,kafka-2:9092}
 * @param topic where mail events go unless a route sets {@code MailpipeKafkaTopic}
 * @param deadLetterTopic where dead-lettered messages are reported, if set
 * @param rawTopic where the raw message bytes go (compressed), if set
 * @param maxRecordBytes records are kept below this size; larger events are cut down
 * @param deliveryTimeoutMs how long the producer keeps trying before the send fails (an outage)
 * @param security producer security properties passed through to the Kafka client, by its names
 */
public record KafkaSettings(
        Optional<String> brokers,
        String topic,
        Optional<String> deadLetterTopic,
        Optional<String> rawTopic,
        int maxRecordBytes,
        int deliveryTimeoutMs,
        Map<String, String> security) {

    /** mailpipe setting -> Kafka producer property, for clusters with TLS and SASL. */
    private static final Map<String, String> SECURITY_OPTIONS = Map.of(
            "sink.kafka.securityProtocol", "security.protocol",
            "sink.kafka.saslMechanism", "sasl.mechanism",
            "sink.kafka.saslJaasConfig", "sasl.jaas.config",
            "sink.kafka.sslTruststoreLocation", "ssl.truststore.location",
            "sink.kafka.sslTruststorePassword", "ssl.truststore.password",
            "sink.kafka.sslTruststoreType", "ssl.truststore.type");

    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public static KafkaSettings from(Settings settings) {
        Map<String, String> security = new LinkedHashMap<>();
        SECURITY_OPTIONS.forEach(
                (key, option) -> settings.optional(key).ifPresent(value -> security.put(option, value)));
        return new KafkaSettings(
                settings.optional("sink.kafka.brokers"),
                topic(settings, "sink.kafka.topic").orElse("mail.events"),
                topic(settings, "sink.kafka.deadLetterTopic"),
                topic(settings, "sink.kafka.rawTopic"),
                (int) settings.number("sink.kafka.maxRecordBytes", 1_000_000, 10_000, 100_000_000),
                (int) settings.number("sink.kafka.deliveryTimeoutMs", 120_000, 1_000, 3_600_000),
                Map.copyOf(security));
    }

    /**
     * A topic name Kafka accepts, checked at start: a name the broker refuses would otherwise fail
     * every message that reaches the sink, and with a raw topic dead-letter messages already delivered.
     */
    private static Optional<String> topic(Settings settings, String key) {
        Optional<String> topic = settings.optional(key);
        if (topic.isPresent() && !LEGAL_TOPIC.matcher(topic.get()).matches()) {
            throw Settings.invalid(
                    key, "is not a Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -), got '" + topic.get() + "'");
        }
        return topic;
    }

    public boolean enabled() {
        return brokers.isPresent();
    }

    /** Hides secrets (JAAS config, truststore password) from accidental logging. */
    @Override
    public String toString() {
        return brokers.map(b -> "kafka " + b + " topic " + topic).orElse("kafka off");
    }
}
