package dev.mailpipe.files;

import dev.mailpipe.common.MailpipeHeaders;
import dev.mailpipe.config.FileModes;
import dev.mailpipe.mailbox.MailboxStatus;
import dev.mailpipe.mailbox.RawMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.camel.Exchange;

/**
 * Dead-letter sink: stores a message that failed {@code mailbox.maxAttempts} times as its raw bytes
 * in {@code <sink.files.dir>/dead-letter/<mailbox>/<key>.eml}, with the reason in {@code <key>.reason.txt}.
 */
public final class StoreDeadLetter implements org.apache.camel.Processor {

    private final Path defaultRoot;
    private final FileModes defaultModes;

    /**
     * @param defaultRoot the files sink's folder for a message that failed before its download step ran
     * @param defaultModes the files sink's modes for such a message
     */
    public StoreDeadLetter(Path defaultRoot, FileModes defaultModes) {
        this.defaultRoot = defaultRoot;
        this.defaultModes = defaultModes;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        FilesLayout layout = exchange.getProperty(MailpipeHeaders.FILES_LAYOUT, FilesLayout.class);
        if (layout == null) {
            layout = new FilesLayout(defaultRoot, MailboxStatus.of(exchange).mailbox(), defaultModes);
        }
        FileModes modes = layout.modes();
        org.apache.camel.Message in = exchange.getMessage();
        String key = in.getHeader(MailpipeHeaders.KEY, String.class);
        Path downloaded = downloaded(exchange);
        if (downloaded != null) {
            // Already downloaded: copy those bytes rather than RETR the message again.
            AtomicFiles.write(layout.deadLetterEml(key), modes, out -> Files.copy(downloaded, out));
        } else {
            AtomicFiles.write(layout.deadLetterEml(key), modes, out -> RawMessage.writeTo(exchange, out));
        }
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = "mailbox: " + in.getHeader(MailpipeHeaders.MAILBOX) + "\n"
                + "uidl: " + in.getHeader(MailpipeHeaders.UIDL) + "\n"
                + "dead-lettered: " + Instant.now() + "\n"
                + "last error: " + failure + "\n";
        AtomicFiles.write(
                layout.deadLetterReason(key), modes, out -> out.write(reason.getBytes(StandardCharsets.UTF_8)));
    }

    /** The message's bytes on disk, stored or still pending, if the download got that far. */
    private static Path downloaded(Exchange exchange) {
        String stored = exchange.getMessage().getHeader(MailpipeHeaders.EML_FILE, String.class);
        if (stored != null) {
            return Path.of(stored);
        }
        AtomicFiles.Pending download = exchange.getProperty(MailpipeHeaders.RAW_DOWNLOAD, AtomicFiles.Pending.class);
        return download != null && Files.isRegularFile(download.part()) ? download.part() : null;
    }
}
