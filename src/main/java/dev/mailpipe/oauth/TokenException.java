package dev.mailpipe.oauth;

import java.time.Instant;
import java.util.Optional;

/**
 * An access token could not be obtained: the message is one sentence a user can act on (what was
 * refused and which setting to fix) and never contains a secret.
 */
public final class TokenException extends Exception {

    private final boolean rejected;
    /** The server's OAuth2 error code ({@code invalid_grant}, {@code authorization_pending}...), or "". */
    private final String error;
    /** When the server asked not to be asked again before (429 or 503 with Retry-After). */
    private final Optional<Instant> retryAt;

    private TokenException(String message, boolean rejected, String error, Optional<Instant> retryAt, Throwable cause) {
        super(message, cause);
        this.rejected = rejected;
        this.error = error;
        this.retryAt = retryAt;
    }

    /** The token endpoint refused the client, its secret or the refresh token: retrying will not help. */
    public static TokenException rejected(String message) {
        return new TokenException(message, true, "", Optional.empty(), null);
    }

    static TokenException rejected(String message, String error) {
        return new TokenException(message, true, error, Optional.empty(), null);
    }

    /** The token endpoint could not be reached or answered nonsense: the next poll tries again. */
    public static TokenException unavailable(String message, Throwable cause) {
        return new TokenException(message, false, "", Optional.empty(), cause);
    }

    static TokenException unavailable(String message, String error, Optional<Instant> retryAt) {
        return new TokenException(message, false, error, retryAt, null);
    }

    /** Whether the credentials themselves were refused (as opposed to an endpoint that is down). */
    public boolean isRejected() {
        return rejected;
    }

    /** The OAuth2 error code the server answered with, or "" when it gave none. */
    public String error() {
        return error;
    }

    /** When the server asked to be asked again, if it said. */
    public Optional<Instant> retryAt() {
        return retryAt;
    }
}
