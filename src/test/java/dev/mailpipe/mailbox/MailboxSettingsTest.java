package dev.mailpipe.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailpipe.config.ConfigurationException;
import dev.mailpipe.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mailbox settings are checked up front, and every error names the property and its environment variable. */
class MailboxSettingsTest {

    @TempDir
    Path dir;

    private final Map<String, String> values = new HashMap<>(Map.of(
            "mailbox.host", "pop.example.org",
            "mailbox.username", "alice",
            "mailbox.password", "secret"));

    private MailboxSettings read() {
        return MailboxSettings.from(new Settings(key -> Optional.ofNullable(values.get(key))));
    }

    @Test
    void defaultsToVerifiedPop3sOnPort995DeletingAfterDownload() {
        MailboxSettings mailbox = read();
        assertThat(mailbox.protocol()).isEqualTo("pop3s");
        assertThat(mailbox.port()).isEqualTo(995);
        assertThat(mailbox.delete()).isTrue();
        assertThat(mailbox.batchSize()).isEqualTo(500);
        assertThat(mailbox.caFile()).isEmpty();
        assertThat(mailbox.id()).hasToString("pop3s://alice@pop.example.org:995");
    }

    @Test
    void plainPop3DefaultsToPort110() {
        values.put("mailbox.protocol", "pop3");
        assertThat(read().port()).isEqualTo(110);
    }

    @Test
    void missingHostNamesThePropertyAndItsEnvironmentVariable() {
        values.remove("mailbox.host");
        assertThatThrownBy(this::read)
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("mailbox.host is not set")
                .hasMessageContaining("MAILBOX_HOST");
    }

    @Test
    void unknownProtocolIsRejected() {
        values.put("mailbox.protocol", "imap");
        assertThatThrownBy(this::read).hasMessageContaining("mailbox.protocol must be pop3 or pop3s, got 'imap'");
    }

    @Test
    void badPortIsRejected() {
        values.put("mailbox.port", "99999");
        assertThatThrownBy(this::read).hasMessageContaining("mailbox.port must be between 1 and 65535");
        values.put("mailbox.port", "pop");
        assertThatThrownBy(this::read).hasMessageContaining("mailbox.port must be a whole number, got 'pop'");
    }

    @Test
    void booleansMustBeTrueOrFalse() {
        values.put("mailbox.delete", "yes");
        assertThatThrownBy(this::read).hasMessageContaining("mailbox.delete must be true or false, got 'yes'");
    }

    @Test
    void starttlsAppliesToPlainPop3Only() {
        values.put("mailbox.starttls", "true");
        assertThatThrownBy(this::read).hasMessageContaining("mailbox.starttls applies to pop3 only");
        values.put("mailbox.protocol", "pop3");
        assertThat(read().starttls()).isTrue();
    }

    @Test
    void passwordComesFromAFileWithoutItsTrailingNewline() throws Exception {
        Path secret = Files.writeString(dir.resolve("password"), "from-file\n");
        values.remove("mailbox.password");
        values.put("mailbox.passwordFile", secret.toString());
        assertThat(read().password()).isEqualTo("from-file");
    }

    @Test
    void passwordAndPasswordFileTogetherAreRejected() throws Exception {
        values.put(
                "mailbox.passwordFile", Files.writeString(dir.resolve("p"), "x").toString());
        assertThatThrownBy(this::read)
                .hasMessageContaining("mailbox.passwordFile is set together with mailbox.password");
    }

    @Test
    void missingPasswordSaysHowToSetIt() {
        values.remove("mailbox.password");
        assertThatThrownBy(this::read).hasMessageContaining("mailbox.password is not set (or set mailbox.passwordFile");
    }

    @Test
    void unreadableCaFileIsRejected() {
        values.put("mailbox.caFile", dir.resolve("missing.pem").toString());
        assertThatThrownBy(this::read).hasMessageContaining("mailbox.caFile names a file that cannot be read");
    }

    @Test
    void toStringNeverShowsThePassword() {
        assertThat(read().toString()).doesNotContain("secret").contains("alice@pop.example.org");
    }
}
