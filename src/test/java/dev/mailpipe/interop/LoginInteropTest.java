package dev.mailpipe.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.oauth2.sdk.JWTBearerGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.ClientCertificate;
import dev.mailpipe.testing.DovecotServer;
import dev.mailpipe.testing.JarProcess;
import dev.mailpipe.testing.SampleMessages;
import dev.mailpipe.testing.SignInBrowser;
import dev.mailpipe.testing.SpringAuthorizationServer;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TemplatedRoutes;
import dev.mailpipe.testing.TestMailServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mailpipe login} and the app-level sign-ins on the packaged jar, against real authorization
 * servers whose tokens Dovecot checks at their introspection endpoints:
 * <ul>
 *   <li>the browser flow (PKCE, loopback redirect) at mock-oauth2-server, which checks the code
 *       verifier; the test's HTTP client is the browser;
 *   <li>the device flow at Spring Authorization Server, the user code approved or denied by the
 *       test's browser signing in there, or left to expire;
 *   <li>a Google-style service account draining five accounts with one key, and a certificate
 *       credential (Spring Authorization Server verifies its signed assertion).
 * </ul>
 * A refresh token written by login is owner-only, and the drain that follows signs in with it; a
 * denied, expired or forged sign-in ends with exit 3 and leaves the file as it was.
 */
@Tag("interop")
class LoginInteropTest {

    private static final String USER = TestMailServer.USER;
    private static final String ISSUER = "mail";
    private static final String CLIENT_ID = "mailpipe-login";
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final Pattern URL_LINE = Pattern.compile("(?m)^  (http\\S+)$");
    private static final Pattern USER_CODE = Pattern.compile("enter the code (\\S+)");
    private static final List<String> WORKSPACE = List.of("ann", "ben", "cleo", "dan", "eve");

    @TempDir
    static Path shared;

    private static MockOAuth2Server mock;
    private static DovecotServer mockDovecot;
    private static ClientCertificate certificate;
    private static SpringAuthorizationServer spring;
    private static DovecotServer springDovecot;

    @TempDir
    Path dir;

    /** Tokens name their user in "username": the assertion's subject for a service account, else the test's user. */
    private static final class UsernameClaim extends DefaultOAuth2TokenCallback {
        UsernameClaim() {
            super(ISSUER, USER, "JWT", List.of("pop3"), Map.of("username", USER), 3600);
        }

        @Override
        public Map<String, Object> addClaims(TokenRequest request) {
            if (request.getAuthorizationGrant() instanceof JWTBearerGrant bearer) {
                try {
                    return Map.of(
                            "username",
                            bearer.getJWTAssertion().getJWTClaimsSet().getSubject());
                } catch (ParseException e) {
                    throw new IllegalStateException(e);
                }
            }
            return super.addClaims(request);
        }
    }

