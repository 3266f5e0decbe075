package dev.mailpipe.check;

import dev.mailpipe.kafka.KafkaSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The Kafka cluster, with the producer's security settings: it answers, and the topics mailpipe
 * publishes to exist, or the broker creates topics on first use. Creates nothing.
 */
final class KafkaProbe {

    static final String PART = "kafka";

    private static final int TIMEOUT_MS = 15_000;

    private final KafkaSettings kafka;
    private final Set<String> topics;

    KafkaProbe(KafkaSettings kafka, Set<String> topics) {
        this.kafka = kafka;
        this.topics = topics;
    }

    Finding run() {
        String brokers = kafka.brokers().orElseThrow();
        String subject = brokers + " (topics " + String.join(", ", topics) + ")";
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        properties.putAll(kafka.security());
        try (Admin admin = Admin.create(properties)) {
            Collection<Node> nodes = admin.describeCluster().nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            Set<String> present = admin.listTopics(new ListTopicsOptions().timeoutMs(TIMEOUT_MS))
                    .names()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            List<String> missing = new ArrayList<>(topics);
            missing.removeAll(present);
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("brokers", nodes.size());
            facts.put("missingTopics", missing);
            String reached = "reached " + nodes.size() + " broker(s)";
            if (missing.isEmpty()) {
                return Finding.ok(PART, subject, reached + "; every topic exists", facts);
            }
            boolean autoCreate = autoCreatesTopics(admin, nodes);
            facts.put("autoCreateTopics", autoCreate);
            if (autoCreate) {
                return Finding.ok(
                        PART,
                        subject,
                        reached + "; topic(s) " + String.join(", ", missing)
                                + " do not exist yet: the broker creates them at the first record",
                        facts);
            }
            return new Finding(
                    PART,
                    subject,
                    false,
                    reached + ", but topic(s) " + String.join(", ", missing)
                            + " do not exist and the broker does not create topics (auto.create.topics.enable=false):"
                            + " create them first",
                    facts);
        } catch (TimeoutException e) {
            return Finding.failed(PART, subject, noAnswer(brokers));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                return Finding.failed(PART, subject, noAnswer(brokers));
            }
            return Finding.failed(PART, subject, "Kafka at " + brokers + " refused the check: " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Finding.failed(PART, subject, "check interrupted");
        } catch (RuntimeException e) {
            return Finding.failed(PART, subject, "cannot make a Kafka client for " + brokers + ": " + e.getMessage());
        }
    }

    private static String noAnswer(String brokers) {
        return "no Kafka broker answered at " + brokers + " within " + TIMEOUT_MS / 1000
                + " s (check sink.kafka.brokers, that the cluster runs, and sink.kafka.securityProtocol)";
    }

    /** Whether a broker creates a topic on its first record (Kafka's default: yes). */
    private static boolean autoCreatesTopics(Admin admin, Collection<Node> nodes) {
        try {
            ConfigResource broker = new ConfigResource(
                    ConfigResource.Type.BROKER, nodes.iterator().next().idString());
            Config config = admin.describeConfigs(List.of(broker))
                    .all()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .get(broker);
            return config.get("auto.create.topics.enable") == null
                    || Boolean.parseBoolean(
                            config.get("auto.create.topics.enable").value());
        } catch (Exception e) {
            // Not allowed to read the broker's settings: say the topics are missing and let the user decide.
            return false;
        }
    }
}
