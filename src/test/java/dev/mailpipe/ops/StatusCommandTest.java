package dev.mailpipe.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.mailpipe.ApplicationRunner;
import dev.mailpipe.ledger.Ledger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar mailpipe.jar status}: a line per mailbox from the ledger, as a table or JSON, with readiness when one runs. */
class StatusCommandTest {

    private static final String ALICE = "pop3s://alice@pop.example.org:995";
    private static final String BOB = "pop3://bob@mail.example.net:110";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path ledgerDir;

    @BeforeEach
    void fillLedger() throws Exception {
        ledgerDir = Files.createDirectories(dir.resolve("ledger"));
        try (Ledger ledger =
                Ledger.open("jdbc:sqlite:" + ledgerDir.resolve("ledger.sqlite"), null, null, Clock.systemUTC())) {
            for (int n = 1; n <= 3; n++) {
                ledger.claim(key('a', n), ALICE, "u" + n, "me");
                ledger.markDelivered(key('a', n), null, null);
            }
            ledger.markDeleted(List.of(key('a', 1), key('a', 2)), true);
            ledger.claim(key('a', 4), ALICE, "u4", "me");
            ledger.recordFailure(key('a', 4), "FileSinkException: no space left");
            ledger.claim(key('b', 1), BOB, "u1", "me");
            ledger.recordFailure(key('b', 1), "poison");
            ledger.markDeadLettered(key('b', 1), "poison again", null);
        }
    }

    private static String key(char c, int n) {
        return (String.valueOf(c).repeat(63) + n);
    }

    private Path settings(String... lines) throws Exception {
        return Files.writeString(
                dir.resolve("mailpipe.properties"), "ledger.dir=" + ledgerDir + "\n" + String.join("\n", lines) + "\n");
    }

    @Test
    void printsOneLinePerMailboxFromTheLedger() throws Exception {
        ApplicationRunner.Result result =
                ApplicationRunner.run("status", "--properties", settings().toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0))
                .contains("MAILBOX", "DELIVERED", "WAITING", "DEAD-LETTERED", "AT RISK", "PARKED", "LAST ERROR");
        assertThat(lines.get(0)).doesNotContain("READY");
        assertThat(lines.get(1)).startsWith(BOB).containsPattern(" 0 +0 +1 +1 +0 +- +poison again");
        assertThat(lines.get(2))
                .startsWith(ALICE)
                // never polled, no failed polls; 3 delivered, 1 waiting, 0 dead-lettered, 1 at risk, 0
                // parked; the last delivery's time (ISO, to the second): the columns in order.
                .containsPattern("never +0 +3 +1 +0 +1 +0 +\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z ")
                .contains("no space left");
    }

    @Test
    void printsJsonForScripts() throws Exception {
        ApplicationRunner.Result result =
                ApplicationRunner.run("--properties", settings().toString(), "status", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode body = JSON.readTree(result.out());
        assertThat(body.get("managementEndpoint").asBoolean()).isFalse();
        JsonNode alice = body.get("mailboxes").get(1);
        assertThat(alice.get("mailbox").asText()).isEqualTo(ALICE);
        assertThat(alice.get("delivered").asLong()).isEqualTo(3);
        assertThat(alice.get("waiting").asLong()).isEqualTo(1);
        assertThat(alice.get("deadLettered").asLong()).isZero();
        assertThat(alice.get("atRisk").asLong()).isEqualTo(1);
        assertThat(alice.get("lastDelivery").isNull()).isFalse();
        assertThat(alice.get("lastError").asText()).isEqualTo("FileSinkException: no space left");
        assertThat(alice.get("ready").isNull()).isTrue();
    }

    @Test
    void addsReadinessFromTheRunningInstance() throws Exception {
        HttpServer running = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] ready = ("{\"status\":\"DOWN\",\"checks\":[{\"name\":\"mailbox:" + ALICE + "\",\"status\":\"DOWN\","
                        + "\"reason\":\"files has been unavailable for 400 s\",\"mailbox\":\"" + ALICE + "\"},"
                        + "{\"name\":\"route:inbox-to-files\",\"status\":\"UP\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        running.createContext("/observe/health/ready", exchange -> {
            exchange.sendResponseHeaders(503, ready.length);
            exchange.getResponseBody().write(ready);
            exchange.close();
        });
        running.start();
        try {
            Path settings = settings("management.port=" + running.getAddress().getPort());
            ApplicationRunner.Result result = ApplicationRunner.run("status", "--properties", settings.toString());
            assertThat(result.exitCode()).as(result.err()).isZero();
            List<String> lines = result.out().lines().toList();
            assertThat(lines.get(0)).contains("READY");
            assertThat(lines.get(2))
                    .startsWith(ALICE)
                    .contains(" DOWN ")
                    .endsWith("files has been unavailable for 400 s");
            assertThat(lines.get(1)).startsWith(BOB).contains(" - ");
        } finally {
            running.stop(0);
        }
    }

    @Test
    void fallsBackToTheLedgerWhenNothingAnswersOnTheManagementPort() throws Exception {
        Path settings = settings("management.port=" + dev.mailpipe.testing.ManagementClient.freePort());
        ApplicationRunner.Result result = ApplicationRunner.run("status", "--properties", settings.toString());
        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).contains("no management endpoint answers");
        assertThat(result.out()).contains(ALICE).doesNotContain("READY");
    }
}
