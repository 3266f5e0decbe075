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
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An OAuth2 token endpoint (RFC 6749 section 3.2) spoken to with the JDK's HTTP client: a form POST
 * with the client's authentication ({@link ClientAuthentication}), a JSON answer. Errors become
 * {@link TokenException}s that name the setting to fix; a 429 or 503 keeps the time its
 * {@code Retry-After} names, which the caller honours.
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
    /** A Retry-After further out than this is taken as this: a mailbox is not given up for a day. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private final URI url;
    private final ClientAuthentication client;
    private final Optional<String> scope;
    private final Duration timeout;
    private final Clock clock;

    TokenEndpoint(URI url, ClientAuthentication client, Optional<String> scope, Duration timeout, Clock clock) {
        this.url = url;
        this.client = client;
        this.scope = scope;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** The token endpoint of these settings, its client authenticated as they say (a token file has none). */
    static TokenEndpoint of(OAuthSettings settings, Duration timeout, Clock clock) {
        return new TokenEndpoint(
                settings.tokenUrl().orElseThrow(),
                ClientAuthentication.of(settings.clientId().orElseThrow(), settings.credential(), clock),
                settings.scope(),
                timeout,
                clock);
    }

    URI url() {
        return url;
    }

    ClientAuthentication client() {
        return client;
    }

    Optional<String> scope() {
        return scope;
    }

    /** Requests a token with the given grant parameters ({@code grant_type} and its own). */
    AccessToken request(Map<String, String> grant, String whatToFix) throws TokenException {
        Map<String, String> form = new LinkedHashMap<>(grant);
        scope.ifPresent(s -> form.put("scope", s));
        Instant sent = clock.instant();
        JsonNode body = call(url, form, whatToFix);
        if (!body.path("access_token").isTextual()) {
            throw TokenException.unavailable("the token endpoint " + url + " answered without an access token", null);
        }
        return token(body, sent);
    }

    /**
     * POSTs {@code form} and the client's authentication to {@code to} (the token endpoint, or another
     * endpoint of the same server); returns the JSON of a 200 answer.
     */
    JsonNode call(URI to, Map<String, String> form, String whatToFix) throws TokenException {
        Map<String, String> full = new LinkedHashMap<>(form);
        client.addTo(full, to);
        HttpRequest request = HttpRequest.newBuilder(to)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(full)))
                .build();
        HttpResponse<String> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw TokenException.unavailable("cannot reach " + name(to) + " (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TokenException.unavailable("interrupted while asking " + name(to), e);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() == 200) {
            return body;
        }
        String error = body.path("error").asText("");
        String description = body.path("error_description").asText("");
        String said = error.isEmpty()
                ? "HTTP " + response.statusCode()
                : error + (description.isEmpty() ? "" : ": " + shorten(description));
        if (response.statusCode() == 429 || response.statusCode() == 503) {
            Optional<Instant> retryAt = retryAt(response);
            throw TokenException.unavailable(
                    name(to) + " asked to wait (" + said + ")"
                            + retryAt.map(at -> ", until " + at).orElse(""),
                    error,
                    retryAt);
        }
        if (error.equals("invalid_client") || error.equals("unauthorized_client")) {
            throw TokenException.rejected(
                    name(to) + " rejected client " + client.clientId().orElse("") + " (" + said + "): check "
                            + client.settingsToCheck(),
                    error);
        }
        if (error.equals("invalid_grant") || error.equals("invalid_scope")) {
            throw TokenException.rejected(name(to) + " refused the grant (" + said + "): " + whatToFix, error);
        }
        throw TokenException.unavailable(name(to) + " gave no access token (" + said + ")", error, Optional.empty());
    }

    private String name(URI to) {
        return (to.equals(url) ? "the token endpoint " : "the authorization server's ") + to;
    }

    /** Retry-After in seconds or as an HTTP date (RFC 9110 section 10.2.3), at most an hour away. */
    private Optional<Instant> retryAt(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Retry-After").map(String::strip);
        if (header.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant at;
        try {
            at = now.plusSeconds(Math.max(0, Long.parseLong(header.get())));
        } catch (NumberFormatException notSeconds) {
            try {
                at = ZonedDateTime.parse(header.get(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
        Instant latest = now.plus(MAX_RETRY_AFTER);
        return Optional.of(at.isAfter(latest) ? latest : at);
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

    static String formBody(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
