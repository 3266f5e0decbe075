package dev.mailpipe.oauth;

import java.time.Clock;
import java.time.Duration;

/** Where a mailbox's access tokens come from; one per mailbox, used by the thread that polls it. */
public interface TokenSource {

    /** A token that is valid for a while yet: the cached one, or a new one when it is about to expire. */
    AccessToken token() throws TokenException;

    /**
     * The mail server refused {@code rejected}: forgets it and obtains another. Returns whether the
     * next {@link #token()} differs (a sign-in is worth retrying); never retries more than that.
     */
    boolean renew(AccessToken rejected) throws TokenException;

    /** The source the settings describe; {@code timeout} bounds each request to the token endpoint. */
    static TokenSource of(OAuthSettings settings, Duration timeout, Clock clock) {
        return switch (settings.grant()) {
            case TOKEN_FILE -> new TokenFile(settings.tokenFile().orElseThrow());
            case CLIENT_CREDENTIALS ->
                new CachedTokens(new ClientCredentialsGrant(TokenEndpoint.of(settings, timeout, clock)), clock);
            case REFRESH_TOKEN ->
                new CachedTokens(
                        new RefreshTokenGrant(
                                TokenEndpoint.of(settings, timeout, clock),
                                settings.refreshTokenFile().orElseThrow()),
                        clock);
        };
    }
}
