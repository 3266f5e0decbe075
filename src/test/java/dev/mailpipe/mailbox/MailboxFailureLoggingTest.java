package dev.mailpipe.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import dev.mailpipe.testing.LogCapture;
import dev.mailpipe.testing.LogCapture.Line;
import dev.mailpipe.testing.MailpipeRouteTestSupport;
import dev.mailpipe.testing.TestMailServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mailbox that cannot be polled (wrong password, unknown host, untrusted certificate) is reported
 * in one clear line naming the mailbox and the cause: no flood across polls, no stack trace, no password.
 */
class MailboxFailureLoggingTest extends MailpipeRouteTestSupport {

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    @TempDir
    Path sinkDir;

    private LogCapture log;

    @BeforeEach
    void captureLog() {
        TestMailServer.user(greenMail);
        log = LogCapture.begin();
    }

    @AfterEach
    void stopCapture() {
        log.close();
    }

    private Map<String, String> settings(String host, String password, boolean trustTestCa) {
        Map<String, String> settings = new HashMap<>();
        settings.put("mailbox.host", host);
        settings.put("mailbox.port", Integer.toString(greenMail.getPop3s().getPort()));
        settings.put("mailbox.username", TestMailServer.USER);
        settings.put("mailbox.password", password);
        if (trustTestCa) {
            settings.put("mailbox.caFile", TestMailServer.caFile().toString());
        }
        settings.put("mailbox.pollDelay", "100");
        settings.put("sink.files.dir", sinkDir.toString());
        return settings;
    }

    /** Lets at least five polls fail, then returns the one line that reported them. */
    private Line theOneReport(String mailbox) {
        // GreenMail's side of a refused TLS handshake ends in an exception on its own thread; that is expected.
        await().dontCatchUncaughtExceptions()
                .atMost(Duration.ofSeconds(20))
                .until(() -> !errorsAndWarnings().isEmpty());
        awaitMorePolls(5);
        List<Line> reports = errorsAndWarnings();
        assertThat(reports).as("log lines at WARN or above").hasSize(1);
        Line report = reports.get(0);
        assertThat(report.message()).contains(mailbox);
        assertThat(report.hasStackTrace()).isFalse();
        return report;
    }

    private List<Line> errorsAndWarnings() {
        return log.atLeast(Level.WARN);
    }

    private void assertPasswordNeverLogged(String password) {
        assertThat(log.lines()).allSatisfy(line -> {
            assertThat(line.message()).doesNotContain(password);
            assertThat(line.stackTrace()).doesNotContain(password);
        });
    }

    @Test
    void wrongPasswordIsOneClearLine() throws Exception {
        String wrong = "Wr0ng-Secret-" + System.nanoTime();
        startRoute("inbox-to-files.camel.yaml", settings("localhost", wrong, true));

        Line report =
                theOneReport("pop3s://alice@localhost:" + greenMail.getPop3s().getPort());
        assertThat(report.message()).contains("login rejected");
        assertPasswordNeverLogged(wrong);
    }

    @Test
    void unknownHostIsOneClearLine() throws Exception {
        startRoute("inbox-to-files.camel.yaml", settings("no-such-host.invalid", TestMailServer.PASSWORD, true));

        Line report = theOneReport("pop3s://alice@no-such-host.invalid:");
        assertThat(report.message()).contains("unknown host 'no-such-host.invalid'");
        assertPasswordNeverLogged(TestMailServer.PASSWORD);
    }

    @Test
    void untrustedCertificateIsOneClearLine() throws Exception {
        // Without mailbox.caFile only the JDK's public CAs are trusted, and they never signed the test server.
        startRoute("inbox-to-files.camel.yaml", settings("localhost", TestMailServer.PASSWORD, false));

        Line report =
                theOneReport("pop3s://alice@localhost:" + greenMail.getPop3s().getPort());
        assertThat(report.message())
                .contains("certificate")
                .contains("not trusted")
                .contains("mailbox.caFile");
        assertPasswordNeverLogged(TestMailServer.PASSWORD);
    }
}
