package dev.mailpipe.files;

import dev.mailpipe.common.MailpipeHeaders;
import dev.mailpipe.common.OutageException;
import dev.mailpipe.mime.AttachmentNotStoredException;
import dev.mailpipe.mime.MailEvent;
import dev.mailpipe.mime.MailEventJson;
import dev.mailpipe.mime.MailEventMapper;
import dev.mailpipe.mime.MessageContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * The files sink for mail events: maps the stored {@code .eml} to a {@link MailEvent}, stores its
 * attachments as {@code <key>/<n>-<safe name>} and the event as {@code <key>.json}, all with atomic
 * writes. The event is in the exchange body afterwards, for the sinks that follow. Idempotent on the
 * key: a redelivery writes the same names again, and {@code receivedAt} is when the ledger first saw
 * the message, so the event is the same too.
 */
final class StoreMailEvent {

    private StoreMailEvent() {}

    static void process(Exchange exchange, FilesLayout layout, Clock clock) throws Exception {
        org.apache.camel.Message message = exchange.getMessage();
        String key = message.getHeader(MailpipeHeaders.KEY, String.class);
        String eml = message.getHeader(MailpipeHeaders.EML_FILE, String.class);
        if (key == null || eml == null) {
            throw new IllegalStateException("No stored message on the exchange; the raw message is stored first");
        }
        MessageContext context = new MessageContext(
                key,
                message.getHeader(MailpipeHeaders.MAILBOX, String.class),
                message.getHeader(MailpipeHeaders.UIDL, String.class),
                Optional.ofNullable(exchange.getProperty(MailpipeHeaders.FIRST_SEEN, Instant.class))
                        .orElseGet(clock::instant));
        MailEvent event;
        try {
            event = new MailEventMapper(new AttachmentFiles(layout, key)).map(Path.of(eml), context);
            byte[] json = MailEventJson.pretty(event).getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(layout.eventFile(key), layout.modes(), out -> out.write(json));
        } catch (AttachmentNotStoredException e) {
            if (!layout.acceptsWrites()) {
                throw new OutageException("files sink " + layout.mailboxFolder(), e);
            }
            // This message's attachment alone: a failed attempt, counted and in the end dead-lettered.
            throw e;
        } catch (IOException e) {
            // The mapper turns every problem of the message into a defect; what is left is the disk.
            throw new OutageException("files sink " + layout.mailboxFolder(), e);
        }
        message.setHeader(MailpipeHeaders.EVENT_FILE, layout.eventFile(key).toString());
        message.setHeader(MailpipeHeaders.SUBJECT, event.subject());
        event.from().stream()
                .map(MailEvent.Address::address)
                .filter(address -> address != null && address.contains("@"))
                .findFirst()
                .ifPresent(address -> message.setHeader(
                        MailpipeHeaders.FROM_DOMAIN,
                        address.substring(address.lastIndexOf('@') + 1).toLowerCase(java.util.Locale.ROOT)));
        message.setBody(event);
    }
}
