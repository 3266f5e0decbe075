package dev.mailpipe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.testing.JarProcess;
import dev.mailpipe.testing.SampleMessages;
import dev.mailpipe.testing.SettingsFiles;
import dev.mailpipe.testing.TemplatedRoutes;
import dev.mailpipe.testing.TestMailServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rough edges a new user met in the first hour, each on the packaged jar: a status that shows a
 * mailbox that cannot be polled without the management port; a missing password file named as
 * such; -Dkey=value arguments; a per-mailbox error naming its route and account; a refused second
 * instance that logs no SIGTERM nobody sent nor a Log4j warning; a one-shot run of several mailboxes
 * that polls them at once and promises no retries it will not make; a help naming the launcher.
 */
class FirstHourIT {

    private static final Duration LIMIT = Duration.ofMinutes(1);

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    @TempDir
    Path workDir;

    private Path settings(String... lines) throws Exception {
        return SettingsFiles.write(workDir, lines);
    }

    private Path pop3s(String... more) throws Exception {
        java.util.List<String> lines = new java.util.ArrayList<>(java.util.List.of(
                "mailbox.host=localhost",
                "mailbox.port=" + greenMail.getPop3s().getPort(),
                "mailbox.username=" + TestMailServer.USER,
                "mailbox.caFile=" + TestMailServer.caFile()));
        lines.addAll(java.util.List.of(more));
        return settings(lines.toArray(String[]::new));
    }

    @Test
    void statusWithoutTheManagementPortShowsAMailboxThatCannotBePolled() throws Exception {
        TestMailServer.user(greenMail);
        JarProcess.copyRoutes(workDir);
        Path file = pop3s("mailbox.password=wrong", "mailbox.pollDelay=200", "camel.main.durationMaxIdleSeconds=2");
        JarProcess run = JarProcess.start(workDir, Map.of(), "--properties", file.toString());
        assertThat(run.awaitExit(LIMIT)).as(run.stdout()).isEqualTo(3);

        JarProcess status = JarProcess.start(workDir, Map.of(), "status", "--properties", file.toString());
        assertThat(status.awaitExit(LIMIT)).as(status.stderr()).isZero();
        String mailbox = "pop3s://" + TestMailServer.USER + "@localhost:"
                + greenMail.getPop3s().getPort();
        assertThat(status.stdout())
                .contains(mailbox)
                .contains("poll(s) failed in a row: login rejected (wrong username or password")
                .doesNotContain("wrong\n");

        JarProcess json = JarProcess.start(workDir, Map.of(), "status", "--json", "--properties", file.toString());
        assertThat(json.awaitExit(LIMIT)).isZero();
        JsonNode row =
                new ObjectMapper().readTree(json.stdout()).get("mailboxes").get(0);
        assertThat(row.get("mailbox").asText()).isEqualTo(mailbox);
        assertThat(row.get("failedPollsInARow").asInt()).isPositive();
        assertThat(row.get("lastPollError").asText()).startsWith("login rejected");
        assertThat(row.get("lastSuccessfulPoll").isNull()).isTrue();
    }

