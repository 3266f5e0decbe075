package dev.mailpipe.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Files for tests that start mailpipe: a properties file with the sinks and ledger in a temporary folder, route fixtures. */
public final class SettingsFiles {

    private SettingsFiles() {}

    /**
     * Writes {@code dir/mailpipe.properties} with {@code sink.files.dir} and {@code ledger.dir} under
     * {@code dir}, followed by {@code lines} ({@code key=value}).
     */
    public static Path write(Path dir, String... lines) throws IOException {
        List<String> all =
                new ArrayList<>(List.of("sink.files.dir=" + dir.resolve("out"), "ledger.dir=" + dir.resolve("ledger")));
        all.addAll(List.of(lines));
        return Files.write(dir.resolve("mailpipe.properties"), all);
    }

    /** Copies a class path resource into {@code dir}, keeping its file name (route fixtures). */
    public static Path copyResource(String resource, Path dir) throws IOException {
        Path target = dir.resolve(Path.of(resource).getFileName().toString());
        try (InputStream in = SettingsFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            Files.copy(in, target);
        }
        return target;
    }
}
