package dev.mailpipe.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailpipe.testing.DovecotInterop;
import dev.mailpipe.testing.DovecotLog;
import dev.mailpipe.testing.DovecotServer;
import dev.mailpipe.testing.JarProcess;
import dev.mailpipe.testing.TestMailServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mailpipe check} on the packaged jar against Dovecot: a good mailbox passes (exit 0) with its
 * messages waiting counted by STAT, and Dovecot's log shows the session read, retrieved and deleted
 * nothing; a wrong password and a wrong CA fail the mailbox (exit 3) in the runner's words; an
 * unreachable Kafka fails the sink (exit 4); {@code --json} parses; nothing is made on disk.
 */
@Tag("interop")
class CheckInteropTest {

    private static final String USER = TestMailServer.USER;
    private static final Duration LIMIT = Duration.ofMinutes(2);

    @RegisterExtension
    static final DovecotInterop dovecot = new DovecotInterop();

    private DovecotServer server;

    @TempDir
    Path dir;

    @BeforeEach
    void threeMessagesWaiting() throws IOException {
        server = dovecot.server();
        server.clearMailbox();
        server.deliverSamples(1, 3);
    }

    private Path settings(String password, String... more) throws IOException {
        List<String> lines = new ArrayList<>(server.runnerSettings(dir, password));
        lines.removeIf(line -> line.startsWith("mailbox.protocol=") || line.startsWith("mailbox.port="));
        lines.add("mailbox.protocol=pop3s");
        lines.add("mailbox.port=" + server.pop3sPort());
        lines.addAll(List.of(more));
        Path file = dir.resolve("check.properties");
        Files.write(file, lines);
        return file;
    }

    private JarProcess check(Path settings, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("check", "--properties", settings.toString()));
        args.addAll(List.of(more));
        JarProcess check = JarProcess.start(dir, Map.of(), args.toArray(String[]::new));
        check.awaitExit(LIMIT);
        return check;
    }

    @Test
    void aGoodMailboxPassesWithoutReadingOrDeletingAnything() throws Exception {
        long logFrom = DovecotLog.end(server.log());
        JarProcess check = check(settings(
                TestMailServer.PASSWORD,
                "mailbox.caFile=" + TestMailServer.caFile(),
                "sink.imap.host=localhost",
                "sink.imap.port=" + server.imapsPort(),
                "sink.imap.username=" + USER,
                "sink.imap.password=" + TestMailServer.PASSWORD,
                "sink.imap.caFile=" + TestMailServer.caFile(),
                "sink.imap.folder=Archive/Checked"));

        assertThat(check.awaitExit(LIMIT)).as(check.stdout() + check.stderr()).isZero();
        assertThat(check.stdout())
                .contains("IMAP     ok   imaps://" + USER + "@localhost:" + server.imapsPort()
                        + ", folder Archive/Checked")
                .contains("the folder does not exist yet and is made at the first message");
        assertThat(check.stdout())
                .contains("MAILBOX  ok   route inbox-to-files, pop3s://" + USER + "@localhost:" + server.pop3sPort())
                .contains("3 message(s)")
                .contains("UIDL")
                .contains("FILES    ok   " + dir.resolve("out"))
                .contains("does not exist yet")
                .contains("LEDGER   ok")
                .contains("Everything checked will work");
        List<DovecotLog.Logout> sessions =
                DovecotLog.read(server.log(), logFrom).logouts();
        assertThat(sessions).hasSize(1);
        assertThat(sessions.get(0).retrieved()).isZero();
        assertThat(sessions.get(0).deleted()).isZero();
        assertThat(sessions.get(0).top()).isZero();
        assertThat(server.messagesLeft()).isEqualTo(3);
        // Nothing made: neither the files folder nor the ledger.
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(dir.resolve("ledger")).doesNotExist();
    }

    @Test
    void aWrongPasswordFailsTheMailboxWithExitThree() throws Exception {
        JarProcess check = check(settings("wrong", "mailbox.caFile=" + TestMailServer.caFile()));

        assertThat(check.awaitExit(LIMIT)).as(check.stdout() + check.stderr()).isEqualTo(3);
        assertThat(check.stdout()).contains("MAILBOX  FAIL").contains("login rejected (wrong username or password");
        assertThat(check.stdout() + check.stderr()).doesNotContain("wrong\n").doesNotContain("=wrong");
    }

    @Test
    void aWrongCaFailsTheMailboxNamingTheTrustProblem() throws Exception {
        JarProcess check = check(settings(TestMailServer.PASSWORD));

        assertThat(check.awaitExit(LIMIT)).as(check.stdout() + check.stderr()).isEqualTo(3);
        assertThat(check.stdout())
                .contains("MAILBOX  FAIL")
                .contains("server certificate of localhost:" + server.pop3sPort() + " is not trusted")
                .contains("mailbox.caFile");
    }

    @Test
    void anUnreachableKafkaFailsTheSinkWithExitFourAndJsonParses() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        JarProcess check = check(
                settings(
                        TestMailServer.PASSWORD,
                        "mailbox.caFile=" + TestMailServer.caFile(),
                        "sink.kafka.brokers=127.0.0.1:" + closedPort),
                "--json");

        assertThat(check.awaitExit(LIMIT)).as(check.stdout() + check.stderr()).isEqualTo(4);
        JsonNode body = new ObjectMapper().readTree(check.stdout());
        assertThat(body.get("ok").asBoolean()).isFalse();
        JsonNode mailbox = body.get("checks").get(0);
        assertThat(mailbox.get("part").asText()).isEqualTo("mailbox");
        assertThat(mailbox.get("ok").asBoolean()).isTrue();
        assertThat(mailbox.get("messagesWaiting").asInt()).isEqualTo(3);
        JsonNode kafka = null;
        for (JsonNode found : body.get("checks")) {
            if (found.get("part").asText().equals("kafka")) {
                kafka = found;
            }
        }
        assertThat(kafka).isNotNull();
        assertThat(kafka.get("ok").asBoolean()).isFalse();
        assertThat(kafka.get("detail").asText()).contains("no Kafka broker answered at 127.0.0.1:" + closedPort);
    }
}
