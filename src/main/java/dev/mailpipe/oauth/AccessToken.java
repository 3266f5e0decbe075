package dev.mailpipe.oauth;

import java.time.Instant;
import java.util.Optional;

/**
 * An OAuth2 access token with the instant it expires ({@link Instant#MAX} when unknown) and, when the
 * token endpoint rotated it, the new refresh token. {@link #toString} hides both tokens.
 */
public record AccessToken(String value, Instant expiresAt, Optional<String> refreshToken) {

    public AccessToken {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("an access token cannot be blank");
        }
    }

    @Override
    public String toString() {
        return "access token (expires " + (expiresAt.equals(Instant.MAX) ? "unknown" : expiresAt) + ")";
    }
}
