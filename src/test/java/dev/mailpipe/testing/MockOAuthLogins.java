package dev.mailpipe.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * Obtains a refresh token from mock-oauth2-server the way a user's first sign-in does: the
 * authorization code flow (the mock signs in without asking), then the code exchanged at the token
 * endpoint. mock-oauth2-server redeems only refresh tokens it issued.
 */
public final class MockOAuthLogins {

    private static final String REDIRECT = "http://127.0.0.1:1/callback";

    private MockOAuthLogins() {}

    public static String refreshToken(MockOAuth2Server server, String issuer, String clientId, String scope)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        URI authorize = URI.create(server.authorizationEndpointUrl(issuer) + "?response_type=code&client_id="
                + encode(clientId) + "&redirect_uri=" + encode(REDIRECT) + "&scope="
                + encode("openid offline_access " + scope) + "&state=s&nonce=n");
        HttpResponse<String> redirect =
                http.send(HttpRequest.newBuilder(authorize).build(), HttpResponse.BodyHandlers.ofString());
        String location = redirect.headers()
                .firstValue("Location")
                .orElseThrow(() ->
                        new IllegalStateException("no redirect from " + authorize + ": HTTP " + redirect.statusCode()));
        String code = location.replaceAll(".*[?&]code=([^&]+).*", "$1");
        String form = "grant_type=authorization_code&code=" + code + "&redirect_uri=" + encode(REDIRECT) + "&client_id="
                + encode(clientId) + "&client_secret=unused";
        HttpResponse<String> token = http.send(
                HttpRequest.newBuilder(
                                URI.create(server.tokenEndpointUrl(issuer).toString()))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String refreshToken =
                new ObjectMapper().readTree(token.body()).path("refresh_token").asText("");
        if (refreshToken.isEmpty()) {
            throw new IllegalStateException("no refresh token in the answer: HTTP " + token.statusCode());
        }
        return refreshToken;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
