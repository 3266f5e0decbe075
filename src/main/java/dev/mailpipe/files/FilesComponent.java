package dev.mailpipe.files;

import dev.mailpipe.config.ConfigurationException;
import dev.mailpipe.config.FileModes;
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
    private final FileModes modes;
    /** False for {@code mailpipe check}: endpoints name their folders without making them. */
    private final boolean makeFolders;

    /** @param modes the modes of files and folders for endpoints that name none ({@code sink.files.chmod*}) */
    public FilesComponent(Clock clock, FileModes modes) {
        this(clock, modes, true);
    }

    /** @param makeFolders whether an endpoint makes its folder (and checks it is writable) when it is made */
    public FilesComponent(Clock clock, FileModes modes, boolean makeFolders) {
        this.clock = clock;
        this.modes = modes;
        this.makeFolders = makeFolders;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String operation = getAndRemoveParameter(parameters, "operation", String.class, "store");
        if (!operation.equals("store") && !operation.equals("download")) {
            throw new IllegalArgumentException(
                    "operation of " + SCHEME + " must be store or download, got '" + operation + "'");
        }
        String chmod = getAndRemoveParameter(parameters, "chmod", String.class);
        String chmodDirectory = getAndRemoveParameter(parameters, "chmodDirectory", String.class);
        FileModes endpointModes = chmod == null && chmodDirectory == null
                ? modes
                : FileModes.parse(
                        "chmod of " + SCHEME + ":" + remaining,
                        chmod == null ? FileModes.octal(modes.file()) : chmod,
                        "chmodDirectory of " + SCHEME + ":" + remaining,
                        chmodDirectory == null ? FileModes.octal(modes.folder()) : chmodDirectory);
        return new FilesEndpoint(
                uri,
                this,
                makeFolders ? writableFolder(remaining, endpointModes) : Path.of(remaining),
                endpointModes,
                operation.equals("download"),
                clock);
    }

    /** The sink's folder, created with the folder mode if missing; an unusable folder stops the start naming it. */
    public static Path writableFolder(String folder, FileModes modes) {
        if (folder == null || folder.isBlank()) {
            throw new ConfigurationException(
                    "The files sink has no folder: set " + FilesLayout.DIR + " or the route's filesDir parameter");
        }
        Path root = Path.of(folder);
        try {
            modes.createFolders(root);
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
