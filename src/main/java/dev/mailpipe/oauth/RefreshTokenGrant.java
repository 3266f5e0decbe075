package dev.mailpipe.oauth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The refresh token grant (RFC 6749 section 6) with the refresh token kept in a file: read before each
 * request (so a new sign-in written there is picked up), and replaced atomically, readable by the owner
 * only, when the token endpoint rotates it.
 */
final class RefreshTokenGrant implements CachedTokens.Grant {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshTokenGrant.class);

    private final TokenEndpoint endpoint;
    private final Path file;

    RefreshTokenGrant(TokenEndpoint endpoint, Path file) {
        this.endpoint = endpoint;
        this.file = file;
    }

    @Override
    public AccessToken obtain() throws TokenException {
        String refreshToken = read();
        AccessToken token = endpoint.request(
                Map.of("grant_type", "refresh_token", "refresh_token", refreshToken),
                "the refresh token in " + file + " (" + OAuthSettings.REFRESH_TOKEN_FILE
                        + ") is expired or revoked: sign in again and write the new refresh token there");
        if (token.refreshToken().isPresent() && !token.refreshToken().get().equals(refreshToken)) {
            write(token.refreshToken().get());
        }
        return token;
    }

    private String read() throws TokenException {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw TokenException.rejected(OAuthSettings.REFRESH_TOKEN_FILE + " names an empty file: " + file);
            }
            return token;
        } catch (IOException e) {
            throw TokenException.unavailable(
                    "cannot read the refresh token file " + file + " (" + OAuthSettings.REFRESH_TOKEN_FILE + "): " + e,
                    e);
        }
    }

    /** Replaces the file in one rename, so a crash leaves the old token or the new one, never half of one. */
    private void write(String rotated) throws TokenException {
        Path directory = file.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            temporary = Files.createTempFile(directory, "." + file.getFileName(), ".part");
            setOwnerOnly(temporary);
            Files.writeString(temporary, rotated + "\n", StandardCharsets.UTF_8);
            try (var channel = java.nio.channels.FileChannel.open(temporary, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.info("Stored the rotated refresh token in {}", file);
        } catch (AtomicMoveNotSupportedException e) {
            deleteQuietly(temporary);
            throw TokenException.unavailable(
                    "cannot replace the refresh token file " + file + " atomically: " + e.getMessage(), e);
        } catch (IOException e) {
            deleteQuietly(temporary);
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
            LOG.debug("{} has no POSIX permissions; the rotated refresh token keeps the folder's defaults", path);
        }
    }

    private static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debug("Cannot remove the temporary file {}: {}", path, e.toString());
        }
    }
}
