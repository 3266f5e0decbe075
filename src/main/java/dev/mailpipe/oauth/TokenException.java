package dev.mailpipe.oauth;

/**
 * An access token could not be obtained: the message is one sentence a user can act on (what was
 * refused and which setting to fix) and never contains a secret.
 */
public final class TokenException extends Exception {

    private final boolean rejected;

    private TokenException(String message, boolean rejected, Throwable cause) {
        super(message, cause);
        this.rejected = rejected;
    }

    /** The token endpoint refused the client, its secret or the refresh token: retrying will not help. */
    public static TokenException rejected(String message) {
        return new TokenException(message, true, null);
    }

    /** The token endpoint could not be reached or answered nonsense: the next poll tries again. */
    public static TokenException unavailable(String message, Throwable cause) {
        return new TokenException(message, false, cause);
    }

    /** Whether the credentials themselves were refused (as opposed to an endpoint that is down). */
    public boolean isRejected() {
        return rejected;
    }
}
