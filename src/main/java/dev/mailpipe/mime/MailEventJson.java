package dev.mailpipe.mime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.mailpipe.mime.MailEvent.Address;
import dev.mailpipe.mime.MailEvent.Attachment;
import dev.mailpipe.mime.MailEvent.Authentication;
import dev.mailpipe.mime.MailEvent.Body;
import dev.mailpipe.mime.MailEvent.Defect;
import dev.mailpipe.mime.MailEvent.Header;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Mail events as JSON: fields in the order of {@link MailEvent}, nulls written out (the shape never
 * varies). Written field by field with Jackson's streaming generator rather than by data binding:
 * the same bytes (MailEventJsonTest compares them), without the start-up cost of introspecting the
 * records and with less work per message.
 */
public final class MailEventJson {

    private static final JsonFactory JSON = new JsonFactory();

    private MailEventJson() {}

    /** One line, for streams (the parse command, Kafka). */
    public static String compact(MailEvent event) {
        return write(event, false);
    }

    /** Indented, for files people read. */
    public static String pretty(MailEvent event) {
        return write(event, true);
    }

    private static String write(MailEvent event, boolean indented) {
        StringWriter out = new StringWriter(4096);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            if (indented) {
                json.useDefaultPrettyPrinter();
            }
            writeEvent(json, event);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
        return out.toString();
    }

    private static void writeEvent(JsonGenerator json, MailEvent event) throws IOException {
        json.writeStartObject();
        json.writeNumberField("schemaVersion", event.schemaVersion());
        json.writeStringField("key", event.key());
        json.writeStringField("mailbox", event.mailbox());
        json.writeStringField("uidl", event.uidl());
        json.writeStringField("messageId", event.messageId());
        json.writeStringField("date", event.date());
        json.writeStringField("receivedAt", event.receivedAt());
        writeList(json, "from", event.from(), MailEventJson::writeAddress);
        writeValue(json, "sender", event.sender(), MailEventJson::writeAddress);
        writeList(json, "replyTo", event.replyTo(), MailEventJson::writeAddress);
        writeList(json, "to", event.to(), MailEventJson::writeAddress);
        writeList(json, "cc", event.cc(), MailEventJson::writeAddress);
        writeList(json, "bcc", event.bcc(), MailEventJson::writeAddress);
        json.writeStringField("subject", event.subject());
        writeValue(json, "text", event.text(), MailEventJson::writeBody);
        writeValue(json, "html", event.html(), MailEventJson::writeBody);
        writeList(json, "attachments", event.attachments(), MailEventJson::writeAttachment);
        json.writeStringField("inReplyTo", event.inReplyTo());
        writeList(json, "references", event.references(), JsonGenerator::writeString);
        writeValue(json, "authentication", event.authentication(), MailEventJson::writeAuthentication);
        writeValue(json, "spam", event.spam(), MailEventJson::writeSpam);
        json.writeNumberField("size", event.size());
        writeList(json, "headers", event.headers(), MailEventJson::writeHeader);
        writeList(json, "defects", event.defects(), MailEventJson::writeDefect);
        json.writeEndObject();
    }

    /** How one value is written, never null. */
    @FunctionalInterface
    private interface Writer<T> {
        void write(JsonGenerator json, T value) throws IOException;
    }

    /** {@code "field": value}, or {@code "field": null}. */
    private static <T> void writeValue(JsonGenerator json, String field, T value, Writer<T> writer) throws IOException {
        json.writeFieldName(field);
        writeNullable(json, value, writer);
    }

    /** {@code "field": [values]}, or {@code "field": null}. */
    private static <T> void writeList(JsonGenerator json, String field, List<T> values, Writer<T> writer)
            throws IOException {
        writeValue(json, field, values, (out, list) -> {
            out.writeStartArray();
            for (T value : list) {
                writeNullable(out, value, writer);
            }
            out.writeEndArray();
        });
    }

    private static <T> void writeNullable(JsonGenerator json, T value, Writer<T> writer) throws IOException {
        if (value == null) {
            json.writeNull();
        } else {
            writer.write(json, value);
        }
    }

    private static void writeAddress(JsonGenerator json, Address address) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", address.name());
        json.writeStringField("address", address.address());
        json.writeEndObject();
    }

    private static void writeBody(JsonGenerator json, Body body) throws IOException {
        json.writeStartObject();
        json.writeStringField("content", body.content());
        json.writeStringField("charset", body.charset());
        json.writeBooleanField("truncated", body.truncated());
        json.writeEndObject();
    }

    private static void writeAttachment(JsonGenerator json, Attachment attachment) throws IOException {
        json.writeStartObject();
        json.writeStringField("filename", attachment.filename());
        json.writeStringField("contentType", attachment.contentType());
        json.writeStringField("disposition", attachment.disposition());
        json.writeBooleanField("inline", attachment.inline());
        json.writeStringField("contentId", attachment.contentId());
        json.writeNumberField("size", attachment.size());
        json.writeStringField("sha256", attachment.sha256());
        json.writeStringField("ref", attachment.ref());
        json.writeEndObject();
    }

    private static void writeAuthentication(JsonGenerator json, Authentication authentication) throws IOException {
        json.writeStartObject();
        json.writeStringField("spf", authentication.spf());
        json.writeStringField("dkim", authentication.dkim());
        json.writeStringField("dmarc", authentication.dmarc());
        writeList(json, "results", authentication.results(), JsonGenerator::writeString);
        json.writeEndObject();
    }

    private static void writeSpam(JsonGenerator json, Map<String, String> spam) throws IOException {
        json.writeStartObject();
        for (Map.Entry<String, String> entry : spam.entrySet()) {
            json.writeStringField(entry.getKey(), entry.getValue());
        }
        json.writeEndObject();
    }

    private static void writeHeader(JsonGenerator json, Header header) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", header.name());
        json.writeStringField("raw", header.raw());
        json.writeStringField("decoded", header.decoded());
        json.writeEndObject();
    }

    private static void writeDefect(JsonGenerator json, Defect defect) throws IOException {
        json.writeStartObject();
        json.writeStringField("code", defect.code());
        json.writeStringField("part", defect.part());
        json.writeStringField("detail", defect.detail());
        json.writeEndObject();
    }
}
