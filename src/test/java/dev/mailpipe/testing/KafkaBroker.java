package dev.mailpipe.testing;

import java.nio.file.Files;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A real single-node KRaft Kafka cluster in the test JVM (about 4 s to start); start one per test class. */
public final class KafkaBroker implements AutoCloseable {

    private final KafkaClusterTestKit cluster;

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static KafkaBroker start() throws Exception {
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .setBaseDirectory(Files.createTempDirectory("kraft-"))
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "true")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new KafkaBroker(cluster);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Stops the broker process (the controller stays up): clients see the broker go away. */
    public void stopBroker() {
        cluster.brokers().values().forEach(broker -> broker.shutdown());
    }

    /** Starts the stopped broker again on the same port and data. */
    public void restartBroker() throws Exception {
        cluster.brokers().values().forEach(broker -> broker.startup());
        cluster.waitForReadyBrokers();
    }

    public Map<String, Object> consumerConfig(String group) {
        return Map.of(
                "bootstrap.servers", bootstrapServers(),
                "group.id", group,
                "auto.offset.reset", "earliest",
                "enable.auto.commit", "false",
                "key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer",
                "value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
