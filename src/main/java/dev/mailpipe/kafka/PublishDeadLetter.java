package dev.mailpipe.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailpipe.mailbox.MailpipeHeaders;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Reports a dead-lettered message on {@code sink.kafka.deadLetterTopic} (when set): an error record
 * with the ledger key as record key and the reason; the raw bytes are in the files sink's
 * dead-letter folder.
 */
public final class PublishDeadLetter implements Processor {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaSettings settings;
    private final KafkaPublisher publisher;

    public PublishDeadLetter(KafkaSettings settings, KafkaPublisher publisher) {
        this.settings = settings;
        this.publisher = publisher;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        if (!settings.enabled() || settings.deadLetterTopic().isEmpty()) {
            return;
        }
        org.apache.camel.Message message = exchange.getMessage();
        String key = message.getHeader(MailpipeHeaders.KEY, String.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ObjectNode record = JSON.createObjectNode()
                .put("schemaVersion", 1)
                .put("key", key)
                .put("mailbox", message.getHeader(MailpipeHeaders.MAILBOX, String.class))
                .put("uidl", message.getHeader(MailpipeHeaders.UIDL, String.class))
                .put("reason", String.valueOf(failure));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("mailpipe.schema", "1");
        headers.put("mailpipe.mailbox", message.getHeader(MailpipeHeaders.MAILBOX, String.class));
        headers.put("mailpipe.uidl", message.getHeader(MailpipeHeaders.UIDL, String.class));
        headers.put("content-type", "application/json");
        publisher.publish(
                settings.deadLetterTopic().get(),
                key,
                JSON.writeValueAsString(record).getBytes(StandardCharsets.UTF_8),
                headers,
                false);
    }
}
