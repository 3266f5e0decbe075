package dev.mailpipe.oauth;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Where a mailbox's access tokens come from; one per mailbox, used by the thread that polls it. */
public interface TokenSource {

    /** A token that is valid for a while yet: the cached one, or a new one when it is about to expire. */
    AccessToken token() throws TokenException;

    /** Drops {@code rejected}, so that the next {@link #token()} obtains or reads another. */
    void forget(AccessToken rejected);

    /**
     * The mail server refused {@code rejected}: the token to sign in again with, if another is to be
     * had (a sign-in with the same token is not worth retrying).
     */
    default Optional<AccessToken> renew(AccessToken rejected) throws TokenException {
        forget(rejected);
        AccessToken next = token();
        return next.value().equals(rejected.value()) ? Optional.empty() : Optional.of(next);
    }

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
