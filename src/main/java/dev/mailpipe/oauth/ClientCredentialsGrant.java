package dev.mailpipe.oauth;

import java.util.Map;

/** The client credentials grant (RFC 6749 section 4.4): app-only access, as Microsoft 365 offers for POP3. */
final class ClientCredentialsGrant implements CachedTokens.Grant {

    private final TokenEndpoint endpoint;

    ClientCredentialsGrant(TokenEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public AccessToken obtain() throws TokenException {
        return endpoint.request(
                Map.of("grant_type", "client_credentials"),
                "check " + OAuthSettings.SCOPE + " and the permissions granted to the app registration");
    }
}
