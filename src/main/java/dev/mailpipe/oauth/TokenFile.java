package dev.mailpipe.oauth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;

/**
 * An access token in a file that another program keeps current ({@code mailbox.oauth.tokenFile}): read
 * again whenever the file's modification time or size changes. Its expiry is not known here.
 */
final class TokenFile implements TokenSource {

    private final Path file;
    private AccessToken current;
    private FileTime readModified;
    private long readSize = -1;

    TokenFile(Path file) {
        this.file = file;
    }

    @Override
    public synchronized AccessToken token() throws TokenException {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (current == null || !modified.equals(readModified) || size != readSize) {
                String value = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (value.isEmpty()) {
                    throw TokenException.rejected(OAuthSettings.TOKEN_FILE + " names an empty file: " + file);
                }
                current = new AccessToken(value, Instant.MAX, Optional.empty());
                readModified = modified;
                readSize = size;
            }
            return current;
        } catch (IOException e) {
            throw TokenException.unavailable(
                    "cannot read the token file " + file + " (" + OAuthSettings.TOKEN_FILE + "): " + e, e);
        }
    }

    /** The file may have been rewritten within the same modification time: read it again to be sure. */
    @Override
    public synchronized void forget(AccessToken rejected) {
        current = null;
    }
}
