package dev.mailpipe.files;

import dev.mailpipe.ledger.OutageException;
import dev.mailpipe.mailbox.MailpipeHeaders;
import jakarta.mail.FolderClosedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.StoreClosedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.mail.MailMessage;

/**
 * The files sink for raw mail: streams the message from the server straight into
 * {@code <sink.files.dir>/<mailbox>/<key>.eml}, byte for byte, with an atomic write. A redelivery
 * of the same message replaces the same file with the same bytes, so no second copy appears: the
 * sink is idempotent on the key. A full or unwritable disk, or a dropped connection, is reported as
 * an outage; any other failure is this message's own.
 */
public final class StoreRawMessage implements Processor {

    private final FilesLayout layout;

    public StoreRawMessage(FilesLayout layout) {
        this.layout = layout;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String key = exchange.getMessage().getHeader(MailpipeHeaders.KEY, String.class);
        if (key == null) {
            throw new IllegalStateException("No message key on the exchange; run identifyMessage first");
        }
        Message mail = exchange.getIn(MailMessage.class).getOriginalMessage();
        Path eml = layout.emlFile(key);
        long size;
        try {
            // POP3Message.writeTo streams RETR into our buffered file: the message never sits whole in the heap.
            size = AtomicFiles.write(eml, mail::writeTo);
        } catch (FileSinkException e) {
            if (isDiskProblem(e) || !layout.acceptsWrites()) {
                throw new OutageException("files sink " + layout.mailboxFolder(), e);
            }
            throw e;
        } catch (FolderClosedException | StoreClosedException | IOException e) {
            throw new OutageException("mailbox connection", e);
        } catch (MessagingException e) {
            if (e.getCause() instanceof IOException) {
                throw new OutageException("mailbox connection", e);
            }
            throw e;
        }
        exchange.getMessage().setHeader(MailpipeHeaders.EML_FILE, eml.toString());
        exchange.getMessage().setHeader(MailpipeHeaders.SIZE, size);
        StoredHeaders.messageId(eml).ifPresent(id -> exchange.getMessage().setHeader(MailpipeHeaders.MESSAGE_ID, id));
    }

    private static boolean isDiskProblem(FileSinkException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return message.contains("no space left") || message.contains("quota") || message.contains("read-only");
    }
}
