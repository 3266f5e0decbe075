package dev.mailpipe.files;

import dev.mailpipe.common.MailpipeHeaders;
import dev.mailpipe.config.FileModes;
import dev.mailpipe.ledger.StepErrorBoundary;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.mailbox.MailboxStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/** One files-sink folder; serves every mailbox, each in its own sub-folder (see {@link FilesLayout}). */
public final class FilesEndpoint extends DefaultEndpoint {

    private final Path root;
    private final FileModes modes;
    private final boolean download;
    private final Clock clock;
    private final Map<MailboxId, FilesLayout> layouts = new ConcurrentHashMap<>();

    FilesEndpoint(String uri, FilesComponent component, Path root, FileModes modes, boolean download, Clock clock) {
        super(uri, component);
        this.root = root;
        this.modes = modes;
        this.download = download;
        this.clock = clock;
    }

    /** Where the message's mailbox keeps its files under this folder. */
    FilesLayout layoutOf(Exchange exchange) {
        return layouts.computeIfAbsent(
                MailboxStatus.of(exchange).mailbox(), mailbox -> new FilesLayout(root, mailbox, modes));
    }

    @Override
    public Producer createProducer() {
        // An Error while a hostile message is parsed fails that message, not the sink thread.
        Processor work = StepErrorBoundary.around(download ? "download-raw-message" : "files-sink", this::store);
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) throws Exception {
                work.process(exchange);
            }
        };
    }

    private void store(Exchange exchange) throws Exception {
        FilesLayout layout = layoutOf(exchange);
        if (download) {
            // Dead letters go beside the message's own folder, whichever sink folder that is.
            exchange.setProperty(MailpipeHeaders.FILES_LAYOUT, layout);
            DownloadRawMessage.process(exchange, layout);
        } else {
            StoreRawMessage.process(exchange, layout);
            StoreMailEvent.process(exchange, layout, clock);
        }
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(FilesComponent.SCHEME + " is a sink: use it in to: steps");
    }
}