    @BeforeAll
    static void startServers() throws Exception {
        mock = new MockOAuth2Server(
                new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(), Set.of(new UsernameClaim())));
        mock.start(InetAddress.getByName("127.0.0.1"), 0);
        mockDovecot = DovecotServer.startForInterop(
                USER,
                TestMailServer.PASSWORD,
                "http://dovecot:dovecot-secret@127.0.0.1:" + mock.url("/").port() + "/" + ISSUER + "/introspect");
        Map<String, String> workspace = new LinkedHashMap<>();
        WORKSPACE.forEach(user -> workspace.put(user, "unused-" + user));
        mockDovecot.addAccounts(workspace);
        certificate = ClientCertificate.create(shared);
        spring = SpringAuthorizationServer.start(USER, certificate.jwkSetUrl());
        springDovecot = DovecotServer.startForInterop(USER, TestMailServer.PASSWORD, spring.introspectionUrl());
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (AutoCloseable server : new AutoCloseable[] {springDovecot, spring, certificate, mockDovecot}) {
            if (server != null) {
                server.close();
            }
        }
        if (mock != null) {
            mock.shutdown();
        }
    }

    private static String mockUrl(String endpoint) {
        return "http://127.0.0.1:" + mock.url("/").port() + "/" + ISSUER + "/" + endpoint;
    }

    /** A mailbox at {@code server} signing in with XOAUTH2; {@code oauth} says how. */
    private Path properties(DovecotServer server, String... oauth) throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "mailbox.protocol=pop3s",
                "mailbox.host=localhost",
                "mailbox.port=" + server.pop3sPort(),
                "mailbox.username=" + USER,
                "mailbox.caFile=" + TestMailServer.caFile(),
                "mailbox.auth=xoauth2",
                "mailbox.pollDelay=200",
                "sink.files.dir=" + dir.resolve("out"),
                "ledger.dir=" + dir.resolve("ledger"),
                "camel.main.routesIncludePattern=file:" + routes() + "/*.yaml"));
        lines.addAll(List.of(oauth));
        return Files.write(dir.resolve("mailpipe.properties"), lines);
    }

    private static Path routes() {
        return Path.of(System.getProperty("mailpipe.project.dir", "."))
                .resolve("routes")
                .toAbsolutePath();
    }

    private String[] browserLogin() {
        return new String[] {
            "mailbox.oauth.tokenUrl=" + mockUrl("token"),
            "mailbox.oauth.authorizeUrl=" + mockUrl("authorize"),
            "mailbox.oauth.clientId=" + CLIENT_ID,
            // mock-oauth2-server answers only OpenID Connect requests.
            "mailbox.oauth.scope=openid pop3",
            "mailbox.oauth.refreshTokenFile=" + dir.resolve("refresh-token")
        };
    }

    /** The device flow as Microsoft's public clients use it: the app's id, no secret. */
    private String[] deviceLogin(String client) {
        return new String[] {
            "mailbox.oauth.tokenUrl=" + spring.tokenUrl(),
            "mailbox.oauth.deviceAuthorizationUrl=" + spring.deviceAuthorizationUrl(),
            "mailbox.oauth.clientId=" + client,
            "mailbox.oauth.scope=" + SpringAuthorizationServer.SCOPE,
            "mailbox.oauth.refreshTokenFile=" + dir.resolve("refresh-token")
        };
    }

    private JarProcess login(Path properties) throws IOException {
        return JarProcess.start(dir, Map.of(), "login", "--properties", properties.toString());
    }

    /** The run that follows: drains until idle, then exits. */
    private int drain(Path properties) throws Exception {
        JarProcess run = JarProcess.start(
                dir, Map.of(), "--properties", properties.toString(), "-Dcamel.main.durationMaxIdleSeconds=3");
        int exit = run.awaitExit(LIMIT);
        assertThat(run.stdout() + run.stderr()).doesNotContain("refresh_token=").doesNotContain("eyJ");
        return exit;
    }

    private static String printed(JarProcess process, Pattern pattern) {
        await().atMost(LIMIT).until(() -> pattern.matcher(process.stdout()).find() || !process.isAlive());
        Matcher matcher = pattern.matcher(process.stdout());
        if (!matcher.find()) {
            throw new AssertionError("login printed no " + pattern + ": " + process.stdout() + process.stderr());
        }
        return matcher.group(1);
    }

    private Path storedFolder(DovecotServer server, String user) {
        return new FilesLayout(dir.resolve("out"), new MailboxId("pop3s", "localhost", server.pop3sPort(), user))
                .mailboxFolder();
    }

    private void assertOwnerOnlyToken(Path file) throws IOException {
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(file)).isNotBlank();
    }

    @Test
    void theBrowserFlowWritesARefreshTokenAndTheDrainThatFollowsSignsInWithIt() throws Exception {
        mockDovecot.clearMailbox();
        List<byte[]> sent = mockDovecot.deliverSamples(1, 3);
        Path properties = properties(mockDovecot, browserLogin());

        JarProcess login = login(properties);
        String authorization = printed(login, URL_LINE);
        assertThat(authorization).contains("code_challenge_method=S256").contains("state=");
        URI back = new SignInBrowser().authorize(authorization, USER);
        assertThat(back.toString()).startsWith("http://127.0.0.1:").contains("code=");
        assertThat(new SignInBrowser().open(back)).isEqualTo(200);

        assertThat(login.awaitExit(LIMIT)).as(login.stdout() + login.stderr()).isZero();
        assertThat(login.stdout()).contains("Signed in to the mailbox: signed in (xoauth2); 3 message(s)");
        assertOwnerOnlyToken(dir.resolve("refresh-token"));
        String code = back.getQuery().replaceAll(".*code=([^&]+).*", "$1");
        assertThat(login.stdout() + login.stderr())
                .as("neither the authorization code nor the refresh token is printed")
                .doesNotContain(code)
                .doesNotContain(Files.readString(dir.resolve("refresh-token")).strip());

        assertThat(drain(properties)).isZero();
        assertThat(mockDovecot.messagesLeft()).isZero();
        StoredMessages.assertExactly(storedFolder(mockDovecot, USER), sent);
    }

    @Test
    void anAnswerWithAnotherStateIsRefusedAndTheOldTokenFileIsKept() throws Exception {
        Path file = Files.writeString(dir.resolve("refresh-token"), "the-old-token\n");
        JarProcess login = login(properties(mockDovecot, browserLogin()));
        URI back = new SignInBrowser().authorize(printed(login, URL_LINE), USER);
        URI forged = URI.create(back.toString().replaceAll("state=[^&]+", "state=forged"));

        assertThat(new SignInBrowser().open(forged)).isEqualTo(400);

        assertThat(login.awaitExit(LIMIT)).as(login.stdout() + login.stderr()).isEqualTo(3);
        assertThat(login.stderr())
                .contains("did not carry the state mailpipe sent")
                .contains("nothing written");
        assertThat(Files.readString(file)).isEqualTo("the-old-token\n");
    }

    @Test
    void aDeniedBrowserSignInEndsWithExitThreeAndWritesNothing() throws Exception {
        JarProcess login = login(properties(mockDovecot, browserLogin()));
        URI back = new SignInBrowser().authorize(printed(login, URL_LINE), USER);
        String state = back.getQuery().replaceAll(".*state=([^&]+).*", "$1");
        // What the authorization server sends the browser back with when the user declines.
        URI denied = URI.create("http://" + back.getAuthority() + "/?error=access_denied&state=" + state);

        assertThat(new SignInBrowser().open(denied)).isEqualTo(200);

        assertThat(login.awaitExit(LIMIT)).as(login.stdout() + login.stderr()).isEqualTo(3);
        assertThat(login.stderr()).contains("the sign-in was denied (access_denied)");
        assertThat(dir.resolve("refresh-token")).doesNotExist();
    }

    @Test
    void theDeviceFlowWritesARefreshTokenAndTheDrainThatFollowsSignsInWithIt() throws Exception {
        springDovecot.clearMailbox();
        List<byte[]> sent = springDovecot.deliverSamples(1, 2);
        Path properties = properties(springDovecot, deviceLogin(SpringAuthorizationServer.DEVICE_CLIENT));

        JarProcess login = login(properties);
        String userCode = printed(login, USER_CODE);
        assertThat(login.stdout()).contains("To sign in, open " + spring.url("/oauth2/device_verification"));
        new SignInBrowser().decideDeviceCode(spring, USER, userCode, true);

        assertThat(login.awaitExit(LIMIT)).as(login.stdout() + login.stderr()).isZero();
        assertThat(login.stdout()).contains("Signed in to the mailbox: signed in (xoauth2); 2 message(s)");
        assertOwnerOnlyToken(dir.resolve("refresh-token"));

        assertThat(drain(properties)).isZero();
        assertThat(springDovecot.messagesLeft()).isZero();
        StoredMessages.assertExactly(storedFolder(springDovecot, USER), sent);
    }

    @Test
    void aConfidentialAppSignsInWithItsSecretInTheDeviceFlow() throws Exception {
        List<String> settings =
                new ArrayList<>(List.of(deviceLogin(SpringAuthorizationServer.CONFIDENTIAL_DEVICE_CLIENT)));
        settings.add("mailbox.oauth.clientSecret="
                + SpringAuthorizationServer.secret(SpringAuthorizationServer.CONFIDENTIAL_DEVICE_CLIENT));
        JarProcess login = login(properties(springDovecot, settings.toArray(String[]::new)));

        new SignInBrowser().decideDeviceCode(spring, USER, printed(login, USER_CODE), true);

        assertThat(login.awaitExit(LIMIT)).as(login.stdout() + login.stderr()).isZero();
        assertThat(login.stdout()).contains("Signed in to the mailbox: signed in (xoauth2)");
        assertOwnerOnlyToken(dir.resolve("refresh-token"));
    }

    @Test
    void aDeniedDeviceCodeEndsWithExitThreeAndWritesNothing() throws Exception {
        JarProcess login = login(properties(springDovecot, deviceLogin(SpringAuthorizationServer.DEVICE_CLIENT)));
        String userCode = printed(login, USER_CODE);

        new SignInBrowser().decideDeviceCode(spring, USER, userCode, false);

        assertThat(login.awaitExit(LIMIT)).as(login.stdout() + login.stderr()).isEqualTo(3);
        assertThat(login.stderr()).contains("the sign-in was denied");
        assertThat(dir.resolve("refresh-token")).doesNotExist();
    }

    @Test
    void anExpiredDeviceCodeEndsWithExitThreeAndWritesNothing() throws Exception {
        // This client's device codes expire after a second; login first asks after five.
        JarProcess login = login(properties(springDovecot, deviceLogin(SpringAuthorizationServer.QUICK_DEVICE_CLIENT)));

        assertThat(login.awaitExit(LIMIT)).as(login.stdout() + login.stderr()).isEqualTo(3);
        assertThat(login.stderr()).contains("the code expired before the sign-in was completed");
        assertThat(dir.resolve("refresh-token")).doesNotExist();
    }

    @Test
    void aCertificateCredentialSignsInAndDrains() throws Exception {
        springDovecot.clearMailbox();
        List<byte[]> sent = springDovecot.deliverSamples(10, 2);
        Path properties = properties(
                springDovecot,
                "mailbox.oauth.tokenUrl=" + spring.tokenUrl(),
                "mailbox.oauth.clientId=" + SpringAuthorizationServer.CERTIFICATE_CLIENT,
                "mailbox.oauth.clientCertificateFile=" + certificate.certificateFile(),
                "mailbox.oauth.clientKeyFile=" + certificate.keyFile(),
                "mailbox.oauth.scope=" + SpringAuthorizationServer.SCOPE);

        assertThat(drain(properties)).isZero();
        assertThat(springDovecot.messagesLeft()).isZero();
        StoredMessages.assertExactly(storedFolder(springDovecot, USER), sent);
    }

    @Test
    void aServiceAccountDrainsFiveWorkspaceMailboxesWithOneKey() throws Exception {
        var pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        Path key = Files.writeString(
                dir.resolve("service-account.json"),
                "{\"type\":\"service_account\",\"client_email\":\"mailpipe@project.iam.gserviceaccount.com\","
                        + "\"private_key_id\":\"k1\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\n"
                        + Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded())
                        + "\\n-----END PRIVATE KEY-----\\n\",\"token_uri\":\"" + mockUrl("token") + "\"}");
        Map<String, List<byte[]>> sent = new LinkedHashMap<>();
        StringBuilder fleet = new StringBuilder();
        int n = 100;
        for (String user : WORKSPACE) {
            List<byte[]> messages = new ArrayList<>();
            for (int i = 0; i < 2; i++, n++) {
                byte[] raw = SampleMessages.message(n);
                mockDovecot.deliver(user, "m" + n + ".mailpipe", raw);
                messages.add(raw);
            }
            sent.put(user, messages);
            // Each mailbox names only its user: the key is the app's, set once.
            fleet.append(TemplatedRoutes.mailbox(user, Map.of("username", user)));
        }
        Path routes = Files.createDirectories(dir.resolve("fleet"));
        Files.writeString(routes.resolve("fleet.camel.yaml"), fleet);
        Path properties =
                properties(mockDovecot, "mailbox.oauth.serviceAccountKeyFile=" + key, "mailbox.oauth.scope=pop3");
        List<String> lines = new ArrayList<>(Files.readAllLines(properties));
        lines.removeIf(
                line -> line.startsWith("camel.main.routesIncludePattern=") || line.startsWith("mailbox.username="));
        // The template and the error handling from the shipped routes, the mailboxes from the fleet file.
        lines.add("camel.main.routesIncludePattern=file:" + routes() + "/mailbox.camel.yaml,file:" + routes()
                + "/mailpipe-errors.camel.yaml,file:" + routes + "/fleet.camel.yaml");
        Files.write(properties, lines);

        assertThat(drain(properties)).isZero();
        for (Map.Entry<String, List<byte[]>> account : sent.entrySet()) {
            assertThat(mockDovecot.messagesLeft(account.getKey())).isZero();
            StoredMessages.assertExactly(storedFolder(mockDovecot, account.getKey()), account.getValue());
        }
    }
}
