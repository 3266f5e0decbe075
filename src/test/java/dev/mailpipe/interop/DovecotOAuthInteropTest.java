package dev.mailpipe.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.TokenRequest;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.oauth.OAuthSettings;
import dev.mailpipe.testing.DovecotServer;
import dev.mailpipe.testing.LogCapture;
import dev.mailpipe.testing.MailpipeRouteTestSupport;
import dev.mailpipe.testing.MockOAuthLogins;
import dev.mailpipe.testing.SampleMessages;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TestMailServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.OAuth2Exception;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.mockwebserver.RecordedRequest;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OAuth2 sign-in against Dovecot 2.3 whose oauth2 passdb asks a real OAuth2 server
 * (mock-oauth2-server on loopback) about every access token: POP3S drains with SASL XOAUTH2 in its
 * one-line and two-line (Microsoft's) forms, with tokens from the client credentials grant and from
 * a refresh token; a token that expires at the server mid-drain is replaced and the drain completes
 * with each message once; a revoked client secret fails the polls with the documented line and makes
 * the mailbox not ready, deleting nothing. No secret is logged, at any level.
 */
@Tag("interop")
class DovecotOAuthInteropTest extends MailpipeRouteTestSupport {

    private static final String USER = TestMailServer.USER;
    private static final String ISSUER = "mail";
    private static final String CLIENT_ID = "mailpipe-app";
    private static final String CLIENT_SECRET = "Cl1ent-S3cret-" + System.nanoTime();

    private static final java.util.regex.Pattern JWT =
            java.util.regex.Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}");

    private static MockOAuth2Server oauth;
    private static DovecotServer server;
    /** Messages delivered so far: each test's numbers are its own. */
    private static int delivered;

    @TempDir
    Path dir;

    private LogCapture log;
    private final List<String> secrets = new ArrayList<>(List.of(CLIENT_SECRET));

    @BeforeAll
    static void startServers() throws Exception {
        // Every token names the mailbox's user in its "username" claim, which Dovecot signs in.
        DefaultOAuth2TokenCallback tokens =
                new DefaultOAuth2TokenCallback(ISSUER, USER, "JWT", List.of("pop3"), Map.of("username", USER), 3600);
        oauth = new MockOAuth2Server(
                new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(), Set.of(tokens)));
        oauth.start(InetAddress.getByName("127.0.0.1"), 0);
        // The server checks a token's issuer against the address it is asked at: always 127.0.0.1.
        server = DovecotServer.startForInterop(
                USER,
                TestMailServer.PASSWORD,
                "http://dovecot:dovecot-secret@127.0.0.1:" + oauth.url("/").port() + "/" + ISSUER + "/introspect");
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (server != null) {
            server.close();
        }
        if (oauth != null) {
            oauth.shutdown();
        }
    }

    @BeforeEach
    void captureEveryLogLine() {
        Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.ALL);
        // As log4j2.xml keeps it: Camel's property resolution logs the values it resolves below INFO.
        Configurator.setLevel("org.apache.camel.component.properties", Level.INFO);
        log = LogCapture.begin();
    }

    @AfterEach
    void restoreLogging() throws Exception {
        log.close();
        ((LoggerContext) LogManager.getContext(false)).reconfigure();
        grantsAsked();
        server.clearMailbox();
    }

    private static String tokenUrl() {
        return "http://127.0.0.1:" + oauth.url("/").port() + "/" + ISSUER + "/token";
    }

    private static List<byte[]> deliver(int count) throws IOException {
        List<byte[]> sent = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            byte[] raw = SampleMessages.message(++delivered);
            server.deliver("m" + delivered + "." + System.nanoTime() + ".mailpipe", raw);
            sent.add(raw);
        }
        return sent;
    }

    private Map<String, String> settings(boolean twoLine) throws IOException {
        Map<String, String> settings = new HashMap<>();
        settings.put("mailbox.host", "localhost");
        settings.put("mailbox.port", Integer.toString(server.pop3sPort()));
        settings.put("mailbox.username", USER);
        settings.put("mailbox.caFile", TestMailServer.caFile().toString());
        settings.put("mailbox.pollDelay", "200");
        settings.put("mailbox.batchSize", "10");
        settings.put(OAuthSettings.AUTH, "xoauth2");
        settings.put(OAuthSettings.TOKEN_URL, tokenUrl());
        settings.put(OAuthSettings.CLIENT_ID, CLIENT_ID);
        settings.put(
                OAuthSettings.CLIENT_SECRET_FILE,
                Files.writeString(dir.resolve("client-secret"), CLIENT_SECRET + "\n")
                        .toString());
        settings.put(OAuthSettings.SCOPE, "pop3");
        settings.put(OAuthSettings.TWO_LINE, Boolean.toString(twoLine));
        settings.put("sink.files.dir", dir.resolve("out").toString());
        settings.put("ledger.dir", dir.resolve("ledger").toString());
        return settings;
    }

    private Path folder() {
        return new FilesLayout(dir.resolve("out"), new MailboxId("pop3s", "localhost", server.pop3sPort(), USER))
                .mailboxFolder();
    }

    /** The grants the OAuth2 server was asked for since the test began, in order. */
    private static List<String> grantsAsked() throws InterruptedException {
        List<String> grants = new ArrayList<>();
        for (RecordedRequest request = nextRequest(); request != null; request = nextRequest()) {
            String body = request.getBody().readUtf8();
            if (request.getPath().endsWith("/token")) {
                grants.add(body.replaceAll(".*grant_type=([a-z_]+).*", "$1"));
            }
        }
        return grants;
    }

    /** The OAuth2 server's next request not yet looked at, or null. */
    private static RecordedRequest nextRequest() {
        try {
            return oauth.takeRequest(10, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // mock-oauth2-server's way of saying that none is left.
            return null;
        }
    }

    /** Dovecot's log lines of XOAUTH2 logins since {@code from}. */
    private static List<String> xoauth2Logins(long from) throws IOException {
        String all = Files.readString(server.log());
        return all.substring((int) Math.min(from, all.length()))
                .lines()
                .filter(line -> line.contains("pop3-login: Info: Login: user=<" + USER + ">")
                        && line.contains("method=XOAUTH2"))
                .toList();
    }

    /**
     * No secret of the test, and no access token (the OAuth2 server's are JWTs), in any line at any
     * level, but those of the test's OAuth2 server, which logs the requests it receives.
     */
    private void assertNoSecretLogged() {
        List<LogCapture.Line> lines = log.lines().stream()
                .filter(line ->
                        !line.logger().startsWith("no.nav.") && !line.logger().startsWith("okhttp3"))
                .toList();
        assertThat(lines).as("lines captured at every level").hasSizeGreaterThan(100);
        assertThat(lines)
                .as("log lines with a JWT")
                .noneMatch(line -> JWT.matcher(line.message()).find()
                        || JWT.matcher(line.stackTrace()).find());
        assertThat(LogCapture.containingAny(lines, secrets))
                .as("log lines with a secret")
                .isEmpty();
    }

    @ParameterizedTest(name = "two-line form: {0}")
    @ValueSource(booleans = {false, true})
    void drainsWithTokensFromTheClientCredentialsGrant(boolean twoLine) throws Exception {
        List<byte[]> sent = deliver(25);
        long logFrom = Files.size(server.log());

        startRoute("inbox-to-files.camel.yaml", settings(twoLine));

        await().atMost(Duration.ofMinutes(1)).until(() -> server.messagesLeft() == 0);
        StoredMessages.assertExactly(folder(), sent);
        assertThat(xoauth2Logins(logFrom))
                .as("logins with XOAUTH2, one a batch of 10")
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(grantsAsked()).as("one token for the whole drain").containsExactly("client_credentials");
        assertNoSecretLogged();
    }

    @Test
    void drainsWithTokensFromARefreshTokenInTheTwoLineForm() throws Exception {
        String refreshToken =
                MockOAuthLogins.refreshToken(oauth, ISSUER, CLIENT_ID, "pop3").replace("localhost", "127.0.0.1");
        secrets.add(refreshToken);
        Path refreshTokenFile = Files.writeString(dir.resolve("refresh-token"), refreshToken + "\n");
        grantsAsked();
        List<byte[]> sent = deliver(15);
        Map<String, String> settings = settings(true);
        settings.remove(OAuthSettings.CLIENT_SECRET_FILE);
        settings.put(OAuthSettings.REFRESH_TOKEN_FILE, refreshTokenFile.toString());

        startRoute("inbox-to-files.camel.yaml", settings);

        await().atMost(Duration.ofMinutes(1)).until(() -> server.messagesLeft() == 0);
        StoredMessages.assertExactly(folder(), sent);
        assertThat(grantsAsked()).containsExactly("refresh_token");
        assertNoSecretLogged();
    }

    @Test
    void aTokenThatExpiresMidDrainIsRenewedBeforeItExpiresAndEachMessageIsStoredOnce() throws Exception {
        // The first token lives 6 seconds; mailpipe renews it at half its lifetime. Mail arrives
        // before it expires and after, so the mailbox's drain spans its end.
        int lifetime = 6;
        oauth.enqueueCallback(new DefaultOAuth2TokenCallback(
                ISSUER, USER, "JWT", List.of("pop3"), Map.of("username", USER), lifetime));
        grantsAsked();
        Instant expired = Instant.now().plusSeconds(lifetime);
        List<byte[]> sent = new ArrayList<>(deliver(10));

        startRoute("inbox-to-files.camel.yaml", settings(true));
        await().atMost(Duration.ofMinutes(1)).until(() -> server.messagesLeft() == 0);
        // Waits for the token's end itself, the event this test is about.
        await().atMost(Duration.ofSeconds(lifetime + 1))
                .until(() -> Instant.now().isAfter(expired));
        sent.addAll(deliver(10));

        await().atMost(Duration.ofMinutes(1)).until(() -> server.messagesLeft() == 0);
        StoredMessages.assertExactly(folder(), sent);
        assertThat(grantsAsked())
                .as("the short-lived token, then one that outlives the test")
                .containsExactly("client_credentials", "client_credentials");
        assertThat(log.lines())
                .noneMatch(line -> line.message().contains("cannot be polled")
                        || line.message().contains("refused the access token"));
        assertNoSecretLogged();
    }

    @Test
    void aTokenDovecotRefusesIsRenewedOnceThenALoginRejectionWithNothingDeleted() throws Exception {
        // Tokens of another issuer: signed by the same OAuth2 server, refused by Dovecot's check.
        // Angus takes Dovecot's XOAUTH2 error challenge for a finished sign-in; XOAuth2Pop3Store
        // notices, so the refusal fails the poll instead of passing for an empty mailbox.
        deliver(3);
        Map<String, String> settings = settings(true);
        settings.put(OAuthSettings.TOKEN_URL, tokenUrl().replace("/" + ISSUER + "/", "/another-issuer/"));

        startRoute("inbox-to-files.camel.yaml", settings);
        awaitMorePolls(2);

        assertThat(mailboxStatus().polls().failedPollsInARow()).isGreaterThanOrEqualTo(2);
        List<LogCapture.Line> reports = log.atLeast(Level.WARN).stream()
                .filter(line -> !line.logger().startsWith("no.nav."))
                .toList();
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).message())
                .contains("login rejected: the server refused the XOAUTH2 access token (after one renewal");
        assertThat(log.lines()).noneMatch(line -> line.message().contains("Error opening mail folder"));
        assertThat(grantsAsked())
                .as("the first token, then one new one after the refusal: the polls that follow within a"
                        + " minute are refused without asking the token endpoint again")
                .containsExactly("client_credentials", "client_credentials");
        assertThat(server.messagesLeft()).as("nothing deleted").isEqualTo(3);
        assertNoSecretLogged();
    }

    @Test
    void aRevokedClientSecretFailsThePollsNamingWhatToFixAndTheMailboxIsNotReadyWithNothingDeleted() throws Exception {
        // An OAuth2 server of its own that refuses the client, as Microsoft does a revoked secret.
        MockOAuth2Server revoking = new MockOAuth2Server(new OAuth2Config(
                false, null, null, false, new OAuth2TokenProvider(), Set.of(new RefusingClient(ISSUER))));
        revoking.start(InetAddress.getByName("127.0.0.1"), 0);
        String revokingUrl = "http://127.0.0.1:" + revoking.url("/").port() + "/" + ISSUER + "/token";
        deliver(5);
        Map<String, String> settings = settings(true);
        settings.put(OAuthSettings.TOKEN_URL, revokingUrl);

        HealthCheck.Result readiness;
        try {
            startRoute("inbox-to-files.camel.yaml", settings);
            awaitMorePolls(3);
            readiness = HealthCheckHelper.invokeReadiness(context).stream()
                    .filter(result -> result.getState() == HealthCheck.State.DOWN)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no readiness check is DOWN"));
        } finally {
            context.getRouteController().stopAllRoutes();
            revoking.shutdown();
        }
        assertThat(readiness.getMessage())
                .hasValueSatisfying(message -> assertThat(message).contains("no access token"));
        List<LogCapture.Line> reports = log.atLeast(Level.WARN).stream()
                .filter(line -> !line.logger().startsWith("no.nav."))
                .toList();
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).message())
                .contains("cannot be polled: no access token: the token endpoint " + revokingUrl + " rejected client "
                        + CLIENT_ID + " (invalid_client: ")
                .contains("check mailbox.oauth.clientId and"
                        + " mailbox.oauth.clientSecret / mailbox.oauth.clientSecretFile");
        assertThat(server.messagesLeft()).as("nothing deleted").isEqualTo(5);
        assertThat(Files.exists(folder())).as("nothing stored").isFalse();
        assertNoSecretLogged();
    }

    /** Refuses every token request: the client's secret was revoked. */
    private record RefusingClient(String issuerId) implements OAuth2TokenCallback {

        @Override
        public String subject(TokenRequest request) {
            throw new OAuth2Exception(OAuth2Error.INVALID_CLIENT, "client secret revoked");
        }

        @Override
        public String typeHeader(TokenRequest request) {
            return "JWT";
        }

        @Override
        public List<String> audience(TokenRequest request) {
            return List.of();
        }

        @Override
        public Map<String, Object> addClaims(TokenRequest request) {
            return Map.of();
        }

        @Override
        public long tokenExpiry() {
            return 3600;
        }
    }
}
