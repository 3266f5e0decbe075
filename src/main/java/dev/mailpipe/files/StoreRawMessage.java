package dev.mailpipe.files;

import dev.mailpipe.ledger.OutageException;
import dev.mailpipe.mailbox.MailpipeHeaders;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Second half of the files sink's raw copy: makes the message {@link DownloadRawMessage} fetched
 * durable and visible as {@code <sink.files.dir>/<mailbox>/<key>.eml} (fsync, atomic rename, fsync
 * of the folder). A redelivery of the same message replaces the same file with the same bytes, so
 * no second copy appears: the sink is idempotent on the key. Runs off the POP3 session's thread, so
 * the next download does not wait for the disk.
 */
public final class StoreRawMessage implements Processor {

    private final FilesLayout layout;

    public StoreRawMessage(FilesLayout layout) {
        this.layout = layout;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        AtomicFiles.Pending download = exchange.getProperty(MailpipeHeaders.RAW_DOWNLOAD, AtomicFiles.Pending.class);
        if (download == null) {
            throw new IllegalStateException("No downloaded message on the exchange; run downloadRawMessage first");
        }
        try {
            download.commit();
        } catch (FileSinkException e) {
            throw classified(e, layout);
        }
        exchange.getMessage()
                .setHeader(MailpipeHeaders.EML_FILE, download.target().toString());
        exchange.getMessage().setHeader(MailpipeHeaders.SIZE, download.size());
        StoredHeaders.messageId(download.target())
                .ifPresent(id -> exchange.getMessage().setHeader(MailpipeHeaders.MESSAGE_ID, id));
    }

    /** A full, read-only or vanished sink folder is an outage; any other file failure is the message's own. */
    static Exception classified(FileSinkException e, FilesLayout layout) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        boolean diskProblem =
                message.contains("no space left") || message.contains("quota") || message.contains("read-only");
        if (diskProblem || !layout.acceptsWrites()) {
            return new OutageException("files sink " + layout.mailboxFolder(), e);
        }
        return e;
    }
}
