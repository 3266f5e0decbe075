package dev.mailpipe.files;

import dev.mailpipe.mailbox.MailpipeHeaders;
import jakarta.mail.Message;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.mail.MailMessage;

/**
 * The files sink for raw mail: streams the message from the server straight into
 * {@code <sink.files.dir>/<mailbox>/<key>.eml}, byte for byte, with an atomic write. A redelivery
 * of the same message replaces the same file with the same bytes, so no second copy appears.
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
        // POP3Message.writeTo streams RETR into our buffered file: the message never sits whole in the heap.
        long size = AtomicFiles.write(eml, mail::writeTo);
        exchange.getMessage().setHeader(MailpipeHeaders.EML_FILE, eml.toString());
        exchange.getMessage().setHeader(MailpipeHeaders.SIZE, size);
    }
}
