package dev.mailpipe.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailpipe.config.FileModes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes leave either the old file or the complete new one, and never a temporary file behind. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesContentAndReturnsItsSize() throws Exception {
        Path target = dir.resolve("a/b/m.eml");
        long size = AtomicFiles.write(
                target, FileModes.PRIVATE, out -> out.write("hello\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(size).isEqualTo(7);
        assertThat(Files.readString(target)).isEqualTo("hello\r\n");
        assertThat(listing()).containsExactly(dir.resolve("a"));
    }

    @Test
    void replacesAnExistingFileWhole() throws Exception {
        Path target = dir.resolve("m.eml");
        Files.writeString(target, "old content that is longer");
        AtomicFiles.write(target, FileModes.PRIVATE, out -> out.write('n'));
        assertThat(Files.readString(target)).isEqualTo("n");
    }

    @Test
    void failedWriteKeepsTheOldFileAndLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("m.eml");
        Files.writeString(target, "old");
        assertThatThrownBy(() -> AtomicFiles.write(target, FileModes.PRIVATE, out -> {
                    out.write("partial".getBytes(StandardCharsets.US_ASCII));
                    throw new IOException("connection dropped mid-RETR");
                }))
                .hasMessageContaining("connection dropped");
        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(listing()).containsExactly(target);
    }

    private java.util.List<Path> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