    @Test
    void aMissingPasswordFileIsNamedWithItsSetting() throws Exception {
        JarProcess.copyRoutes(workDir);
        Path missing = workDir.resolve("no-such-password");
        JarProcess run = JarProcess.start(
                workDir,
                Map.of(),
                "--properties",
                pop3s("mailbox.passwordFile=" + missing).toString());

        assertThat(run.awaitExit(LIMIT)).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr())
                .contains("mailbox.passwordFile names a file that cannot be read: " + missing + " (no such file)")
                .doesNotContain("no routes at");
    }

    @Test
    void settingsGivenAsDashDArgumentsAreTaken() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        TestMailServer.deliver(user, SampleMessages.message(1));
        JarProcess.copyRoutes(workDir);
        JarProcess run = JarProcess.start(
                workDir,
                Map.of(),
                "--properties",
                pop3s().toString(),
                "-Dmailbox.password=" + TestMailServer.PASSWORD,
                "-Dsink.files.dir=relative-out",
                "-Dcamel.main.durationMaxIdleSeconds=2");

        assertThat(run.awaitExit(LIMIT)).as(run.stdout() + run.stderr()).isZero();
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isZero();
        // The folder given as a relative path, named as an absolute one: a service's working folder
        // is not obvious to whoever reads its log.
        assertThat(run.stdout()).contains("files in " + workDir.toRealPath().resolve("relative-out"));
    }

    @Test
    void aMailboxesConfigurationErrorNamesItsRouteAndAccount() throws Exception {
        JarProcess.copyRoutes(workDir);
        Files.writeString(
                workDir.resolve("routes/support.camel.yaml"),
                TemplatedRoutes.mailbox(
                        "support",
                        Map.of("host", "localhost", "username", "support", "passwordEnv", "SUPPORT_POP_PASSWORD")));
        JarProcess run = JarProcess.start(
                workDir, Map.of(), "--properties", settings("ledger.dir=ledger").toString());

        assertThat(run.awaitExit(LIMIT)).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr())
                .contains("route support: Mailbox support@localhost: passwordEnv names the environment variable"
                        + " SUPPORT_POP_PASSWORD, which is not set");
    }

    @Test
    void aSecondInstanceOnTheSameLedgerExitsTwoWithoutAShutdownItWasNotSent() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        TestMailServer.deliver(user, SampleMessages.message(1));
        JarProcess.copyRoutes(workDir);
        Path file = pop3s("mailbox.password=" + TestMailServer.PASSWORD, "mailbox.pollDelay=200");
        JarProcess first = JarProcess.start(workDir, Map.of(), "--properties", file.toString());
        try {
            org.awaitility.Awaitility.await()
                    .atMost(LIMIT)
                    .until(() -> !first.isAlive() || TestMailServer.messagesLeft(greenMail, user) == 0);
            assertThat(first.isAlive()).as(first.stdout()).isTrue();

            // A check beside the running instance says it holds the ledger, and disturbs nothing.
            JarProcess check = JarProcess.start(workDir, Map.of(), "check", "--properties", file.toString());
            assertThat(check.awaitExit(LIMIT))
                    .as(check.stdout() + check.stderr())
                    .isZero();
            assertThat(check.stdout()).contains("LEDGER   ok").contains("a running mailpipe holds it");
            assertThat(first.isAlive()).isTrue();

            JarProcess second = JarProcess.start(workDir, Map.of(), "--properties", file.toString());

            assertThat(second.awaitExit(LIMIT)).as(second.stderr()).isEqualTo(2);
            assertThat(second.stderr()).contains("is in use by another mailpipe process");
            assertThat(second.stdout() + second.stderr())
                    .doesNotContain("SIGTERM")
                    .doesNotContain("Unable to register Log4j shutdown hook");
        } finally {
            first.terminate();
            first.awaitExit(LIMIT);
        }
    }

    @Test
    void aOneShotRunPollsEveryMailboxAtOnceAndPromisesNoRetriesItWillNotMake() throws Exception {
        JarProcess.copyRoutes(workDir);
        StringBuilder routes = new StringBuilder();
        Map<String, GreenMailUser> users = new LinkedHashMap<>();
        for (String name : java.util.List.of("one", "two", "three")) {
            GreenMailUser user = greenMail.setUser(name + "@localhost", name, "pw-" + name);
            users.put(name, user);
            TestMailServer.deliver(user, SampleMessages.message(1));
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("host", "localhost");
            parameters.put("port", Integer.toString(greenMail.getPop3s().getPort()));
            parameters.put("username", name);
            parameters.put("password", name.equals("three") ? "wrong" : "pw-" + name);
            parameters.put("caFile", TestMailServer.caFile().toString());
            routes.append(TemplatedRoutes.mailbox(name, parameters));
        }
        Files.writeString(workDir.resolve("routes/fleet.camel.yaml"), routes);
        // A poll interval far longer than the run: spread first polls would keep it going for a minute.
        Path file = settings("mailbox.pollDelay=60000", "camel.main.durationMaxIdleSeconds=2", "ledger.dir=ledger");
        long started = System.nanoTime();
        JarProcess run = JarProcess.start(workDir, Map.of(), "--properties", file.toString());

        assertThat(run.awaitExit(LIMIT)).as(run.stdout()).isEqualTo(3);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(45));
        assertThat(run.stdout())
                .contains("One-shot run ends: mailbox pop3s://one@")
                .contains("One-shot run ends: mailbox pop3s://two@")
                .contains("This one-shot run does not retry it")
                .doesNotContain("Retrying every 60000 ms.");
        assertThat(TestMailServer.messagesLeft(greenMail, users.get("one"))).isZero();
        assertThat(TestMailServer.messagesLeft(greenMail, users.get("two"))).isZero();
        assertThat(TestMailServer.messagesLeft(greenMail, users.get("three"))).isEqualTo(1);
    }

    @Test
    void messagesDeliveredBeforeARestartAreSummedUpInOneLine() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        TestMailServer.deliverSamples(user, 3);
        JarProcess.copyRoutes(workDir);
        // Kept on the server by choice: each poll sees them again, and says nothing about it at INFO.
        JarProcess keep = JarProcess.start(
                workDir,
                Map.of(),
                "--properties",
                pop3s(
                                "mailbox.password=" + TestMailServer.PASSWORD,
                                "mailbox.delete=false",
                                "mailbox.pollDelay=200",
                                "camel.main.durationMaxIdleSeconds=2")
                        .toString());
        assertThat(keep.awaitExit(LIMIT)).as(keep.stdout()).isZero();
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isEqualTo(3);
        assertThat(keep.stdout()).doesNotContain("before").doesNotContain("deleting");

        // As after a kill -9 between the ledger's record and the QUIT: delivered, not deleted.
        JarProcess restart = JarProcess.start(
                workDir,
                Map.of(),
                "--properties",
                pop3s(
                                "mailbox.password=" + TestMailServer.PASSWORD,
                                "mailbox.pollDelay=200",
                                "camel.main.durationMaxIdleSeconds=2")
                        .toString());
        assertThat(restart.awaitExit(LIMIT)).as(restart.stdout()).isZero();
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isZero();
        assertThat(restart.stdout().lines().filter(line -> line.contains("before")))
                .singleElement()
                .asString()
                .contains("3 message(s) delivered before a restart were deleted without delivering them again");
    }

    @Test
    void aPlainClientAtASilentPortConnectsOncePerPoll() throws Exception {
        JarProcess.copyRoutes(workDir);
        java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
        List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                        connections.incrementAndGet();
                    }
                } catch (java.io.IOException e) {
                    // closed: the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            // One poll: its interval is longer than the one-shot run, which retries nothing.
            Path file = settings(
                    "mailbox.protocol=pop3",
                    "mailbox.host=localhost",
                    "mailbox.port=" + silent.getLocalPort(),
                    "mailbox.username=a",
                    "mailbox.password=b",
                    "mailbox.starttls=true",
                    "mailbox.connectTimeout=1000",
                    "mailbox.pollDelay=60000",
                    "camel.main.durationMaxIdleSeconds=2");
            JarProcess run = JarProcess.start(workDir, Map.of(), "--properties", file.toString());

            assertThat(run.awaitExit(LIMIT)).as(run.stdout()).isEqualTo(3);
            assertThat(run.stdout()).contains("no POP3 greeting from localhost:" + silent.getLocalPort());
            assertThat(connections.get())
                    .as("connections of the run's one poll")
                    .isEqualTo(1);
        } finally {
            for (java.net.Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void aOneShotRunOfMailboxesPollingOftenEndsWithinItsIdleLimitAndAPoll() throws Exception {
        JarProcess.copyRoutes(workDir);
        StringBuilder routes = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
            GreenMailUser user = greenMail.setUser("often" + i + "@localhost", "often" + i, "pw");
            TestMailServer.deliver(user, SampleMessages.message(i));
            routes.append(TemplatedRoutes.mailbox(
                    "often" + i,
                    Map.of(
                            "host",
                            "localhost",
                            "port",
                            Integer.toString(greenMail.getPop3s().getPort()),
                            "username",
                            "often" + i,
                            "password",
                            "pw",
                            "caFile",
                            TestMailServer.caFile().toString())));
        }
        Files.writeString(workDir.resolve("routes/often.camel.yaml"), routes);
        Path file = settings("mailbox.pollDelay=500", "camel.main.durationMaxIdleSeconds=3", "ledger.dir=ledger");
        long started = System.nanoTime();
        JarProcess run = JarProcess.start(workDir, Map.of(), "--properties", file.toString());

        assertThat(run.awaitExit(LIMIT)).as(run.stdout()).isZero();
        // The JVM's start, the drain of ten messages, three idle seconds and a poll: well under 30 s.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void theLaunchersHelpNamesTheLauncher() throws Exception {
        JarProcess help = JarProcess.startLauncher(workDir, Map.of(), "--help");

        assertThat(help.awaitExit(LIMIT)).isZero();
        assertThat(help.stdout()).contains("bin/mailpipe check [--json]").doesNotContain("java -jar");
    }
}
