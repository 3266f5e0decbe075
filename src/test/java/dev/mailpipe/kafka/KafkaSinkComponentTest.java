package dev.mailpipe.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailpipe.config.ConfigurationException;
import dev.mailpipe.config.Settings;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** Every kafka: step gets the durable producer options from the component; codecs the jar lacks stop the start. */
class KafkaSinkComponentTest {

    private static DefaultCamelContext context() {
        Map<String, String> settings =
                Map.of("sink.kafka.brokers", "localhost:9092", "sink.kafka.deliveryTimeoutMs", "60000");
        DefaultCamelContext context = new DefaultCamelContext();
        context.getRegistry()
                .bind(
                        "kafka",
                        KafkaSinkComponent.of(
                                KafkaSettings.from(new Settings(key -> Optional.ofNullable(settings.get(key))))));
        return context;
    }

    @Test
    void aStepNamingOnlyItsTopicGetsTheDurableProducerOptions() throws Exception {
        try (DefaultCamelContext context = context()) {
            context.start();
            KafkaEndpoint step = (KafkaEndpoint) context.getEndpoint("kafka:mail.events");
            KafkaConfiguration producer = step.getConfiguration();
            assertThat(producer.getBrokers()).isEqualTo("localhost:9092");
            assertThat(producer.getRequestRequiredAcks()).isEqualTo("all");
            assertThat(producer.isEnableIdempotence()).isTrue();
            assertThat(producer.getDeliveryTimeoutMs()).isEqualTo(60_000);
            assertThat(producer.isSynchronous()).isTrue();
            assertThat(producer.getValueSerializer())
                    .isEqualTo(org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
            assertThat(producer.getHeaderFilterStrategy()).isInstanceOf(KafkaRecordHeaders.class);
            assertThat(step.isLazyStartProducer()).isTrue();
        }
    }

    @Test
    void gzipAndLz4AreTakenOtherCodecsStopTheStartNamingTheStep() throws Exception {
        try (DefaultCamelContext context = context()) {
            context.start();
            assertThat(((KafkaEndpoint) context.getEndpoint("kafka:raw?compressionCodec=gzip"))
                            .getConfiguration()
                            .getCompressionCodec())
                    .isEqualTo("gzip");
            context.getEndpoint("kafka:raw?compressionCodec=lz4");
            assertThatThrownBy(() -> context.getEndpoint("kafka:raw?compressionCodec=zstd"))
                    .rootCause()
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("zstd")
                    .hasMessageContaining("gzip, lz4, none");
        }
    }
}
