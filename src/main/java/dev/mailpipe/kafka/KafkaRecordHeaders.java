package dev.mailpipe.kafka;

import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * camel-kafka's header filter for mailpipe's records: exactly the documented record headers go to
 * Kafka, and none of the exchange's other headers (message key, file paths, Camel's own).
 */
public final class KafkaRecordHeaders implements HeaderFilterStrategy {

    public static final String SCHEMA = "mailpipe.schema";
    public static final String MAILBOX = "mailpipe.mailbox";
    public static final String UIDL = "mailpipe.uidl";
    public static final String MESSAGE_ID = "mailpipe.messageId";
    public static final String CONTENT_TYPE = "content-type";

    /** The record headers README documents. */
    public static final Set<String> DOCUMENTED = Set.of(SCHEMA, MAILBOX, UIDL, MESSAGE_ID, CONTENT_TYPE);

    /** True filters the header out of the record. */
    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        // Camel's header map keeps content-type as Content-Type; ContentTypeHeaderName restores it.
        return !DOCUMENTED.contains(headerName) && !headerName.equals("Content-Type");
    }

    /** mailpipe does not consume from Kafka. */
    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return true;
    }
}
