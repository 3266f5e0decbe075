package dev.mailpipe.files;

import dev.mailpipe.common.MailpipeHeaders;
import dev.mailpipe.common.OutageException;
import dev.mailpipe.mailbox.RawMessage;
import jakarta.mail.FolderClosedException;
import jakarta.mail.MessagingException;
import jakarta.mail.StoreClosedException;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * First half of the files sink's raw copy, run on the thread that owns the POP3 session: streams
 * the message from the server (RETR) into a temporary file beside {@code <key>.eml}, byte for byte,
 * and leaves it on the exchange for {@link StoreRawMessage}. The temporary file is removed when the
 * exchange ends without that commit. A full or unwritable disk, or a dropped connection, is
 * reported as an outage; any other failure is this message's own.
 */
final class DownloadRawMessage {

    private DownloadRawMessage() {}

    static void process(Exchange exchange, FilesLayout layout) throws Exception {
        String key = exchange.getMessage().getHeader(MailpipeHeaders.KEY, String.class);
        if (key == null) {
            throw new IllegalStateException("No message key on the exchange; the mailbox consumer sets it");
        }
        if (StoreRawMessage.storedBefore(exchange, layout)) {
            // An earlier attempt stored it and a later sink failed: the retry needs no second download.
            return;
        }
        AtomicFiles.Pending download;
        try {
            // RETR streams into our buffered file: the message never sits whole in the heap.
            download = AtomicFiles.writePending(
                    layout.emlFile(key), layout.modes(), out -> RawMessage.writeTo(exchange, out));
        } catch (FileSinkException e) {
            throw StoreRawMessage.classified(e, layout);
        } catch (FolderClosedException | StoreClosedException | IOException e) {
            throw new OutageException("mailbox connection", e);
        } catch (MessagingException e) {
            if (e.getCause() instanceof IOException) {
                throw new OutageException("mailbox connection", e);
            }
            throw e;
        }
        exchange.setProperty(MailpipeHeaders.RAW_DOWNLOAD, download);
        exchange.setProperty(MailpipeHeaders.DOWNLOADED_BYTES, download.size());
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                download.close();
            }
        });
    }
}
