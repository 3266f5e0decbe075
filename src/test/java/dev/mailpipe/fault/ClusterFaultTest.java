package dev.mailpipe.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.ManagementClient;
import dev.mailpipe.testing.Pop3Proxy;
import dev.mailpipe.testing.RunnerProcess;
import dev.mailpipe.testing.SampleMessages;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TestMailServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Three instances (separate JVMs, the packaged jar in the fault profile) share 30 mailboxes on the
 * shared ledger, with each backend: each holds its share (8 to 12), no mailbox is ever logged into
 * by two at once (the proxy locks each maildrop and would answer [IN-USE]), a kill -9'd instance's
 * mailboxes are drained by the others within the lease plus a poll, the restarted instance takes
 * its share back, and every message is delivered exactly once.
 */
@Tag("fault")
class ClusterFaultTest {

    private static final int MAILBOXES = 30;
    private static final int PER_ROUND = 3;
    private static final int LEASE_SECONDS = 6;
    private static final Pattern HOLDS =
            Pattern.compile("Cluster: this instance \\(\\w+\\) (now polls|no longer polls) mailbox/(\\S+?):?(\\s|$)");
    private static final Pattern DELIVERED = Pattern.compile("Delivered \\S+ as (\\S+) \\(");

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    @TempDir
    Path dir;

    private final Map<String, List<byte[]>> sent = new HashMap<>();
    private int round;

