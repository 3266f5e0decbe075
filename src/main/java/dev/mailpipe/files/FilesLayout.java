package dev.mailpipe.files;

import dev.mailpipe.mailbox.MailboxId;
import java.nio.file.Path;

/**
 * Where the files sink puts things: {@code <sink.files.dir>/<mailbox slug>/<key>.eml}. Keys are
 * SHA-256 hex, so no message content ever decides a path.
 */
public final class FilesLayout {

    public static final String DIR = "sink.files.dir";

    private final Path mailboxFolder;

    public FilesLayout(Path root, MailboxId mailbox) {
        this.mailboxFolder = root.resolve(mailbox.slug());
    }

    public Path mailboxFolder() {
        return mailboxFolder;
    }

    public Path emlFile(String key) {
        if (!key.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("Not a message key: " + key);
        }
        return mailboxFolder.resolve(key + ".eml");
    }
}
