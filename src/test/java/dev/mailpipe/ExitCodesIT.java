package dev.mailpipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.testing.JarProcess;
import dev.mailpipe.testing.SampleMessages;
import dev.mailpipe.testing.SettingsFiles;
import dev.mailpipe.testing.TestMailServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's exit-code table, row by row, on the packaged jar as a user runs it: 0 for --help and for
 * a SIGTERM of a running drain, 2 with the reason on stderr for a mistyped key, a folder without
 * routes and a broken YAML route; and a password with {@code {{...}}} that logs in as written.
 */
class ExitCodesIT {

    /** camel.main.shutdownTimeout of the bundled settings, plus the JVM's own start and stop. */
    private static final Duration SHUTDOWN_LIMIT = Duration.ofSeconds(30 + 15);

    private static final Duration START_ERROR_LIMIT = Duration.ofMinutes(1);

    private static final String LITERAL_PASSWORD = "p{{x}}w${y}d";

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    @TempDir
    Path workDir;

    private Path settings(String... lines) throws Exception {
        return SettingsFiles.write(workDir, lines);
    }

    private Path pop3sSettings(String password) throws Exception {
        return settings(
                "mailbox.host=localhost",
                "mailbox.port=" + greenMail.getPop3s().getPort(),
                "mailbox.username=" + TestMailServer.USER,
                "mailbox.caFile=" + TestMailServer.caFile(),
                "mailbox.pollDelay=200",
                password);
    }

    @Test
    void helpExitsZero() throws Exception {
        JarProcess help = JarProcess.start(workDir, Map.of(), "--help");
        assertThat(help.awaitExit(START_ERROR_LIMIT)).isZero();
        assertThat(help.stdout()).startsWith("Usage: java -jar mailpipe.jar");
    }

    @Test
    void aMistypedKeyExitsTwoNamingTheClosestKey() throws Exception {
        Path file =
                settings("mailbox.host=localhost", "mailbox.username=a", "mailbox.password=b", "mailbox.polldelay=5");
        JarProcess run = JarProcess.start(workDir, Map.of(), "--properties", file.toString());

        assertThat(run.awaitExit(START_ERROR_LIMIT)).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr())
                .contains("unknown setting mailbox.polldelay in " + file)
                .contains("did you mean mailbox.pollDelay?");
    }

    @Test
    void noRoutesInTheWorkingFolderExitsTwoSayingWhereItLooked() throws Exception {
        Path file = settings("mailbox.host=localhost", "mailbox.username=a", "mailbox.password=b");
        JarProcess run = JarProcess.start(workDir, Map.of(), "--properties", file.toString());

        assertThat(run.awaitExit(START_ERROR_LIMIT)).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr())
                .contains("no routes at " + workDir.toRealPath().resolve("routes/*.yaml")
                        + ": run from the project folder or set camel.main.routesIncludePattern");
    }

    @Test
    void aBrokenYamlRouteExitsTwoNamingFileLineAndColumn() throws Exception {
        Path routes = Files.createDirectories(workDir.resolve("routes"));
        SettingsFiles.copyResource("/broken-routes/syntax-error.camel.yaml", routes);
        Path file = settings("mailbox.host=localhost", "mailbox.username=a", "mailbox.password=b");
        JarProcess run = JarProcess.start(workDir, Map.of(), "--properties", file.toString());

        assertThat(run.awaitExit(START_ERROR_LIMIT)).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr()).contains("YAML error in file:routes/syntax-error.camel.yaml, line 8, column 13");
    }

    @Test
    void sigtermOfARunningDrainExitsZeroWithinTheShutdownTimeout() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        TestMailServer.deliverSamples(user, 5);
        JarProcess.copyRoutes(workDir);
        JarProcess run = JarProcess.start(
                workDir,
                Map.of(),
                "--properties",
                pop3sSettings("mailbox.password=" + TestMailServer.PASSWORD).toString());
        await().atMost(Duration.ofMinutes(1))
                .until(() -> !run.isAlive() || TestMailServer.messagesLeft(greenMail, user) == 0);
        assertThat(run.isAlive()).as(run.stdout()).isTrue();

        run.terminate();

        assertThat(run.awaitExit(SHUTDOWN_LIMIT)).as(run.stdout()).isZero();
        assertThat(run.stdout()).contains("SIGTERM received: stopping gracefully");
        assertThat(emlFiles()).hasSize(5);
    }

    @Test
    void aPasswordWithBracesFromTheEnvironmentLogsInAsWritten() throws Exception {
        GreenMailUser user = greenMail.setUser("braces@localhost", TestMailServer.USER, LITERAL_PASSWORD);
        TestMailServer.deliver(user, SampleMessages.message(1));
        JarProcess.copyRoutes(workDir);
        JarProcess run = JarProcess.start(
                workDir,
                Map.of("MAILBOX_PASSWORD", LITERAL_PASSWORD),
                "--properties",
                pop3sSettings("camel.main.durationMaxIdleSeconds=3").toString());

        assertThat(run.awaitExit(Duration.ofMinutes(1))).as(run.stdout()).isZero();
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isZero();
        assertThat(emlFiles()).hasSize(1);
        assertThat(run.stdout()).doesNotContain(LITERAL_PASSWORD);
    }

    private java.util.List<Path> emlFiles() throws Exception {
        try (Stream<Path> files = Files.walk(workDir.resolve("out"))) {
            return files.filter(f -> f.toString().endsWith(".eml")).toList();
        }
    }
}
