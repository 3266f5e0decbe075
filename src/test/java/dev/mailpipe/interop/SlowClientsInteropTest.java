package dev.mailpipe.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.DovecotServer;
import dev.mailpipe.testing.ManagementClient;
import dev.mailpipe.testing.RunnerProcess;
import dev.mailpipe.testing.SlowHttpClients;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TestMailServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The packaged jar's management endpoints while 1,000 connections hold half-sent requests, and
 * while 1,000 trickle a byte a second (each opened again as soon as the server closes it): every
 * liveness and readiness probe is answered within a second, at once and 20 s later; the mail that
 * arrives meanwhile is drained from Dovecot, once; when the clients leave, no socket of theirs
 * stays open in the process.
 */
@Tag("interop")
class SlowClientsInteropTest {

    private static final String USER = TestMailServer.USER;
    private static final int ATTACKERS = 1000;
    private static DovecotServer server;

    @TempDir
    Path dir;

    private RunnerProcess runner;

    @BeforeAll
    static void startDovecot() throws Exception {
        server = DovecotServer.startForInterop(USER, TestMailServer.PASSWORD);
    }

    @AfterAll
    static void stopDovecot() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void stopRunner() throws Exception {
        if (runner != null && runner.isAlive()) {
            runner.terminate();
            runner.awaitExit(1);
        }
    }

    @ParameterizedTest
    @EnumSource(SlowHttpClients.Mode.class)
    void probesAreAnsweredWithinASecondWhileSlowClientsHoldConnections(SlowHttpClients.Mode mode) throws Exception {
        server.clearMailbox();
        List<byte[]> sent = server.deliverSamples(1, 30);
        int port = ManagementClient.freePort();
        List<String> settings = server.runnerSettings(dir, TestMailServer.PASSWORD);
        settings.addAll(List.of("mailbox.pollDelay=500", "management.port=" + port));
        Path file = Files.writeString(dir.resolve("run.properties"), String.join("\n", settings));
        runner = RunnerProcess.start(file, List.of("-Xmx256m"), java.util.Map.of(), dir.resolve("run.log"));
        ManagementClient management = new ManagementClient(port);
        await().atMost(Duration.ofMinutes(1)).until(() -> management.status("/observe/health/live") == 200);

        try (SlowHttpClients attack = new SlowHttpClients(port, ATTACKERS, mode)) {
            sent.addAll(server.deliverSamples(101, 30));
            probesAnswerWithinASecond(port);
            // The attack goes on: the server keeps closing slow connections and they keep coming back.
            int reopenedBefore = attack.reopened();
            await().pollDelay(Duration.ofSeconds(20))
                    .atMost(Duration.ofSeconds(40))
                    .until(() -> true);
            assertThat(attack.reopened())
                    .as("connections closed and opened again")
                    .isGreaterThan(reopenedBefore);
            probesAnswerWithinASecond(port);
            await().atMost(Duration.ofMinutes(1)).until(() -> server.messagesLeft() == 0);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> serverSocketsOn(port) == 0);
        MailboxId mailbox = new MailboxId("pop3", "localhost", server.pop3Port(), USER);
        StoredMessages.assertExactly(new FilesLayout(dir.resolve("out"), mailbox).mailboxFolder(), sent);
    }

    private static void probesAnswerWithinASecond(int port) throws IOException {
        for (int i = 0; i < 5; i++) {
            for (String path : List.of("/observe/health/live", "/observe/health/ready")) {
                long start = System.nanoTime();
                String status = probe(port, path);
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(status).as(path).matches("HTTP/1\\.1 (200|503) .*");
                assertThat(millis).as(path + " answered in ms").isLessThan(1000);
            }
        }
    }

    /** A probe as Kubernetes sends it: a new connection, one GET, a one-second timeout. */
    private static String probe(int port, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    /** Open server-side TCP sockets on the port (established, or closed by the client and not yet by us). */
    private static long serverSocketsOn(int port) throws IOException {
        String local = String.format(Locale.ROOT, ":%04X", port);
        return Files.readAllLines(Path.of("/proc/net/tcp")).stream()
                .skip(1)
                .map(line -> line.trim().split("\\s+"))
                .filter(fields -> fields[1].endsWith(local) && (fields[3].equals("01") || fields[3].equals("08")))
                .count();
    }
}
