package dev.mailpipe.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailpipe.config.ConfigurationException;
import dev.mailpipe.config.Settings;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Kafka sink is off without brokers, and its security settings reach the producer by Kafka's names. */
class KafkaSettingsTest {

    private static KafkaSettings read(Map<String, String> values) {
        return KafkaSettings.from(new Settings(key -> Optional.ofNullable(values.get(key))));
    }

    @Test
    void offWithoutBrokers() {
        assertThat(read(Map.of()).enabled()).isFalse();
        assertThat(read(Map.of("sink.kafka.brokers", " ")).enabled()).isFalse();
    }

    @Test
    void aTopicNameKafkaRefusesStopsTheStart() {
        for (String key : new String[] {"sink.kafka.topic", "sink.kafka.rawTopic", "sink.kafka.deadLetterTopic"}) {
            assertThatThrownBy(() -> read(Map.of("sink.kafka.brokers", "k1:9092", key, "mail events")))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining(key)
                    .hasMessageContaining("not a Kafka topic name");
        }
        assertThat(read(Map.of("sink.kafka.rawTopic", "mail.raw_v1-2")).rawTopic())
                .contains("mail.raw_v1-2");
    }

    @Test
    void securitySettingsBecomeProducerProperties() {
        KafkaSettings settings = read(Map.of(
                "sink.kafka.brokers", "k1:9093",
                "sink.kafka.securityProtocol", "SASL_SSL",
                "sink.kafka.saslMechanism", "SCRAM-SHA-512",
                "sink.kafka.saslJaasConfig", "secret-jaas",
                "sink.kafka.sslTruststoreLocation", "/etc/kafka/truststore.p12",
                "sink.kafka.sslTruststorePassword", "secret-store",
                "sink.kafka.sslTruststoreType", "PKCS12"));

        assertThat(settings.security())
                .containsOnly(
                        Map.entry("security.protocol", "SASL_SSL"),
                        Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                        Map.entry("sasl.jaas.config", "secret-jaas"),
                        Map.entry("ssl.truststore.location", "/etc/kafka/truststore.p12"),
                        Map.entry("ssl.truststore.password", "secret-store"),
                        Map.entry("ssl.truststore.type", "PKCS12"));
        assertThat(settings.toString()).doesNotContain("secret");
    }
}
