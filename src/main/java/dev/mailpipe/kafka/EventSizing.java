package dev.mailpipe.kafka;

import dev.mailpipe.mime.MailEvent;
import dev.mailpipe.mime.MailEvent.Body;
import dev.mailpipe.mime.MailEvent.Defect;
import dev.mailpipe.mime.MailEvent.Header;
import dev.mailpipe.mime.MailEventJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a mail event below a record size limit: the bodies are cut shorter and shorter, then the
 * header values, and an {@code event-truncated} defect says so. Attachments are never in the event,
 * so this only bites on huge text bodies or headers. The result always fits (at worst it has no
 * bodies and no header values).
 */
final class EventSizing {

    private EventSizing() {}

    static byte[] fit(MailEvent event, int maxBytes) {
        byte[] json = bytes(event);
        if (json.length <= maxBytes) {
            return json;
        }
        int originalSize = json.length;
        for (int chars = 100_000; ; chars /= 4) {
            MailEvent cut = cut(event, chars, originalSize, maxBytes);
            json = bytes(cut);
            if (json.length <= maxBytes || chars == 0) {
                return json;
            }
        }
    }

    private static MailEvent cut(MailEvent event, int chars, int originalSize, int maxBytes) {
        List<Defect> defects = new ArrayList<>(event.defects());
        defects.add(new Defect(
                "event-truncated",
                "message",
                "the event was " + originalSize + " bytes, over the " + maxBytes
                        + "-byte record limit; bodies and header values cut to " + chars + " characters"));
        List<Header> headers = event.headers().stream()
                .map(h -> new Header(h.name(), shorten(h.raw(), chars), shorten(h.decoded(), chars)))
                .toList();
        return new MailEvent(
                event.schemaVersion(),
                event.key(),
                event.mailbox(),
                event.uidl(),
                event.messageId(),
                event.date(),
                event.receivedAt(),
                event.from(),
                event.sender(),
                event.replyTo(),
                event.to(),
                event.cc(),
                event.bcc(),
                event.subject(),
                shorten(event.text(), chars),
                shorten(event.html(), chars),
                event.attachments(),
                event.inReplyTo(),
                event.references(),
                event.authentication(),
                event.spam(),
                event.size(),
                headers,
                defects);
    }

    private static Body shorten(Body body, int chars) {
        if (body == null || body.content().length() <= chars) {
            return body;
        }
        return new Body(body.content().substring(0, chars), body.charset(), true);
    }

    private static String shorten(String text, int chars) {
        return text.length() <= chars ? text : text.substring(0, chars);
    }

    private static byte[] bytes(MailEvent event) {
        return MailEventJson.compact(event).getBytes(StandardCharsets.UTF_8);
    }
}
