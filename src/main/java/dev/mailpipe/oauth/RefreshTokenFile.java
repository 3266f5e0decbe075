package dev.mailpipe.oauth;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file holding a mailbox's refresh token ({@code mailbox.oauth.refreshTokenFile}): read before each
 * request (so a new sign-in written there is picked up), and replaced in one rename, readable by its
 * owner only, so a crash leaves the old token or the new one, never half of one.
 */
public final class RefreshTokenFile {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshTokenFile.class);

    /** What a user does when there is no usable refresh token. */
    public static final String SIGN_IN_AGAIN = "run `mailpipe login` to sign in again";

    private final Path file;

    public RefreshTokenFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    String read() throws TokenException {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw TokenException.rejected(
                        OAuthSettings.REFRESH_TOKEN_FILE + " names an empty file: " + file + "; " + SIGN_IN_AGAIN);
            }
            return token;
        } catch (NoSuchFileException e) {
            throw TokenException.rejected(
                    "there is no refresh token yet: " + file + " (" + OAuthSettings.REFRESH_TOKEN_FILE
                            + ") does not exist; run `mailpipe login` to sign in and write it");
        } catch (IOException e) {
            throw TokenException.unavailable(
                    "cannot read the refresh token file " + file + " (" + OAuthSettings.REFRESH_TOKEN_FILE + "): " + e,
                    e);
        }
    }

    /** Replaces the file's token (creating the file), owner-only, in one rename after an fsync. */
    public void write(String token) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(directory, "." + file.getFileName(), ".part");
        try {
            setOwnerOnly(temporary);
            Files.writeString(temporary, token + "\n", StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temporary);
            throw e;
        }
    }

    /** Stores a token the endpoint rotated; failing that, the next sign-in will fail, so it is an outage. */
    void storeRotated(String rotated) throws TokenException {
        try {
            write(rotated);
            LOG.info("Stored the rotated refresh token in {}", file);
        } catch (AtomicMoveNotSupportedException e) {
            throw TokenException.unavailable(
                    "cannot replace the refresh token file " + file + " atomically: " + e.getMessage(), e);
        } catch (IOException e) {
            // The old token may already be invalid: without the new one, the next sign-in fails.
            throw TokenException.unavailable(
                    "cannot store the rotated refresh token in " + file + " (" + OAuthSettings.REFRESH_TOKEN_FILE
                            + "): " + e + "; make the file and its folder writable",
                    e);
        }
    }

    private static void setOwnerOnly(Path path) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            LOG.debug("{} has no POSIX permissions; the refresh token keeps the folder's defaults", path);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debug("Cannot remove the temporary file {}: {}", path, e.toString());
        }
    }
}
