package dev.mailpipe.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Properties files for tests that start mailpipe: the sinks and ledger in a temporary folder, plus the test's lines. */
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
}
