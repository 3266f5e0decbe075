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
        writeAddresses(json, "from", event.from());
        json.writeFieldName("sender");
        writeAddress(json, event.sender());
        writeAddresses(json, "replyTo", event.replyTo());
        writeAddresses(json, "to", event.to());
        writeAddresses(json, "cc", event.cc());
        writeAddresses(json, "bcc", event.bcc());
        json.writeStringField("subject", event.subject());
        writeBody(json, "text", event.text());
        writeBody(json, "html", event.html());
        writeAttachments(json, event.attachments());
        json.writeStringField("inReplyTo", event.inReplyTo());
        writeStrings(json, "references", event.references());
        writeAuthentication(json, event.authentication());
        writeSpam(json, event.spam());
        json.writeNumberField("size", event.size());
        writeHeaders(json, event.headers());
        writeDefects(json, event.defects());
        json.writeEndObject();
    }

    private static void writeAddresses(JsonGenerator json, String field, List<Address> addresses) throws IOException {
        json.writeFieldName(field);
        if (addresses == null) {
            json.writeNull();
            return;
        }
        json.writeStartArray();
        for (Address address : addresses) {
            writeAddress(json, address);
        }
        json.writeEndArray();
    }

    private static void writeAddress(JsonGenerator json, Address address) throws IOException {
        if (address == null) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        json.writeStringField("name", address.name());
        json.writeStringField("address", address.address());
        json.writeEndObject();
    }

    private static void writeBody(JsonGenerator json, String field, Body body) throws IOException {
        json.writeFieldName(field);
        if (body == null) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        json.writeStringField("content", body.content());
        json.writeStringField("charset", body.charset());
        json.writeBooleanField("truncated", body.truncated());
        json.writeEndObject();
    }

    private static void writeAttachments(JsonGenerator json, List<Attachment> attachments) throws IOException {
        json.writeFieldName("attachments");
        if (attachments == null) {
            json.writeNull();
            return;
        }
        json.writeStartArray();
        for (Attachment attachment : attachments) {
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
        json.writeEndArray();
    }

    private static void writeStrings(JsonGenerator json, String field, List<String> values) throws IOException {
        json.writeFieldName(field);
        if (values == null) {
            json.writeNull();
            return;
        }
        json.writeStartArray();
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    private static void writeAuthentication(JsonGenerator json, Authentication authentication) throws IOException {
        json.writeFieldName("authentication");
        if (authentication == null) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        json.writeStringField("spf", authentication.spf());
        json.writeStringField("dkim", authentication.dkim());
        json.writeStringField("dmarc", authentication.dmarc());
        writeStrings(json, "results", authentication.results());
        json.writeEndObject();
    }

    private static void writeSpam(JsonGenerator json, Map<String, String> spam) throws IOException {
        json.writeFieldName("spam");
        if (spam == null) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        for (Map.Entry<String, String> entry : spam.entrySet()) {
            json.writeStringField(entry.getKey(), entry.getValue());
        }
        json.writeEndObject();
    }

    private static void writeHeaders(JsonGenerator json, List<Header> headers) throws IOException {
        json.writeFieldName("headers");
        if (headers == null) {
            json.writeNull();
            return;
        }
        json.writeStartArray();
        for (Header header : headers) {
            json.writeStartObject();
            json.writeStringField("name", header.name());
            json.writeStringField("raw", header.raw());
            json.writeStringField("decoded", header.decoded());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void writeDefects(JsonGenerator json, List<Defect> defects) throws IOException {
        json.writeFieldName("defects");
        if (defects == null) {
            json.writeNull();
            return;
        }
        json.writeStartArray();
        for (Defect defect : defects) {
            json.writeStartObject();
            json.writeStringField("code", defect.code());
            json.writeStringField("part", defect.part());
            json.writeStringField("detail", defect.detail());
            json.writeEndObject();
        }
        json.writeEndArray();
    }
}
