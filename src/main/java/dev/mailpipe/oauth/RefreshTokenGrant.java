package dev.mailpipe.oauth;

import java.util.Map;

/**
 * The refresh token grant (RFC 6749 section 6) with the refresh token kept in a {@link
 * RefreshTokenFile}, which gets the new one when the token endpoint rotates it.
 */
final class RefreshTokenGrant implements CachedTokens.Grant {

    private final TokenEndpoint endpoint;
    private final RefreshTokenFile file;

    RefreshTokenGrant(TokenEndpoint endpoint, RefreshTokenFile file) {
        this.endpoint = endpoint;
        this.file = file;
    }

    @Override
    public AccessToken obtain() throws TokenException {
        String refreshToken = file.read();
        AccessToken token = endpoint.request(
                Map.of("grant_type", "refresh_token", "refresh_token", refreshToken),
                "the refresh token in " + file.path() + " (" + OAuthSettings.REFRESH_TOKEN_FILE
                        + ") is expired or revoked: " + RefreshTokenFile.SIGN_IN_AGAIN);
        if (token.refreshToken().isPresent() && !token.refreshToken().get().equals(refreshToken)) {
            file.storeRotated(token.refreshToken().get());
        }
        return token;
    }
}
