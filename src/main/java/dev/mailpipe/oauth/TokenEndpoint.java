package dev.mailpipe.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An OAuth2 token endpoint (RFC 6749 section 3.2) spoken to with the JDK's HTTP client: a form POST,
 * client authentication in the body ({@code client_secret_post}, which Microsoft and Google accept),
 * a JSON answer. Errors become {@link TokenException}s that name the setting to fix.
 */
final class TokenEndpoint {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * One client for every mailbox's token endpoint: each JDK HTTP client keeps a selector thread,
     * which a fleet of a thousand mailboxes would multiply. Each request has its own timeout.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    /** Longest piece of the server's error description quoted back to the user. */
    private static final int MAX_DESCRIPTION = 200;

    private final URI url;
    private final String clientId;
    private final Optional<String> clientSecret;
    private final Optional<String> scope;
    private final Duration timeout;
    private final Clock clock;

    private TokenEndpoint(
            URI url,
            String clientId,
            Optional<String> clientSecret,
            Optional<String> scope,
            Duration timeout,
            Clock clock) {
        this.url = url;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.scope = scope;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** The token endpoint of these settings (a token file has none). */
    static TokenEndpoint of(OAuthSettings settings, Duration timeout, Clock clock) {
        return new TokenEndpoint(
                settings.tokenUrl().orElseThrow(),
                settings.clientId().orElseThrow(),
                settings.clientSecret(),
                settings.scope(),
                timeout,
                clock);
    }

    /** Requests a token with the given grant parameters ({@code grant_type} and its own). */
    public AccessToken request(Map<String, String> grant, String whatToFix) throws TokenException {
        Map<String, String> form = new LinkedHashMap<>(grant);
        form.put("client_id", clientId);
        clientSecret.ifPresent(secret -> form.put("client_secret", secret));
        scope.ifPresent(s -> form.put("scope", s));
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(form)))
                .build();
        Instant sent = clock.instant();
        HttpResponse<String> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw TokenException.unavailable("cannot reach the token endpoint " + url + " (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TokenException.unavailable("interrupted while asking the token endpoint " + url, e);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() == 200 && body.path("access_token").isTextual()) {
            return token(body, sent);
        }
        String error = body.path("error").asText("");
        String description = body.path("error_description").asText("");
        String said = error.isEmpty()
                ? "HTTP " + response.statusCode()
                : error + (description.isEmpty() ? "" : ": " + shorten(description));
        if (error.equals("invalid_client") || error.equals("unauthorized_client")) {
            throw TokenException.rejected("the token endpoint " + url + " rejected client " + clientId + " (" + said
                    + "): check " + OAuthSettings.CLIENT_ID + " and " + OAuthSettings.CLIENT_SECRET + " / "
                    + OAuthSettings.CLIENT_SECRET_FILE + " (an expired or revoked secret needs a new one)");
        }
        if (error.equals("invalid_grant") || error.equals("invalid_scope")) {
            throw TokenException.rejected(
                    "the token endpoint " + url + " refused the grant (" + said + "): " + whatToFix);
        }
        throw TokenException.unavailable("the token endpoint " + url + " gave no access token (" + said + ")", null);
    }

    private static AccessToken token(JsonNode body, Instant sent) {
        // Without expires_in, the token lasts until a server rejects it (then it is renewed once).
        // A number, or a string holding one (some servers send "3600").
        long expiresIn = body.path("expires_in").asLong(-1);
        Instant expiresAt = expiresIn >= 0 ? sent.plusSeconds(expiresIn) : Instant.MAX;
        Optional<String> refresh = Optional.ofNullable(body.get("refresh_token"))
                .filter(JsonNode::isTextual)
                .map(JsonNode::asText)
                .filter(t -> !t.isBlank());
        return new AccessToken(body.get("access_token").asText(), expiresAt, refresh);
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? JSON.missingNode() : node;
        } catch (JsonProcessingException e) {
            // Not JSON (a proxy's HTML page, say): the status code is all that is reported.
            return JSON.missingNode();
        }
    }

    private static String shorten(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_DESCRIPTION ? oneLine : oneLine.substring(0, MAX_DESCRIPTION) + "...";
    }

    private static String formBody(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
