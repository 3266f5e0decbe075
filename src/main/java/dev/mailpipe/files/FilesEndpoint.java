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
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/**
 * The files sink: each message's raw bytes, event and attachments under {@code <folder>/<mailbox>/},
 * with fsync and atomic rename (camel-file deletes before it renames and never syncs the folder).
 * Serves every mailbox, each in its own sub-folder (see {@link FilesLayout}).
 */
@UriEndpoint(
        firstVersion = "0.1.0",
        scheme = FilesComponent.SCHEME,
        title = "mailpipe Files Sink",
        syntax = "mailpipe-files:folder",
        producerOnly = true,
        category = {Category.FILE, Category.MAIL})
public final class FilesEndpoint extends DefaultEndpoint {

    @UriPath(description = "The sink's folder; each mailbox's files go to <folder>/<mailbox>/.")
    @Metadata(required = true)
    private String folder;

    @UriParam(
            description = "store: make the downloaded message durable and write its event and attachments;"
                    + " download: stream the message from the server into a temporary file in the folder, on"
                    + " the thread that owns the POP3 session.",
            defaultValue = "store",
            enums = "store,download")
    private String operation = "store";

    @UriParam(
            label = "security",
            description = "Mode of every file the sink makes, octal, whatever the umask; it must keep the"
                    + " owner's read and write bits. Not given: the setting sink.files.chmod.")
    private String chmod;

    @UriParam(
            label = "security",
            description = "Mode of every folder the sink makes, octal; it must keep the owner's read, write"
                    + " and search bits. Not given: the setting sink.files.chmodDirectory.")
    private String chmodDirectory;

    private final Clock clock;
    private final Map<MailboxId, FilesLayout> layouts = new ConcurrentHashMap<>();
    private Path root;
    private FileModes modes;
    private boolean download;

    FilesEndpoint(String uri, FilesComponent component, Clock clock) {
        super(uri, component);
        this.clock = clock;
    }

    /**
     * Checks the options once they are bound and settles the folder and modes: the component's modes
     * where the endpoint names none; the folder made (and checked writable) when {@code makeFolders}.
     */
    void settle(FileModes defaults, boolean makeFolders) {
        if (!operation.equals("store") && !operation.equals("download")) {
            throw new IllegalArgumentException(
                    "operation of " + FilesComponent.SCHEME + " must be store or download, got '" + operation + "'");
        }
        String where = FilesComponent.SCHEME + ":" + folder;
        // An option given blank is refused by FileModes.parse, naming it; one not given takes the default.
        modes = chmod == null && chmodDirectory == null
                ? defaults
                : FileModes.parse(
                        "chmod of " + where,
                        chmod == null ? FileModes.octal(defaults.file()) : chmod,
                        "chmodDirectory of " + where,
                        chmodDirectory == null ? FileModes.octal(defaults.folder()) : chmodDirectory);
        root = makeFolders ? FilesComponent.writableFolder(folder, modes) : Path.of(folder == null ? "" : folder);
        download = operation.equals("download");
    }

    public String getFolder() {
        return folder;
    }

    public void setFolder(String folder) {
        this.folder = folder;
    }

    public String getOperation() {
        return operation;
    }

    public void setOperation(String operation) {
        this.operation = operation;
    }

    public String getChmod() {
        return chmod;
    }

    public void setChmod(String chmod) {
        this.chmod = chmod;
    }

    public String getChmodDirectory() {
        return chmodDirectory;
    }

    public void setChmodDirectory(String chmodDirectory) {
        this.chmodDirectory = chmodDirectory;
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
