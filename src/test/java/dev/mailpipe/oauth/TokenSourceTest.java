package dev.mailpipe.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailpipe.config.Settings;
import dev.mailpipe.testing.MockOAuthLogins;
import dev.mailpipe.testing.MutableClock;
import dev.mailpipe.testing.ScriptedTokenEndpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access tokens from a real OAuth2 server (mock-oauth2-server on loopback): cached until shortly
 * before they expire, renewed when a mail server refuses one, rotated refresh tokens stored, and
 * refusals reported with the setting to fix and without the secret.
 */
class TokenSourceTest {

    private static final String CLIENT_SECRET = "Cl1ent-S3cret-" + System.nanoTime();

    private final MockOAuth2Server server = new MockOAuth2Server();
    private final MutableClock clock = new MutableClock();
    private ScriptedTokenEndpoint scripted;

    @TempDir
    Path dir;

    @BeforeEach
    void startServers() throws Exception {
        server.start();
        scripted = new ScriptedTokenEndpoint();
    }

    @AfterEach
    void stopServers() {
        server.shutdown();
        scripted.close();
    }

    /** Client credentials against the scripted endpoint, for answers mock-oauth2-server does not give. */
    private Map<String, String> scriptedClientCredentials() {
        Map<String, String> settings = clientCredentials();
        settings.put(OAuthSettings.TOKEN_URL, scripted.url());
        return settings;
    }

    private Map<String, String> clientCredentials() {
        Map<String, String> settings = new HashMap<>();
        settings.put(OAuthSettings.AUTH, "xoauth2");
        settings.put(OAuthSettings.TOKEN_URL, server.tokenEndpointUrl("mail").toString());
        settings.put(OAuthSettings.CLIENT_ID, "mailpipe-app");
        settings.put(OAuthSettings.CLIENT_SECRET, CLIENT_SECRET);
        settings.put(OAuthSettings.SCOPE, "https://outlook.office365.com/.default");
        return settings;
    }

    private TokenSource source(Map<String, String> settings) {
        OAuthSettings oauth = OAuthSettings.from(new Settings(key -> Optional.ofNullable(settings.get(key))))
                .orElseThrow();
        return new TokenSources(clock).of(oauth, "alice@example.org", Duration.ofSeconds(5));
    }

    private RecordedRequest nextRequest() throws InterruptedException {
        return server.takeRequest(5, TimeUnit.SECONDS);
    }

    /** Whether the token endpoint got another request (mock-oauth2-server throws when none comes). */
    private boolean anotherRequest() {
        try {
            return server.takeRequest(200, TimeUnit.MILLISECONDS) != null;
        } catch (RuntimeException none) {
            return false;
        }
    }

    @Test
    void clientCredentialsTokenIsCachedUntilAMinuteBeforeItExpires() throws Exception {
        TokenSource tokens = source(clientCredentials());

        AccessToken first = tokens.token();
        String request = nextRequest().getBody().readUtf8();
        assertThat(request)
                .contains("grant_type=client_credentials")
                .contains("client_id=mailpipe-app")
                .contains("scope=https%3A%2F%2Foutlook.office365.com%2F.default");
        // mock-oauth2-server's tokens last an hour.
        clock.advance(Duration.ofMinutes(58));
        assertThat(tokens.token()).isSameAs(first);
        assertThat(anotherRequest()).isFalse();

        clock.advance(Duration.ofSeconds(61));
        AccessToken second = tokens.token();
        assertThat(anotherRequest()).isTrue();
        assertThat(second.value()).isNotEqualTo(first.value());
    }