    @ParameterizedTest
    @ValueSource(strings = {"ledger", "file"})
    void threeInstancesShareThirtyMailboxesAndTakeOverAKilledOnesShare(String backend) throws Exception {
        List<GreenMailUser> users = new ArrayList<>();
        for (int i = 1; i <= MAILBOXES; i++) {
            users.add(greenMail.setUser(user(i) + "@localhost", user(i), "pw-" + i));
        }
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                Pop3Proxy server = new Pop3Proxy(greenMail.getPop3().getPort(), Pop3Proxy.Cut.LOCK_MAILDROP, 0)) {
            Path settings = settings(backend, postgres, server.port());
            ManagementClient management = new ManagementClient(ManagementClient.freePort());
            RunnerProcess a = start(settings, "a", Map.of("MANAGEMENT_PORT", Integer.toString(management.port())));
            RunnerProcess b = start(settings, "b");
            RunnerProcess c = start(settings, "c");
            awaitShares(List.of(a, b, c));
            // Read twice, log and health, while leases may still move: the two agree once they settle.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertHealthServesWhatIsHeld(management, a));

            deliverRound(users);
            awaitDrained(users, Duration.ofMinutes(2));

            c.killHard();
            long killed = System.nanoTime();
            deliverRound(users);
            // Every mailbox, the killed instance's included, is drained: its leases run out, the
            // others take them at their next heartbeat (1 s) and poll within pollDelay (0.5 s); the
            // rest is the drain itself and a busy machine's slack.
            awaitDrained(users, Duration.ofSeconds(LEASE_SECONDS + 10));
            Duration takeover = Duration.ofNanos(System.nanoTime() - killed);

            RunnerProcess restarted = start(settings, "c");
            awaitShares(List.of(a, b, restarted));
            deliverRound(users);
            awaitDrained(users, Duration.ofMinutes(2));

            for (RunnerProcess instance : List.of(a, b, restarted)) {
                instance.terminate();
                assertThat(instance.awaitExit(2))
                        .as("clean stop; see " + instance.log())
                        .isZero();
            }
            assertThat(server.lockRefusals())
                    .as("logins refused because another instance held the maildrop")
                    .isZero();
            List<String> deliveries = new ArrayList<>();
            for (RunnerProcess instance : List.of(a, b, c, restarted)) {
                deliveries.addAll(delivered(instance.log()));
            }
            assertThat(deliveries)
                    .as("each message delivered once")
                    .hasSize(MAILBOXES * PER_ROUND * 3)
                    .doesNotHaveDuplicates();
            for (int i = 1; i <= MAILBOXES; i++) {
                MailboxId mailbox = new MailboxId("pop3", "localhost", server.port(), user(i));
                StoredMessages.assertExactly(
                        new FilesLayout(dir.resolve("out"), mailbox).mailboxFolder(), sent.get(user(i)));
            }
            System.out.printf(
                    "cluster %s: the killed instance's mailboxes were drained %.1f s after the kill%n",
                    backend, takeover.toMillis() / 1000.0);
        }
    }

    private RunnerProcess start(Path settings, String instance) throws Exception {
        return start(settings, instance, Map.of());
    }

    private RunnerProcess start(Path settings, String instance, Map<String, String> environment) throws Exception {
        Map<String, String> variables = new HashMap<>(environment);
        variables.put("LEDGER_INSTANCEID", instance);
        return RunnerProcess.start(
                settings,
                List.of("-Xmx256m", "-Dlog4j2.configurationFile=" + logConfig()),
                variables,
                dir.resolve(instance + "-" + System.nanoTime() + ".log"));
    }

    /**
     * The README's promise on the packaged jar: {@code /observe/health}'s {@code cluster} check lists
     * the mailbox routes this instance holds (as its log says), and each mailbox check says whether
     * this instance polls it.
     */
    private static void assertHealthServesWhatIsHeld(ManagementClient management, RunnerProcess instance)
            throws Exception {
        JsonNode health =
                new ObjectMapper().readTree(management.get("/observe/health").body());
        Set<String> served = new LinkedHashSet<>();
        int polledHere = 0;
        for (JsonNode check : health.get("checks")) {
            if (check.get("name").asText().equals("cluster")) {
                check.get("held").forEach(route -> served.add(route.asText()));
            }
            if (check.get("name").asText().startsWith("mailbox:")
                    && check.path("polledHere").asBoolean(false)) {
                polledHere++;
            }
        }
        Set<String> logged = new LinkedHashSet<>();
        held(instance.log()).forEach(route -> logged.add("mailbox/" + route));
        assertThat(served).as("the cluster check's held routes").isEqualTo(logged);
        assertThat(polledHere).as("mailbox checks with polledHere: true").isEqualTo(logged.size());
    }

    /** Every mailbox held by exactly one of the instances, each holding 8 to 12. */
    private void awaitShares(List<RunnerProcess> instances) {
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    List<Set<String>> held = new ArrayList<>();
                    for (RunnerProcess instance : instances) {
                        held.add(held(instance.log()));
                    }
                    Set<String> all = new LinkedHashSet<>();
                    int total = 0;
                    for (Set<String> share : held) {
                        if (share.size() < 8 || share.size() > 12) {
                            return false;
                        }
                        all.addAll(share);
                        total += share.size();
                    }
                    return all.size() == MAILBOXES && total == MAILBOXES;
                });
    }

    private void deliverRound(List<GreenMailUser> users) {
        round++;
        for (int i = 0; i < users.size(); i++) {
            for (int n = 1; n <= PER_ROUND; n++) {
                byte[] raw = SampleMessages.message(1000 * round + 100 * i + n);
                TestMailServer.deliver(users.get(i), raw);
                sent.computeIfAbsent(user(i + 1), u -> new ArrayList<>()).add(raw);
            }
        }
    }

    private static void awaitDrained(List<GreenMailUser> users, Duration within) {
        await().atMost(within)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> users.stream().allMatch(user -> TestMailServer.messagesLeft(greenMail, user) == 0));
    }

    /** The mailboxes an instance holds now, by its log's leadership lines. */
    private static Set<String> held(Path log) throws Exception {
        Set<String> held = new LinkedHashSet<>();
        if (!Files.exists(log)) {
            return held;
        }
        for (String line : Files.readAllLines(log)) {
            Matcher change = HOLDS.matcher(line);
            if (change.find()) {
                if (change.group(1).equals("now polls")) {
                    held.add(change.group(2));
                } else {
                    held.remove(change.group(2));
                }
            }
        }
        return held;
    }

    private static List<String> delivered(Path log) throws Exception {
        List<String> files = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            Matcher delivered = DELIVERED.matcher(line);
            if (delivered.find()) {
                files.add(delivered.group(1));
            }
        }
        return files;
    }

    private Path settings(String backend, EmbeddedPostgres postgres, int port) throws Exception {
        StringBuilder routes = new StringBuilder();
        for (int i = 1; i <= MAILBOXES; i++) {
            routes.append("""
                    - templatedRoute:
                        routeTemplateRef: mailbox
                        routeId: fleet.%s
                        parameters:
                          - name: host
                            value: localhost
                          - name: username
                            value: %s
                          - name: password
                            value: pw-%d
                    """.formatted(user(i), user(i), i));
        }
        Path fleet = Files.writeString(dir.resolve("fleet.camel.yaml"), routes);
        Path shipped = KillNineFaultTest.routes();
        return Files.writeString(
                dir.resolve("mailpipe.properties"),
                String.join(
                        "\n",
                        "mailbox.protocol=pop3",
                        "mailbox.port=" + port,
                        "mailbox.pollDelay=500",
                        "mailbox.batchSize=10",
                        "sink.files.dir=" + dir.resolve("out"),
                        "ledger.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                        "ledger.username=postgres",
                        "cluster.enabled=true",
                        "cluster.backend=" + backend,
                        "cluster.root=" + dir.resolve("cluster"),
                        "cluster.leaseSeconds=" + LEASE_SECONDS,
                        "cluster.heartbeatSeconds=1",
                        "camel.main.routesIncludePattern=file:" + shipped + "/mailbox.camel.yaml,file:" + shipped
                                + "/mailpipe-errors.camel.yaml,file:" + fleet));
    }

    /** The console log with the routes' per-message "Delivered" lines (their loggers are the route ids). */
    private Path logConfig() throws Exception {
        Path config = dir.resolve("log4j2-cluster.xml");
        if (!Files.exists(config)) {
            Files.writeString(config, """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <Configuration status="WARN">
                      <Appenders>
                        <Console name="console" target="SYSTEM_OUT">
                          <PatternLayout pattern="%d{HH:mm:ss.SSS} %-5level %c{1} - %msg%n"/>
                        </Console>
                      </Appenders>
                      <Loggers>
                        <Logger name="fleet" level="DEBUG"/>
                        <Logger name="com.icegreen.greenmail" level="WARN"/>
                        <Root level="INFO">
                          <AppenderRef ref="console"/>
                        </Root>
                      </Loggers>
                    </Configuration>
                    """);
        }
        return config;
    }

    private static String user(int i) {
        return String.format("u%02d", i);
    }
}
