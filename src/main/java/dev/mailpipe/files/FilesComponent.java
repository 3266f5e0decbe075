package dev.mailpipe.files;

import dev.mailpipe.config.ConfigurationException;
import dev.mailpipe.config.FileModes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The files sink as a Camel component, {@code mailpipe-files:<folder>} (options: {@link FilesEndpoint}).
 * The component's defaults are the modes of the {@code sink.files.chmod*} settings.
 */
@Component(FilesComponent.SCHEME)
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
        FilesEndpoint endpoint = new FilesEndpoint(uri, this, clock);
        endpoint.setFolder(remaining);
        setProperties(endpoint, parameters);
        endpoint.settle(modes, makeFolders);
        return endpoint;
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