    @Test
    void shortLivedTokenIsRenewedAtHalfItsLifetime() throws Exception {
        scripted.token("short-1", 20).token("short-2", 20);
        TokenSource tokens = source(scriptedClientCredentials());

        assertThat(tokens.token().value()).isEqualTo("short-1");
        clock.advance(Duration.ofSeconds(9));
        assertThat(tokens.token().value()).isEqualTo("short-1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.token().value()).isEqualTo("short-2");
    }

    @Test
    void tokenWithoutLifetimeLeftIsReplacedAtOnce() throws Exception {
        // expires_in 0: the server's clock says it is spent already (mock-oauth2-server rounds down).
        scripted.token("spent", 0).token("fresh", 3600);
        TokenSource tokens = source(scriptedClientCredentials());

        assertThat(tokens.token().value()).isEqualTo("spent");
        assertThat(tokens.token().value()).isEqualTo("fresh");
    }

    @Test
    void refusedTokenIsReplacedByANewOne() throws Exception {
        TokenSource tokens = source(clientCredentials());
        AccessToken refused = tokens.token();

        Optional<AccessToken> next = tokens.renew(refused);
        assertThat(next).hasValueSatisfying(token -> assertThat(token.value()).isNotEqualTo(refused.value()));
        assertThat(tokens.token().value()).isEqualTo(next.get().value());
    }

    @Test
    void rejectedClientSecretNamesTheSettingsAndNotTheSecret() {
        scripted.answer(401, "{\"error\":\"invalid_client\",\"error_description\":\"client secret expired\"}");
        TokenSource tokens = source(scriptedClientCredentials());

        assertThatThrownBy(tokens::token)
                .isInstanceOfSatisfying(
                        TokenException.class, e -> assertThat(e.isRejected()).isTrue())
                .hasMessageContaining("rejected client mailpipe-app")
                .hasMessageContaining("invalid_client: client secret expired")
                .hasMessageContaining(OAuthSettings.CLIENT_SECRET_FILE)
                .hasMessageNotContaining(CLIENT_SECRET);
    }

    @Test
    void unreachableTokenEndpointIsAnOutageNotARejection() {
        Map<String, String> settings = clientCredentials();
        settings.put(OAuthSettings.TOKEN_URL, "http://127.0.0.1:1/token");
        TokenSource tokens = source(settings);

        assertThatThrownBy(tokens::token)
                .isInstanceOfSatisfying(
                        TokenException.class, e -> assertThat(e.isRejected()).isFalse())
                .hasMessageContaining("cannot reach the token endpoint http://127.0.0.1:1/token");
    }

    @Test
    void rotatedRefreshTokenIsWrittenBackOwnerOnly() throws Exception {
        Path file = Files.writeString(dir.resolve("refresh-token"), "refresh-1\n");
        Map<String, String> settings = scriptedClientCredentials();
        settings.remove(OAuthSettings.CLIENT_SECRET);
        settings.put(OAuthSettings.REFRESH_TOKEN_FILE, file.toString());
        scripted.answer(
                200,
                "{\"access_token\":\"access-1\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                        + "\"refresh_token\":\"refresh-2\"}");
        TokenSource tokens = source(settings);

        assertThat(tokens.token().value()).isEqualTo("access-1");

        String request = scripted.requests().get(0);
        assertThat(request)
                .contains("grant_type=refresh_token")
                .contains("refresh_token=refresh-1")
                .doesNotContain("client_secret");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("refresh-2\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        try (var leftovers = Files.list(dir)) {
            assertThat(leftovers).containsExactly(file);
        }
    }

    @Test
    void refreshTokenIsRedeemedAtTheTokenEndpoint() throws Exception {
        String issued = MockOAuthLogins.refreshToken(server, "mail", "mailpipe-app", "mail");
        Path file = Files.writeString(dir.resolve("refresh-token"), issued + "\n");
        Map<String, String> settings = clientCredentials();
        settings.put(OAuthSettings.REFRESH_TOKEN_FILE, file.toString());

        AccessToken token = source(settings).token();

        assertThat(token.value()).isNotBlank();
        // mock-oauth2-server counts expires_in down from the hour it gave the refresh token.
        assertThat(token.expiresAt())
                .isBetween(clock.instant().plusSeconds(3500), clock.instant().plusSeconds(3600));
    }

    @Test
    void revokedRefreshTokenSaysToSignInAgain() throws Exception {
        Path file = Files.writeString(dir.resolve("refresh-token"), "revoked\n");
        Map<String, String> settings = scriptedClientCredentials();
        settings.put(OAuthSettings.REFRESH_TOKEN_FILE, file.toString());
        scripted.answer(400, "{\"error\":\"invalid_grant\",\"error_description\":\"token revoked\"}");

        assertThatThrownBy(source(settings)::token)
                .hasMessageContaining("invalid_grant: token revoked")
                .hasMessageContaining(file.toString())
                .hasMessageContaining("run `mailpipe login` to sign in again");
        assertThat(Files.readString(file)).isEqualTo("revoked\n");
    }

    @Test
    void aRefreshTokenFileNotWrittenYetSaysToRunLogin() {
        Map<String, String> settings = scriptedClientCredentials();
        settings.put(OAuthSettings.REFRESH_TOKEN_FILE, dir.resolve("not-yet").toString());

        assertThatThrownBy(source(settings)::token)
                .isInstanceOfSatisfying(
                        TokenException.class, e -> assertThat(e.isRejected()).isTrue())
                .hasMessageContaining("there is no refresh token yet")
                .hasMessageContaining("run `mailpipe login`");
        assertThat(scripted.requests()).isEmpty();
    }

    @Test
    void tokenFileIsReadAgainWhenItChanges() throws Exception {
        Path file = Files.writeString(dir.resolve("access-token"), "access-a\n");
        TokenSource tokens = source(Map.of(OAuthSettings.AUTH, "xoauth2", OAuthSettings.TOKEN_FILE, file.toString()));

        AccessToken first = tokens.token();
        assertThat(first.value()).isEqualTo("access-a");
        Files.writeString(file, "access-bb\n");
        assertThat(tokens.token().value()).isEqualTo("access-bb");
        // Refused and unchanged: no point in signing in again with the same token.
        assertThat(tokens.renew(tokens.token())).isEmpty();
    }
}
