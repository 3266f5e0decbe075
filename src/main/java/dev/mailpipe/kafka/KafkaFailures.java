package dev.mailpipe.kafka;

import dev.mailpipe.common.OutageException;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Tells a Kafka sink failure that is the cluster's (unreachable, timed out, not enough replicas:
 * an outage, which costs the message nothing) from one that is the record's own (too large for the
 * topic, an invalid topic name, which count as the message's failed attempts).
 */
public final class KafkaFailures {

    private final KafkaSettings settings;

    public KafkaFailures(KafkaSettings settings) {
        this.settings = settings;
    }

    /** The outage a failure stands for, if it is one of Kafka's and not the record's own. */
    public Optional<OutageException> outageIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RecordTooLargeException
                    || t instanceof InvalidTopicException
                    || t instanceof SerializationException) {
                return Optional.empty();
            }
            if (t instanceof KafkaException) {
                return Optional.of(
                        new OutageException("kafka sink " + settings.brokers().orElse("?"), t));
            }
        }
        return Optional.empty();
    }
}
