package dev.mailpipe.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.testing.TemplatedRoutes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mailboxes are checked in parallel: six mailboxes at a server that never greets are all connected
 * before the first one's connect timeout runs out, and each fails in the runner's words (exit 3).
 */
class CheckCommandTest {

    private static final Path PROJECT_DIR = Path.of(System.getProperty("mailpipe.project.dir", "."));
    private static final int MAILBOXES = 6;
    private static final int CONNECT_TIMEOUT_MS = 3000;

    @TempDir
    Path dir;

    @Test
    void mailboxesAreCheckedInParallel() throws Exception {
        List<Long> accepted = new CopyOnWriteArrayList<>();
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                        accepted.add(System.nanoTime());
                    }
                } catch (IOException e) {
                    // closed: the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Path routes = Files.createDirectories(dir.resolve("routes"));
            Files.copy(PROJECT_DIR.resolve("routes/mailbox.camel.yaml"), routes.resolve("mailbox.camel.yaml"));
            Files.copy(
                    PROJECT_DIR.resolve("routes/mailpipe-errors.camel.yaml"),
                    routes.resolve("mailpipe-errors.camel.yaml"));
            StringBuilder fleet = new StringBuilder();
            for (int i = 1; i <= MAILBOXES; i++) {
                fleet.append(TemplatedRoutes.mailbox(
                        "box" + i,
                        Map.of(
                                "protocol", "pop3",
                                "starttls", "true",
                                "host", "127.0.0.1",
                                "port", Integer.toString(silent.getLocalPort()),
                                "username", "user" + i,
                                "password", "pw")));
            }
            Files.writeString(routes.resolve("fleet.camel.yaml"), fleet);
            Path properties = Files.writeString(
                    dir.resolve("check.properties"),
                    String.join(
                            "\n",
                            "camel.main.routesIncludePattern=file:" + routes + "/*.yaml",
                            "mailbox.connectTimeout=" + CONNECT_TIMEOUT_MS,
                            "sink.files.dir=" + dir.resolve("out"),
                            "ledger.dir=" + dir.resolve("ledger")));
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            int exit = new CheckCommand(new PrintStream(out, true, StandardCharsets.UTF_8), System.err)
                    .run(Optional.of(properties), List.of());

            String table = out.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(table).isEqualTo(CheckCommand.MAILBOX_FAILS);
            assertThat(table.lines().filter(line -> line.startsWith("MAILBOX  FAIL")))
                    .hasSize(MAILBOXES);
            assertThat(table).contains("no POP3 greeting from 127.0.0.1:" + silent.getLocalPort());
            assertThat(accepted).hasSize(MAILBOXES);
            long spread = accepted.stream().mapToLong(Long::longValue).max().orElseThrow()
                    - accepted.stream().mapToLong(Long::longValue).min().orElseThrow();
            assertThat(spread / 1_000_000)
                    .as("ms between the first and the last mailbox's connection (one after another: 3000 each)")
                    .isLessThan(CONNECT_TIMEOUT_MS);
            assertThat(dir.resolve("out")).doesNotExist();
            assertThat(dir.resolve("ledger")).doesNotExist();
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }
}
