package dev.mailpipe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secret file that cannot be read is named with its setting and the OS's reason, not its path twice. */
class SettingsSecretTest {

    @TempDir
    Path dir;

    private static Settings settings(Map<String, String> values) {
        return new Settings(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void aMissingFileSaysNoSuchFile() {
        Path missing = dir.resolve("password");

        assertThatThrownBy(() -> settings(Map.of("mailbox.passwordFile", missing.toString()))
                        .secret("mailbox.password", "mailbox.passwordFile"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("mailbox.passwordFile names a file that cannot be read: " + missing + " (no such file)");
    }

    @Test
    void aFileThatCannotBeOpenedGivesTheOperatingSystemsReason() throws Exception {
        // Under a regular file: the OS refuses with "Not a directory" (as root, a file's mode would not).
        Path notAFolder = Files.writeString(dir.resolve("plain"), "x");
        Path unreadable = notAFolder.resolve("password");

        assertThatThrownBy(() -> settings(Map.of("mailbox.passwordFile", unreadable.toString()))
                        .secret("mailbox.password", "mailbox.passwordFile"))
                .hasMessage(
                        "mailbox.passwordFile names a file that cannot be read: " + unreadable + " (Not a directory)");
    }

    @Test
    void theReasonsInWords() {
        assertThat(Settings.reason(new AccessDeniedException("/run/secrets/p"))).isEqualTo("permission denied");
        assertThat(Settings.reason(new NoSuchFileException("/run/secrets/p"))).isEqualTo("no such file");
    }
}
