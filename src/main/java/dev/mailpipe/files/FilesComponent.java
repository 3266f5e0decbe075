package dev.mailpipe.files;

import dev.mailpipe.config.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The files sink as a Camel component, {@code mailpipe-files:<folder>}: each message's raw bytes,
 * event and attachments under {@code <folder>/<mailbox>/}, with fsync and atomic rename (camel-file
 * deletes before it renames and never syncs the folder). Option {@code operation=download} is the
 * step that streams the message from the server into a temporary file there, on the thread that
 * owns the POP3 session; the default operation makes it durable and writes the event.
 */
public final class FilesComponent extends DefaultComponent {

    /** The scheme mailpipe binds this component under. */
    public static final String SCHEME = "mailpipe-files";

    private final Clock clock;

    public FilesComponent(Clock clock) {
        this.clock = clock;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String operation = getAndRemoveParameter(parameters, "operation", String.class, "store");
        if (!operation.equals("store") && !operation.equals("download")) {
            throw new IllegalArgumentException(
                    "operation of " + SCHEME + " must be store or download, got '" + operation + "'");
        }
        return new FilesEndpoint(uri, this, writableFolder(remaining), operation.equals("download"), clock);
    }

    /** The sink's folder, created if missing; an unusable folder stops the start naming it. */
    public static Path writableFolder(String folder) {
        if (folder == null || folder.isBlank()) {
            throw new ConfigurationException(
                    "The files sink has no folder: set " + FilesLayout.DIR + " or the route's filesDir parameter");
        }
        Path root = Path.of(folder);
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new ConfigurationException(
                    "The files sink's folder cannot be created: " + root + " (" + e + "); check " + FilesLayout.DIR
                            + " or the route's filesDir parameter",
                    e);
        }
        if (!Files.isWritable(root)) {
            throw new ConfigurationException("The files sink's folder is not writable: " + root + "; check "
                    + FilesLayout.DIR + " or the route's filesDir parameter");
        }
        return root;
    }
}
