package dev.mailpipe.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailpipe.config.Settings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A Google service account with domain-wide delegation signing in as one of the domain's users: the
 * JWT bearer grant (RFC 7523 section 2.1) with an assertion the account's key signs, {@code sub} the
 * mailbox's user. One key serves a fleet; each user gets a token of their own.
 */
final class ServiceAccountGrant implements CachedTokens.Grant {

    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** Google's longest: an assertion may ask for an hour. */
    private static final Duration ASSERTION_LIFETIME = Duration.ofHours(1);

    /** Google's JSON key of a service account: what signing needs from it. */
    record Key(String clientEmail, Optional<String> keyId, PrivateKey privateKey, URI tokenUri) {

        /** Reads the key file; a file that is not such a key is a configuration error naming the setting. */
        static Key read(Path file) {
            String setting = OAuthSettings.SERVICE_ACCOUNT_KEY_FILE;
            JsonNode json;
            try {
                json = new ObjectMapper().readTree(file.toFile());
            } catch (IOException e) {
                throw Settings.invalid(setting, "names a file that is not a JSON key: " + file);
            }
            if (json == null || !"service_account".equals(json.path("type").asText())) {
                throw Settings.invalid(
                        setting,
                        "names a file that is not a service account's JSON key (no \"type\": \"service_account\"): "
                                + file);
            }
            String email = field(json, "client_email", file);
            String tokenUri = json.path("token_uri").asText("https://oauth2.googleapis.com/token");
            PrivateKey key;
            try {
                key = Pem.privateKey(field(json, "private_key", file), "the private_key of " + file);
            } catch (IllegalArgumentException e) {
                throw Settings.invalid(setting, e.getMessage());
            }
            return new Key(
                    email,
                    Optional.of(json.path("private_key_id").asText("")).filter(id -> !id.isBlank()),
                    key,
                    OAuthSettings.checkedUrl(setting + "'s token_uri", tokenUri));
        }

        private static String field(JsonNode json, String name, Path file) {
            String value = json.path(name).asText("");
            if (value.isBlank()) {
                throw Settings.invalid(
                        OAuthSettings.SERVICE_ACCOUNT_KEY_FILE, "names a key without \"" + name + "\": " + file);
            }
            return value;
        }

        @Override
        public String toString() {
            return "service account " + clientEmail;
        }
    }

    private final TokenEndpoint endpoint;
    private final Key key;
    private final String subject;
    private final Clock clock;

    /** {@code endpoint} is the key's token URI, without client fields (the assertion says who asks). */
    ServiceAccountGrant(TokenEndpoint endpoint, Key key, String subject, Clock clock) {
        this.endpoint = endpoint;
        this.key = key;
        this.subject = subject;
        this.clock = clock;
    }

    @Override
    public AccessToken obtain() throws TokenException {
        Instant now = clock.instant();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", key.clientEmail());
        claims.put("sub", subject);
        claims.put("scope", endpoint.scope().orElse(OAuthSettings.GMAIL_SCOPE));
        claims.put("aud", endpoint.url().toString());
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(ASSERTION_LIFETIME).getEpochSecond());
        Map<String, Object> header =
                key.keyId().<Map<String, Object>>map(id -> Map.of("kid", id)).orElse(Map.of());
        String assertion = SignedJwt.sign(SignedJwt.Algorithm.RS256, header, claims, key.privateKey());
        // Google takes the scope from the assertion; the form repeats it for servers that read it there.
        return endpoint.request(
                Map.of("grant_type", GRANT_TYPE, "assertion", assertion),
                "check that " + key.clientEmail() + " has domain-wide delegation for the scope "
                        + endpoint.scope().orElse(OAuthSettings.GMAIL_SCOPE) + " and that " + subject
                        + " is a user of the domain");
    }
}
