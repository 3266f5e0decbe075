package dev.mailpipe.kafka;

import dev.mailpipe.config.ConfigurationException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaComponentConfigurer;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.component.kafka.KafkaEndpointConfigurer;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.util.URISupport;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * camel-kafka's component as every {@code kafka:} step of mailpipe's routes uses it (the event, the
 * raw copy, the dead letter): the cluster's address and security, and the producer options that make
 * a record durable before the ledger records it, set here once so that the steps cannot drift apart.
 * The jar carries the gzip and lz4 codecs only (zstd's and snappy's native libraries for every
 * platform were two-thirds of Kafka's share of it): a step naming another codec stops the start.
 */
public final class KafkaSinkComponent extends KafkaComponent {

    /** The compression codecs this build's producer can use. */
    static final Set<String> CODECS = Set.of("none", "gzip", "lz4");

    private static final PropertyConfigurer ENDPOINT_OPTIONS = new KafkaEndpointConfigurer();
    private static final PropertyConfigurer COMPONENT_OPTIONS = new KafkaComponentConfigurer();

    /** camel-kafka's generated option binders: Camel finds a component's by its class name, and this is a subclass. */
    @Override
    public PropertyConfigurer getEndpointPropertyConfigurer() {
        return ENDPOINT_OPTIONS;
    }

    @Override
    public PropertyConfigurer getComponentPropertyConfigurer() {
        return COMPONENT_OPTIONS;
    }

    @Override
    protected KafkaEndpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters)
            throws Exception {
        KafkaEndpoint endpoint = super.createEndpoint(uri, remaining, parameters);
        String codec = endpoint.getConfiguration().getCompressionCodec();
        if (codec != null && !CODECS.contains(codec.toLowerCase(Locale.ROOT))) {
            throw new ConfigurationException("The kafka: step " + URISupport.sanitizeUri(uri) + " asks for the "
                    + codec + " compression codec; mailpipe's jar carries "
                    + String.join(", ", CODECS.stream().sorted().toList()) + " only");
        }
        return endpoint;
    }

    /**
     * The component for these settings. Without brokers (the Kafka sink off) it still carries the
     * options, and its producers start only when a record is sent, which then never happens.
     */
    public static KafkaSinkComponent of(KafkaSettings kafka) {
        KafkaSinkComponent component = new KafkaSinkComponent();
        // The routes' kafka: steps sit behind filters; a producer starts at its first record.
        component.setLazyStartProducer(true);
        KafkaConfiguration configuration = component.getConfiguration();
        kafka.brokers().ifPresent(configuration::setBrokers);
        // Durable before the ledger records it: every in-sync replica has the record, once.
        configuration.setRequestRequiredAcks("all");
        configuration.setEnableIdempotence(true);
        configuration.setDeliveryTimeoutMs(kafka.deliveryTimeoutMs());
        // The sink thread waits for the broker's ack, then goes on to the next sink.
        configuration.setSynchronous(true);
        configuration.setValueSerializer(ByteArraySerializer.class.getName());
        // The documented record headers only, as Kafka headers (README, "Kafka record headers").
        configuration.setHeaderFilterStrategy(new KafkaRecordHeaders());
        // Room for the key and headers on top of the value.
        configuration.setMaxRequestSize(kafka.maxRecordBytes() + 64 * 1024);
        configuration.setRequestTimeoutMs(Math.min(30_000, kafka.deliveryTimeoutMs() / 2));
        configuration.setMaxBlockMs(kafka.deliveryTimeoutMs());
        configuration.setLingerMs(0);
        configuration.getAdditionalProperties().putAll(kafka.security());
        configuration.getAdditionalProperties().put("interceptor.classes", ContentTypeHeaderName.class.getName());
        return component;
    }
}
