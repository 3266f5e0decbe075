package dev.mailpipe.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The device authorization grant (RFC 8628) for machines without a browser: asks for a user code,
 * prints where to enter it, and polls the token endpoint at the interval the server gives until the
 * user has signed in, denied it, or the code has expired.
 */
final class DeviceSignIn {

    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
    /** RFC 8628 section 3.2: the interval when the server names none, and what slow_down adds. */
    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    /** How the wait between two polls is spent; tests record it instead of sleeping. */
    interface Pause {
        void sleep(Duration interval) throws InterruptedException;
    }

    private final TokenEndpoint endpoint;
    private final URI deviceAuthorizationUrl;
    private final PrintStream out;
    private final Clock clock;
    private final Pause pause;

    DeviceSignIn(TokenEndpoint endpoint, URI deviceAuthorizationUrl, PrintStream out, Clock clock, Pause pause) {
        this.endpoint = endpoint;
        this.deviceAuthorizationUrl = deviceAuthorizationUrl;
        this.out = out;
        this.clock = clock;
        this.pause = pause;
    }

    AccessToken signIn() throws TokenException {
        Map<String, String> ask = new LinkedHashMap<>();
        endpoint.scope().ifPresent(scope -> ask.put("scope", scope));
        JsonNode grant = endpoint.call(
                deviceAuthorizationUrl, ask, "check " + OAuthSettings.CLIENT_ID + " and " + OAuthSettings.SCOPE);
        String deviceCode = field(grant, "device_code");
        String userCode = field(grant, "user_code");
        // Google calls it verification_url.
        String verification = grant.path("verification_uri")
                .asText(grant.path("verification_url").asText(""));
        long expiresIn = grant.path("expires_in").asLong(900);
        Duration interval =
                Duration.ofSeconds(Math.max(1, grant.path("interval").asLong(DEFAULT_INTERVAL.toSeconds())));
        Instant deadline = clock.instant().plusSeconds(expiresIn);
        out.println("To sign in, open " + verification + " on any device and enter the code " + userCode);
        String complete = grant.path("verification_uri_complete").asText("");
        if (!complete.isBlank()) {
            out.println("(or open " + complete + ", which carries the code)");
        }
        out.println("Waiting for the sign-in (the code is valid for "
                + Duration.ofSeconds(expiresIn).toMinutes() + " minutes)...");
        out.flush();
        while (true) {
            sleep(interval);
            if (!clock.instant().isBefore(deadline)) {
                throw expired();
            }
            try {
                return endpoint.request(
                        Map.of("grant_type", GRANT_TYPE, "device_code", deviceCode),
                        "the device code was refused; run mailpipe login again");
            } catch (TokenException e) {
                switch (e.error()) {
                    case "authorization_pending" -> {
                        // The user has not finished yet.
                    }
                    case "slow_down" -> interval = interval.plus(DEFAULT_INTERVAL);
                    case "expired_token" -> throw expired();
                    // Microsoft says authorization_declined.
                    case "access_denied", "authorization_declined" ->
                        throw TokenException.rejected(
                                "the sign-in was denied (the user or an administrator declined it): nothing written");
                    default -> {
                        if (!isTransient(e)) {
                            throw e;
                        }
                        // The server or the network failed this once; the code is still valid: ask again.
                    }
                }
            }
        }
    }

    /** An outage, not an answer: no error code (a network error, a 5xx), or a busy server. */
    private static boolean isTransient(TokenException e) {
        return !e.isRejected()
                && (e.error().isEmpty()
                        || e.error().equals("temporarily_unavailable")
                        || e.retryAt().isPresent());
    }

    private static TokenException expired() {
        return TokenException.rejected("the code expired before the sign-in was completed: nothing written;"
                + " run mailpipe login again and enter the new code sooner");
    }

    private String field(JsonNode json, String name) throws TokenException {
        String value = json.path(name).asText("");
        if (value.isBlank()) {
            throw TokenException.unavailable(
                    "the authorization server's " + deviceAuthorizationUrl + " answered without " + name, null);
        }
        return value;
    }

    private void sleep(Duration interval) throws TokenException {
        try {
            pause.sleep(interval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TokenException.unavailable("interrupted while waiting for the sign-in", e);
        }
    }
}
