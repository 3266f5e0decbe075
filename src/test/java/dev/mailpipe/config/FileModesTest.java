package dev.mailpipe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Octal modes as settings, and files and folders created with them from the first moment. */
class FileModesTest {

    @TempDir
    Path dir;

    @Test
    void parsesOctalModesBothWays() {
        FileModes modes = FileModes.parse("f", "640", "d", "0750");
        assertThat(PosixFilePermissions.toString(modes.file())).isEqualTo("rw-r-----");
        assertThat(PosixFilePermissions.toString(modes.folder())).isEqualTo("rwxr-x---");
        assertThat(FileModes.octal(modes.file())).isEqualTo("640");
        assertThat(FileModes.octal(FileModes.PRIVATE.folder())).isEqualTo("700");
    }

    @Test
    void refusesWhatIsNotAModeOrLocksTheOwnerOut() {
        assertThatThrownBy(() -> FileModes.parse("sink.files.chmod", "999", "d", "700"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("sink.files.chmod")
                .hasMessageContaining("999");
        assertThatThrownBy(() -> FileModes.parse("sink.files.chmod", "rw-------", "d", "700"))
                .hasMessageContaining("sink.files.chmod");
        assertThatThrownBy(() -> FileModes.parse("sink.files.chmod", "1777", "d", "700"))
                .hasMessageContaining("sink.files.chmod");
        assertThatThrownBy(() -> FileModes.parse("sink.files.chmod", "400", "d", "700"))
                .hasMessageContaining("owner's read and write");
        assertThatThrownBy(() -> FileModes.parse("f", "600", "sink.files.chmodDirectory", "600"))
                .hasMessageContaining("sink.files.chmodDirectory")
                .hasMessageContaining("search");
    }

    /**
     * The creation mode is the final mode itself (the umask can only take bits away), then set
     * exactly: a file or folder is never more open than its final mode, and a wider configured mode
     * than the umask allows is still reached.
     */
    @Test
    void createsFilesAndEveryMissingFolderWithTheirModes() throws Exception {
        FileModes group = FileModes.parse("f", "640", "d", "750");
        Path nested = dir.resolve("a/b/c");
        group.createFolders(nested);
        group.createFolders(nested);
        for (Path folder : new Path[] {dir.resolve("a"), dir.resolve("a/b"), nested}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
                    .isEqualTo("rwxr-x---");
        }
        Path file = nested.resolve("x.eml");
        try (FileChannel channel = group.createFile(file)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .as("already while it is being written")
                    .isEqualTo("rw-r-----");
        }
        assertThatThrownBy(() -> group.createFile(file)).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    }

    @Test
    void namesFoldersMoreOpenThanAllowed() throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(FileModes.moreOpenThan(open, FileModes.PRIVATE.folder())).contains("755");
        assertThat(FileModes.moreOpenThan(open, FileModes.mode("755"))).isEmpty();
        assertThat(FileModes.moreOpenThan(dir.resolve("missing"), FileModes.PRIVATE.folder()))
                .isEmpty();
    }
}
