package dev.mailpipe.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import dev.mailpipe.config.Settings;
import dev.mailpipe.testing.TestMailServer;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connection mistakes are told apart, each within its timeout: STARTTLS the server does not offer,
 * plain POP3 at a POP3S port and the reverse (with the usual ports as a hint), and a server that
 * stops answering (naming mailbox.readTimeout).
 */
class MailboxDiagnosticsTest {

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    private final Map<String, String> values = new HashMap<>();

    @BeforeEach
    void account() {
        TestMailServer.user(greenMail);
        values.putAll(TestMailServer.pop3sSettings(greenMail));
        values.put("mailbox.connectTimeout", "1500");
    }

    private MailboxSettings mailbox() {
        return MailboxSettings.from(new Settings(key -> Optional.ofNullable(values.get(key))));
    }

    /** Logs in as the route would and returns how the failure is described, or "connected". */
    private String connect(MailboxSettings mailbox) {
        Session session = Session.getInstance(JavaMailProperties.of(mailbox));
        try (Store store = session.getStore(mailbox.protocol())) {
            store.connect(mailbox.host(), mailbox.port(), mailbox.username(), mailbox.password());
            return "connected";
        } catch (MessagingException e) {
            return MailboxFailure.describe(e, mailbox);
        }
    }

    private void plainPop3At(int port) {
        values.put("mailbox.protocol", "pop3");
        values.put("mailbox.port", Integer.toString(port));
    }

    @Test
    void plainPop3AtAPlainPortStillLogsIn() {
        plainPop3At(greenMail.getPop3().getPort());
        assertThat(connect(mailbox())).isEqualTo("connected");
    }

    @Test
    void starttlsTheServerDoesNotOfferIsNotAWrongPassword() {
        plainPop3At(greenMail.getPop3().getPort());
        values.put("mailbox.starttls", "true");

        assertThat(connect(mailbox()))
                .startsWith("localhost:" + greenMail.getPop3().getPort() + " does not offer STARTTLS")
                .contains("pop3s on 995, pop3 + starttls on 110")
                .doesNotContain("password");
    }

    @Test
    void plainPop3AtAPop3sPortFailsWithinTheConnectTimeoutWithAHint() {
        plainPop3At(greenMail.getPop3s().getPort());
        values.put("mailbox.starttls", "true");

        long start = System.nanoTime();
        String problem = connect(mailbox());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(problem)
                .startsWith("no POP3 greeting from localhost:"
                        + greenMail.getPop3s().getPort() + " within mailbox.connectTimeout (1500 ms)")
                .contains("mailbox.protocol=pop3s")
                .contains("pop3s on 995, pop3 + starttls on 110");
        assertThat(took).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void pop3sAtAPlainPortSaysSo() {
        values.put("mailbox.port", Integer.toString(greenMail.getPop3().getPort()));

        assertThat(connect(mailbox()))
                .startsWith("localhost:" + greenMail.getPop3().getPort() + " answered in plain text, not TLS")
                .contains("pop3s on 995, pop3 + starttls on 110");
    }

    @Test
    void aServerThatStopsAnsweringIsReportedAsStalledNamingTheReadTimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread greeter = new Thread(() -> greetThenFallSilent(server), "silent-pop3-server");
            greeter.setDaemon(true);
            greeter.start();
            plainPop3At(server.getLocalPort());
            values.put("mailbox.host", "127.0.0.1");
            values.put("mailbox.readTimeout", "500");

            assertThat(connect(mailbox()))
                    .isEqualTo("server 127.0.0.1:" + server.getLocalPort()
                            + " stalled: no answer within mailbox.readTimeout (500 ms)");
        }
    }

    private static void greetThenFallSilent(ServerSocket server) {
        try (Socket client = server.accept()) {
            OutputStream out = client.getOutputStream();
            out.write("+OK ready\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Holds the connection open without answering until the client gives up.
            while (client.getInputStream().read() >= 0) {
                // discard the client's commands
            }
        } catch (IOException e) {
            // The client closed the connection: the test is over.
        }
    }
}
