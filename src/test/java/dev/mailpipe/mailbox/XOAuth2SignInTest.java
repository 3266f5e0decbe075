package dev.mailpipe.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.oauth.OAuthSettings;
import dev.mailpipe.testing.LogCapture;
import dev.mailpipe.testing.LogCapture.Line;
import dev.mailpipe.testing.MailpipeRouteTestSupport;
import dev.mailpipe.testing.ScriptedTokenEndpoint;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TestMailServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped route signs in with SASL XOAUTH2 (GreenMail's POP3S takes the access token as the
 * password): tokens from the token endpoint, a refused token renewed once, a rejected client secret
 * reported in one line naming the mailbox, and no secret in any log line at any level.
 */
class XOAuth2SignInTest extends MailpipeRouteTestSupport {

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    private static final String CLIENT_SECRET = "Cl1ent-S3cret-" + System.nanoTime();
    private static final String ACCESS_TOKEN = "Acc3ss-T0ken-" + System.nanoTime();
    private static final String STALE_TOKEN = "St4le-T0ken-" + System.nanoTime();

    @TempDir
    Path sinkDir;

    private ScriptedTokenEndpoint tokenEndpoint;
    private GreenMailUser user;
    private LogCapture log;

    @BeforeEach
    void start() throws Exception {
        tokenEndpoint = new ScriptedTokenEndpoint();
        user = greenMail.setUser(TestMailServer.USER + "@localhost", TestMailServer.USER, ACCESS_TOKEN);
        // Every logger at every level: a token must not show up even in DEBUG or TRACE lines. Camel's
        // property resolution logs the values it resolves; log4j2.xml keeps it at INFO, and so does this.
        Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.ALL);
        Configurator.setLevel("org.apache.camel.component.properties", Level.INFO);
        log = LogCapture.begin();
    }

    @AfterEach
    void stop() {
        log.close();
        ((LoggerContext) LogManager.getContext(false)).reconfigure();
        tokenEndpoint.close();
    }

    private Map<String, String> settings(boolean twoLine) {
        Map<String, String> settings = TestMailServer.pop3sSettings(greenMail);
        settings.remove("mailbox.password");
        settings.put(OAuthSettings.AUTH, "xoauth2");
        settings.put(OAuthSettings.TOKEN_URL, tokenEndpoint.url());
        settings.put(OAuthSettings.CLIENT_ID, "mailpipe-app");
        settings.put(OAuthSettings.CLIENT_SECRET, CLIENT_SECRET);
        settings.put(OAuthSettings.SCOPE, "https://outlook.office365.com/.default");
        settings.put(OAuthSettings.TWO_LINE, Boolean.toString(twoLine));
        settings.put("mailbox.pollDelay", "100");
        settings.put("sink.files.dir", sinkDir.toString());
        return settings;
    }

    private MailboxId mailbox() {
        return new MailboxId("pop3s", "localhost", greenMail.getPop3s().getPort(), TestMailServer.USER);
    }

    private void awaitDrained(List<byte[]> sent) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> TestMailServer.messagesLeft(greenMail, user) == 0);
        StoredMessages.assertExactly(new FilesLayout(sinkDir, mailbox()).mailboxFolder(), sent);
    }

    /** mailpipe's and Camel's lines at WARN or above (GreenMail logs its own side of a refused login). */
    private List<Line> reports() {
        return log.atLeast(Level.WARN).stream()
                .filter(line -> !line.logger().startsWith("com.icegreen"))
                .toList();
    }

    private void assertNoSecretLogged() {
        assertThat(log.lines()).isNotEmpty();
        List<String> secrets = List.of(
                CLIENT_SECRET,
                ACCESS_TOKEN,
                STALE_TOKEN,
                LogCapture.xoauth2Response(TestMailServer.USER, ACCESS_TOKEN),
                LogCapture.xoauth2Response(TestMailServer.USER, STALE_TOKEN));
        // GreenMail's own protocol trace (the test's server, at DEBUG here) shows what the client sent.
        List<Line> ours = log.lines().stream()
                .filter(line -> !line.logger().startsWith("com.icegreen"))
                .toList();
        assertThat(LogCapture.containingAny(ours, secrets))
                .as("log lines with a secret")
                .isEmpty();
    }

    @ParameterizedTest(name = "two-line form: {0}")
    @ValueSource(booleans = {false, true})
    void drainsWithAnAccessTokenFromClientCredentials(boolean twoLine) throws Exception {
        tokenEndpoint.token(ACCESS_TOKEN, 3600);
        List<byte[]> sent = TestMailServer.deliverSamples(user, 3);

        startRoute("inbox-to-files.camel.yaml", settings(twoLine));

        awaitDrained(sent);
        awaitMorePolls(2);
        // One token for every poll while it is valid.
        assertThat(tokenEndpoint.requests()).hasSize(1);
        assertThat(tokenEndpoint.requests().get(0))
                .contains("grant_type=client_credentials")
                .contains("client_id=mailpipe-app");
        assertNoSecretLogged();
    }

    @Test
    void refusedTokenIsRenewedOnceAndTheDrainCompletes() throws Exception {
        tokenEndpoint.token(STALE_TOKEN, 3600).token(ACCESS_TOKEN, 3600);
        List<byte[]> sent = TestMailServer.deliverSamples(user, 2);

        startRoute("inbox-to-files.camel.yaml", settings(false));

        awaitDrained(sent);
        assertThat(tokenEndpoint.requests()).hasSize(2);
        assertThat(log.atLeast(Level.INFO))
                .extracting(Line::message)
                .anyMatch(m -> m.contains("the server refused the access token; signing in again"))
                .noneMatch(m -> m.contains("cannot be polled"));
        assertNoSecretLogged();
    }

    @Test
    void rejectedClientSecretIsOneLineNamingTheMailboxAndDeletesNothing() throws Exception {
        for (int n = 0; n < 50; n++) {
            tokenEndpoint.answer(401, "{\"error\":\"invalid_client\",\"error_description\":\"secret revoked\"}");
        }
        TestMailServer.deliverSamples(user, 2);

        startRoute("inbox-to-files.camel.yaml", settings(false));

        awaitMorePolls(4);
        List<Line> reports = reports();
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).message())
                .contains("Mailbox " + mailbox() + " cannot be polled: no access token")
                .contains("rejected client mailpipe-app (invalid_client: secret revoked)")
                .contains(OAuthSettings.CLIENT_SECRET_FILE);
        assertThat(reports.get(0).hasStackTrace()).isFalse();
        assertThat(mailboxStatus().polls().failedPollsInARow()).isGreaterThanOrEqualTo(4);
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isEqualTo(2);
        assertNoSecretLogged();
    }

    @Test
    void tokenRefusedTwiceIsALoginRejection() throws Exception {
        for (int n = 0; n < 50; n++) {
            tokenEndpoint.token(STALE_TOKEN + n, 3600);
        }
        TestMailServer.deliverSamples(user, 1);

        startRoute("inbox-to-files.camel.yaml", settings(true));

        awaitMorePolls(3);
        List<Line> reports = reports();
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).message())
                .contains("login rejected: the server refused the XOAUTH2 access token (after one renewal");
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isEqualTo(1);
        assertNoSecretLogged();
    }
}
