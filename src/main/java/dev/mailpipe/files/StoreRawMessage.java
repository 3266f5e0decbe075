package dev.mailpipe.files;

import dev.mailpipe.common.MailpipeHeaders;
import dev.mailpipe.common.OutageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * Second half of the files sink's raw copy: makes the message {@link DownloadRawMessage} fetched
 * durable and visible as {@code <sink.files.dir>/<mailbox>/<key>.eml} (fsync, atomic rename, fsync
 * of the folder). A redelivery of the same message replaces the same file with the same bytes, so
 * no second copy appears: the sink is idempotent on the key. Runs off the POP3 session's thread, so
 * the next download does not wait for the disk.
 */
public final class StoreRawMessage {

    private StoreRawMessage() {}

    /** The ledger's mark of a finished files sink: the {@code .eml}, its attachments and its event are stored. */
    public static final String SINK = "files";

    static void process(Exchange exchange, FilesLayout layout) throws Exception {
        AtomicFiles.Pending download = exchange.getProperty(MailpipeHeaders.RAW_DOWNLOAD, AtomicFiles.Pending.class);
        Path stored;
        long size;
        if (download != null) {
            try {
                download.commit();
            } catch (FileSinkException e) {
                throw classified(e, layout);
            }
            stored = download.target();
            size = download.size();
        } else if (storedBefore(exchange, layout)) {
            stored = layout.emlFile(exchange.getMessage().getHeader(MailpipeHeaders.KEY, String.class));
            size = Files.size(stored);
        } else {
            throw new IllegalStateException("No downloaded message on the exchange; the files sink downloads it first");
        }
        exchange.getMessage().setHeader(MailpipeHeaders.EML_FILE, stored.toString());
        exchange.getMessage().setHeader(MailpipeHeaders.SIZE, size);
        StoredHeaders.messageId(stored)
                .ifPresent(id -> exchange.getMessage().setHeader(MailpipeHeaders.MESSAGE_ID, id));
    }

    /**
     * Whether an earlier attempt stored this message (the ledger's mark, and its {@code .eml} is
     * still there), so a retry after a later sink failed reads the stored copy instead of the server.
     */
    static boolean storedBefore(Exchange exchange, FilesLayout layout) {
        Set<?> done = exchange.getProperty(MailpipeHeaders.SINKS_DONE, Set.class);
        String key = exchange.getMessage().getHeader(MailpipeHeaders.KEY, String.class);
        return done != null && done.contains(SINK) && key != null && Files.isRegularFile(layout.emlFile(key));
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
