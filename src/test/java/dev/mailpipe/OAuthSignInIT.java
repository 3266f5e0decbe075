package dev.mailpipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.LogCapture;
import dev.mailpipe.testing.ManagementClient;
import dev.mailpipe.testing.RunnerProcess;
import dev.mailpipe.testing.ScriptedTokenEndpoint;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TestMailServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * OAuth2 sign-in on the packaged jar, with every logger at TRACE except the one log4j2.xml caps:
 * a refused access token is replaced once and the drain completes; a revoked client secret makes
 * the mailbox not ready with one line that says what to fix, and deletes nothing; and neither run
 * logs the client secret or a token.
 */
class OAuthSignInIT {

    private static final String CLIENT_SECRET = "Cl1ent-S3cret-" + System.nanoTime();
    private static final String ACCESS_TOKEN = "Acc3ss-T0ken-" + System.nanoTime();
    private static final String STALE_TOKEN = "St4le-T0ken-" + System.nanoTime();

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    @TempDir
    Path dir;

    private ScriptedTokenEndpoint tokenEndpoint;
    private GreenMailUser user;
    private RunnerProcess runner;
    private final ManagementClient management = new ManagementClient(ManagementClient.freePort());

    @BeforeEach
    void start() throws Exception {
        tokenEndpoint = new ScriptedTokenEndpoint();
        // GreenMail's XOAUTH2 takes the access token where a password would be.
        user = greenMail.setUser(TestMailServer.USER + "@localhost", TestMailServer.USER, ACCESS_TOKEN);
    }

    @AfterEach
    void stop() throws Exception {
        if (runner != null && runner.isAlive()) {
            runner.terminate();
            runner.awaitExit(1);
        }
        tokenEndpoint.close();
    }

    /** log4j2.xml's configuration with every logger at TRACE, but Camel's properties component kept at INFO as there. */
    private Path traceLogging() throws Exception {
        String shipped =
                new String(getClass().getResourceAsStream("/log4j2.xml").readAllBytes(), StandardCharsets.UTF_8);
        String trace = shipped.replaceAll("level=\"(INFO|WARN|ERROR)\"", "level=\"TRACE\"")
                .replace(
                        "<Logger name=\"org.apache.camel.component.properties\" level=\"TRACE\"/>",
                        "<Logger name=\"org.apache.camel.component.properties\" level=\"INFO\"/>");
        assertThat(trace).contains("<Root level=\"TRACE\">");
        return Files.writeString(dir.resolve("log4j2-trace.xml"), trace);
    }

    private void startJar(String name) throws Exception {
        List<String> settings = new java.util.ArrayList<>(
                RunnerProcess.drainSettings(greenMail.getPop3s().getPort(), dir));
        settings.removeIf(line -> line.startsWith("mailbox.password="));
        Path secret = Files.writeString(dir.resolve("client-secret"), CLIENT_SECRET + "\n");
        settings.addAll(List.of(
                "mailbox.auth=xoauth2",
                "mailbox.oauth.tokenUrl=" + tokenEndpoint.url(),
                "mailbox.oauth.clientId=mailpipe-app",
                "mailbox.oauth.clientSecretFile=" + secret,
                "mailbox.oauth.scope=https://outlook.office365.com/.default",
                "mailbox.oauth.twoLine=true",
                "management.port=" + management.port()));
        Path file = Files.writeString(dir.resolve(name + ".properties"), String.join("\n", settings));
        runner = RunnerProcess.start(
                file,
                List.of("-Xmx256m", "-Dlog4j2.configurationFile=" + traceLogging()),
                Map.of(),
                dir.resolve(name + ".log"));
    }

    private String log() throws Exception {
        return Files.readString(runner.log());
    }

    private void assertNoSecretLogged() throws Exception {
        String log = log();
        assertThat(log.lines().filter(line -> line.contains(" TRACE ")).count())
                .as("TRACE lines: the run logged at TRACE")
                .isGreaterThan(100);
        assertThat(log)
                .doesNotContain(CLIENT_SECRET)
                .doesNotContain(ACCESS_TOKEN)
                .doesNotContain(STALE_TOKEN)
                .doesNotContain(LogCapture.xoauth2Response(TestMailServer.USER, ACCESS_TOKEN))
                .doesNotContain(LogCapture.xoauth2Response(TestMailServer.USER, STALE_TOKEN));
    }

    @Test
    void aRefusedTokenIsReplacedOnceAndTheDrainCompletesWithoutASecretInATraceLog() throws Exception {
        tokenEndpoint.token(STALE_TOKEN, 3600).token(ACCESS_TOKEN, 3600);
        List<byte[]> sent = TestMailServer.deliverSamples(user, 5);

        startJar("drain");

        await().atMost(Duration.ofMinutes(2)).until(() -> TestMailServer.messagesLeft(greenMail, user) == 0);
        MailboxId mailbox =
                new MailboxId("pop3s", "localhost", greenMail.getPop3s().getPort(), TestMailServer.USER);
        StoredMessages.assertExactly(new FilesLayout(dir.resolve("out"), mailbox).mailboxFolder(), sent);
        assertThat(tokenEndpoint.requests())
                .hasSize(2)
                .allMatch(form -> form.contains("grant_type=client_credentials"));
        assertThat(log()).contains("the server refused the access token; signing in again with a new one");
        assertNoSecretLogged();
    }

    @Test
    void aRevokedClientSecretMakesTheMailboxNotReadyAndDeletesNothing() throws Exception {
        for (int n = 0; n < 100; n++) {
            tokenEndpoint.answer(
                    401,
                    "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret\"}");
        }
        TestMailServer.deliverSamples(user, 3);

        startJar("revoked");

        // Not ready while starting too: only the mailbox's own check gives this reason.
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    var ready = management.get("/observe/health/ready");
                    return ready.statusCode() == 503 && ready.body().contains("no access token");
                });
        assertThat(tokenEndpoint.requests())
                .as("three failed polls, each asking once; the run's log:%n%s", log())
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(log())
                .contains("cannot be polled: no access token: the token endpoint " + tokenEndpoint.url()
                        + " rejected client mailpipe-app (invalid_client: AADSTS7000215: Invalid client secret): check"
                        + " mailbox.oauth.clientId and mailbox.oauth.clientSecret / mailbox.oauth.clientSecretFile");
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isEqualTo(3);
        assertNoSecretLogged();
    }
}
