package dev.mailpipe.kafka;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Keeps the documented record header name {@code content-type}: Camel's case-insensitive header map
 * stores that key as {@code Content-Type}, and camel-kafka names record headers after the map's
 * keys. A Kafka producer interceptor, set on the component by mailpipe, so every record is sent as
 * documented whatever the exchange's map did to the name.
 */
public final class ContentTypeHeaderName implements ProducerInterceptor<Object, Object> {

    @Override
    public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
        Header camelCase = record.headers().lastHeader("Content-Type");
        if (camelCase == null) {
            return record;
        }
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header == camelCase ? KafkaRecordHeaders.CONTENT_TYPE : header.key(), header.value());
        }
        return new ProducerRecord<>(
                record.topic(), record.partition(), record.timestamp(), record.key(), record.value(), headers);
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {}

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs) {}
}
