package dev.mailpipe.mime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Mail events as JSON: fields in the order of {@link MailEvent}, nulls written out (the shape never varies). */
public final class MailEventJson {

    private static final ObjectMapper COMPACT = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MailEventJson() {}

    /** One line, for streams (the parse command, Kafka). */
    public static String compact(MailEvent event) {
        return write(COMPACT, event);
    }

    /** Indented, for files people read. */
    public static String pretty(MailEvent event) {
        return write(PRETTY, event);
    }

    private static String write(ObjectMapper mapper, MailEvent event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a MailEvent is always serializable", e);
        }
    }
}
