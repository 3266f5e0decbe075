package dev.mailpipe.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.mailpipe.config.Settings;
import dev.mailpipe.testing.ClientCertificate;
import dev.mailpipe.testing.LogCapture;
import dev.mailpipe.testing.MutableClock;
import dev.mailpipe.testing.ScriptedTokenEndpoint;
import dev.mailpipe.testing.SpringAuthorizationServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import okhttp3.mockwebserver.RecordedRequest;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grants a fleet signs in with, against real authorization servers: one token per app for a fleet
 * of 30 mailboxes (mock-oauth2-server, over three token lifetimes on a clock the test moves), a Google
 * service account's signed assertions, one per user (mock-oauth2-server redeems them; the test checks
 * the signature and claims Google checks), certificate credentials (Spring Authorization Server
 * verifies the PS256 assertion against the certificate's key), and a 429 with Retry-After honoured.
 */
class SignInGrantsTest {

    @TempDir
    static Path keys;

    private static ClientCertificate certificate;
    private static SpringAuthorizationServer spring;

    private final MockOAuth2Server mock = new MockOAuth2Server();
    private final MutableClock clock = new MutableClock();

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpring() throws Exception {
        certificate = ClientCertificate.create(keys);
        spring = SpringAuthorizationServer.start("alice", certificate.jwkSetUrl());
    }

    @AfterAll
    static void stopSpring() throws Exception {
        spring.close();
        certificate.close();
    }

    @BeforeEach
    void startMock() {
        mock.start();
    }

    @AfterEach
    void stopMock() {
        mock.shutdown();
    }

    private static OAuthSettings oauth(Map<String, String> settings) {
        return OAuthSettings.from(new Settings(key -> Optional.ofNullable(settings.get(key))))
                .orElseThrow();
    }

    private Map<String, String> app() {
        Map<String, String> settings = new HashMap<>();
        settings.put(OAuthSettings.AUTH, "xoauth2");
        settings.put(OAuthSettings.TOKEN_URL, mock.tokenEndpointUrl("mail").toString());
        settings.put(OAuthSettings.CLIENT_ID, "fleet-app");
        settings.put(OAuthSettings.CLIENT_SECRET, "fleet-s3cret");
        settings.put(OAuthSettings.SCOPE, "https://outlook.office365.com/.default");
        return settings;
    }

    /** The token requests mock-oauth2-server received since the last call. */
    private List<String> tokenRequests() {
        List<String> bodies = new ArrayList<>();
        while (true) {
            RecordedRequest request;
            try {
                request = mock.takeRequest(50, TimeUnit.MILLISECONDS);
            } catch (RuntimeException none) {
                return bodies;
            }
            if (request == null) {
                return bodies;
            }
            if (request.getPath().endsWith("/token")) {
                bodies.add(request.getBody().readUtf8());
            }
        }
    }

    @Test
    void aFleetOfThirtyMailboxesOfOneAppAsksForOneTokenPerLifetime() throws Exception {
        TokenSources sources = new TokenSources(clock);
        OAuthSettings settings = oauth(app());
        List<TokenSource> fleet = new ArrayList<>();
        for (int n = 0; n < 30; n++) {
            fleet.add(sources.of(settings, "mailbox" + n + "@example.org", Duration.ofSeconds(10)));
        }
        assertThat(sources.size()).isEqualTo(1);

        Set<String> tokens = new HashSet<>();
        int requests = 0;
        for (int lifetime = 0; lifetime < 3; lifetime++) {
            // Every mailbox signs in every 10 minutes for an hour (mock-oauth2-server's tokens live 3600 s).
            for (int minute = 0; minute < 60; minute += 10) {
                for (TokenSource mailbox : fleet) {
                    tokens.add(mailbox.token().value());
                }
                clock.advance(Duration.ofMinutes(10));
            }
            requests += tokenRequests().size();
            assertThat(requests)
                    .as("token requests after %d lifetimes", lifetime + 1)
                    .isEqualTo(lifetime + 1);
        }
        assertThat(tokens).hasSize(3);
    }

    @Test
    void aServiceAccountSignsInAsEachUserWithAnAssertionItsKeySigned() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Map<String, String> key = Map.of(
                "type", "service_account",
                "client_email", "mailpipe@project.iam.gserviceaccount.com",
                "private_key_id", "key-1",
                "private_key", pem,
                "token_uri", mock.tokenEndpointUrl("mail").toString());
        Path keyFile = Files.writeString(dir.resolve("key.json"), new ObjectMapper().writeValueAsString(key));
        Map<String, String> settings =
                Map.of(OAuthSettings.AUTH, "xoauth2", OAuthSettings.SERVICE_ACCOUNT_KEY_FILE, keyFile.toString());
        TokenSources sources = new TokenSources(clock);
        List<String> users = List.of("ann", "ben", "cleo", "dan", "eve");

        for (String user : users) {
            TokenSource source = sources.of(oauth(settings), user + "@example.org", Duration.ofSeconds(10));
            SignedJWT token = SignedJWT.parse(source.token().value());
            assertThat(token.getJWTClaimsSet().getSubject()).isEqualTo(user + "@example.org");
            // Again from the cache: no second request for the same user.
            sources.of(oauth(settings), user.toUpperCase() + "@example.org", Duration.ofSeconds(10))
                    .token();
        }

        assertThat(sources.size()).isEqualTo(5);
        List<String> requests = tokenRequests();
        assertThat(requests).hasSize(5);
        RSASSAVerifier verifier = new RSASSAVerifier((RSAPublicKey) pair.getPublic());
        for (int n = 0; n < users.size(); n++) {
            Map<String, String> form = form(requests.get(n));
            assertThat(form).containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
            assertThat(form).doesNotContainKeys("client_id", "client_secret");
            SignedJWT assertion = SignedJWT.parse(form.get("assertion"));
            assertThat(assertion.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
            assertThat(assertion.getHeader().getKeyID()).isEqualTo("key-1");
            assertThat(assertion.verify(verifier))
                    .as("signed with the account's key")
                    .isTrue();
            var claims = assertion.getJWTClaimsSet();
            assertThat(claims.getIssuer()).isEqualTo("mailpipe@project.iam.gserviceaccount.com");
            assertThat(claims.getSubject()).isEqualTo(users.get(n) + "@example.org");
            assertThat(claims.getAudience())
                    .containsExactly(mock.tokenEndpointUrl("mail").toString());
            assertThat(claims.getStringClaim("scope")).isEqualTo("https://mail.google.com/");
            assertThat(Duration.between(
                            claims.getIssueTime().toInstant(),
                            claims.getExpirationTime().toInstant()))
                    .isEqualTo(Duration.ofHours(1));
        }
    }

    @Test
    void aCertificateCredentialSignsInWithAnAssertionTheServerVerifies() throws Exception {
        Map<String, String> settings = certificateSettings(certificate);

        // The server checks the assertion's times against its own clock.
        AccessToken token = new TokenSources(java.time.Clock.systemUTC())
                .of(oauth(settings), "alice", Duration.ofSeconds(10))
                .token();

        assertThat(SignedJWT.parse(token.value()).getJWTClaimsSet().getStringClaim("username"))
                .isEqualTo("alice");
    }

    @Test
    void aCertificateTheAppDoesNotKnowIsRejectedNamingTheFilesAndNotTheKey() throws Exception {
        try (ClientCertificate other = ClientCertificate.create(dir)) {
            Map<String, String> settings = certificateSettings(other);
            String key = Files.readString(other.keyFile());

            assertThatThrownBy(() -> new TokenSources(java.time.Clock.systemUTC())
                            .of(oauth(settings), "alice", Duration.ofSeconds(10))
                            .token())
                    .isInstanceOfSatisfying(
                            TokenException.class,
                            e -> assertThat(e.isRejected()).isTrue())
                    .hasMessageContaining("rejected client " + SpringAuthorizationServer.CERTIFICATE_CLIENT)
                    .hasMessageContaining(OAuthSettings.CLIENT_CERTIFICATE_FILE)
                    .message()
                    .doesNotContain(key.lines().skip(1).findFirst().orElseThrow());
        }
    }

    @Test
    void aRetryAfterIsHonouredNoRequestComesBeforeItsTime() throws Exception {
        try (ScriptedTokenEndpoint endpoint = new ScriptedTokenEndpoint()) {
            endpoint.answer(429, "{\"error\":\"temporarily_unavailable\"}", Map.of("Retry-After", "120"));
            endpoint.token("fresh-token", 3600);
            Map<String, String> settings = app();
            settings.put(OAuthSettings.TOKEN_URL, endpoint.url());
            TokenSources sources = new TokenSources(clock);
            TokenSource first = sources.of(oauth(settings), "one@example.org", Duration.ofSeconds(10));
            TokenSource second = sources.of(oauth(settings), "two@example.org", Duration.ofSeconds(10));

            assertThatThrownBy(first::token)
                    .isInstanceOfSatisfying(TokenException.class, e -> {
                        assertThat(e.isRejected())
                                .as("an outage, not a refusal")
                                .isFalse();
                        assertThat(e.retryAt()).contains(clock.instant().plusSeconds(120));
                    })
                    .hasMessageContaining("asked to wait (temporarily_unavailable)");
            for (int seconds = 0; seconds < 119; seconds += 17) {
                clock.advance(Duration.ofSeconds(17));
                assertThatThrownBy(second::token).hasMessageContaining("not asked again before then");
            }
            assertThat(endpoint.requests()).as("no request before the time").hasSize(1);

            clock.advance(Duration.ofSeconds(2));
            assertThat(second.token().value()).isEqualTo("fresh-token");
            assertThat(endpoint.requests()).hasSize(2);
        }
    }

    @Test
    void aTokenStillValidServesWhileTheEndpointAsksToWait() throws Exception {
        try (ScriptedTokenEndpoint endpoint = new ScriptedTokenEndpoint()) {
            endpoint.token("first", 300);
            endpoint.answer(503, "{\"error\":\"temporarily_unavailable\"}", Map.of("Retry-After", "120"));
            Map<String, String> settings = app();
            settings.put(OAuthSettings.TOKEN_URL, endpoint.url());
            TokenSource source = new TokenSources(clock).of(oauth(settings), "a@example.org", Duration.ofSeconds(10));
            assertThat(source.token().value()).isEqualTo("first");

            // Past its renewal time (a minute before it expires), the endpoint answers 503: the token serves on.
            clock.advance(Duration.ofSeconds(250));
            assertThat(source.token().value()).isEqualTo("first");
            clock.advance(Duration.ofSeconds(30));
            assertThat(source.token().value()).isEqualTo("first");
            assertThat(endpoint.requests()).as("no request during the wait").hasSize(2);

            clock.advance(Duration.ofSeconds(30));
            assertThatThrownBy(source::token).hasMessageContaining("not asked again before then");
        }
    }

    @Test
    void aMailboxRefusedForItsOwnReasonsDoesNotMakeTheFleetsAppAskAgainAndAgain() throws Exception {
        TokenSources sources = new TokenSources(clock);
        TokenSource fleet = sources.of(oauth(app()), "ok@example.org", Duration.ofSeconds(10));
        TokenSource refused = sources.of(oauth(app()), "pop-disabled@example.org", Duration.ofSeconds(10));
        AccessToken first = fleet.token();

        // The server refuses the one mailbox (POP3 switched off): one renewal, then no more for a minute.
        AccessToken second = refused.renew(first).orElseThrow();
        assertThat(second.value()).isNotEqualTo(first.value());
        for (int poll = 0; poll < 5; poll++) {
            clock.advance(Duration.ofSeconds(10));
            assertThat(refused.renew(second)).isEmpty();
        }
        assertThat(fleet.token().value()).isEqualTo(second.value());
        assertThat(tokenRequests()).hasSize(2);

        clock.advance(Duration.ofSeconds(11));
        assertThat(refused.renew(second)).isPresent();
        assertThat(tokenRequests()).hasSize(1);
    }

    @Test
    void noTokenAssertionKeyOrSecretIsLoggedAtAnyLevel() throws Exception {
        Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.ALL);
        List<String> secrets = new ArrayList<>(List.of("fleet-s3cret"));
        secrets.add(Files.readString(certificate.keyFile())
                .lines()
                .skip(1)
                .findFirst()
                .orElseThrow());
        try (LogCapture log = LogCapture.begin()) {
            secrets.add(new TokenSources(clock)
                    .of(oauth(app()), "a@example.org", Duration.ofSeconds(10))
                    .token()
                    .value());
            Map<String, String> settings = certificateSettings(certificate);
            secrets.add(new TokenSources(java.time.Clock.systemUTC())
                    .of(oauth(settings), "alice", Duration.ofSeconds(10))
                    .token()
                    .value());
            secrets.addAll(tokenRequests().stream()
                    .map(SignInGrantsTest::form)
                    .map(f -> f.get("client_secret"))
                    .filter(java.util.Objects::nonNull)
                    .toList());

            // Spring Authorization Server logs at TRACE what it receives; only mailpipe's lines count.
            List<LogCapture.Line> ours = log.lines().stream()
                    .filter(line -> line.logger().startsWith("dev.mailpipe"))
                    .toList();
            assertThat(ours).as("mailpipe logged while obtaining tokens").isNotEmpty();
            assertThat(LogCapture.containingAny(ours, secrets)).isEmpty();
            assertThat(ours).noneMatch(line -> line.message().contains("eyJ"));
        } finally {
            ((LoggerContext) LogManager.getContext(false)).reconfigure();
        }
    }

    /** The certificate client of Spring Authorization Server, signing with {@code credential}'s key. */
    private static Map<String, String> certificateSettings(ClientCertificate credential) {
        Map<String, String> settings = new HashMap<>();
        settings.put(OAuthSettings.AUTH, "xoauth2");
        settings.put(OAuthSettings.TOKEN_URL, spring.tokenUrl());
        settings.put(OAuthSettings.CLIENT_ID, SpringAuthorizationServer.CERTIFICATE_CLIENT);
        settings.put(
                OAuthSettings.CLIENT_CERTIFICATE_FILE,
                credential.certificateFile().toString());
        settings.put(OAuthSettings.CLIENT_KEY_FILE, credential.keyFile().toString());
        settings.put(OAuthSettings.SCOPE, SpringAuthorizationServer.SCOPE);
        return settings;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            form.put(
                    URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return form;
    }
}
