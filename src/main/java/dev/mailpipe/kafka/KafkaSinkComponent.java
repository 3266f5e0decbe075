package dev.mailpipe.kafka;

import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * camel-kafka's component as every {@code kafka:} step of mailpipe's routes uses it (the event, the
 * raw copy, the dead letter): the cluster's address and security, and the producer options that make
 * a record durable before the ledger records it, set here once so that the steps cannot drift apart.
 */
public final class KafkaSinkComponent {

    private KafkaSinkComponent() {}

    /**
     * The component for these settings. Without brokers (the Kafka sink off) it still carries the
     * options, and its producers start only when a record is sent, which then never happens.
     */
    public static KafkaComponent of(KafkaSettings kafka) {
        KafkaComponent component = new KafkaComponent();
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
