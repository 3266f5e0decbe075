package dev.mailpipe.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.config.BuildInfo;
import dev.mailpipe.testing.DovecotInterop;
import dev.mailpipe.testing.DovecotServer;
import dev.mailpipe.testing.JarProcess;
import dev.mailpipe.testing.TestMailServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release bundle as a user installs it: untarred into an empty folder, {@code bin/mailpipe}
 * prints its version, dumps its class-data sharing archive, runs the demo and drains Dovecot from
 * another working folder, with only {@code config/mailpipe.properties} edited.
 */
@Tag("interop")
class BundleInteropTest {

    private static final Path PROJECT_DIR = Path.of(System.getProperty("mailpipe.project.dir", "."));
    private static final Duration LIMIT = Duration.ofMinutes(2);

    @RegisterExtension
    static final DovecotInterop dovecot = new DovecotInterop();

    @TempDir
    Path dir;

    private Path install() throws Exception {
        String version = BuildInfo.current().version();
        Path bundle =
                PROJECT_DIR.resolve("target/mailpipe-" + version + ".tar.gz").toAbsolutePath();
        assertThat(bundle).as("mvn package makes the bundle").exists();
        Path opt = Files.createDirectories(dir.resolve("opt"));
        Process untar = new ProcessBuilder("tar", "xzf", bundle.toString(), "-C", opt.toString())
                .inheritIO()
                .start();
        assertThat(untar.waitFor()).isZero();
        Path home = opt.resolve("mailpipe-" + version);
        assertThat(home.resolve("bin/mailpipe")).isExecutable();
        assertThat(home.resolve("lib/mailpipe.jar")).exists();
        assertThat(home.resolve("config/mailpipe.properties")).exists();
        assertThat(home.resolve("routes/mailbox.camel.yaml")).exists();
        assertThat(home.resolve("routes/examples")).isDirectory();
        assertThat(home.resolve("deploy/systemd/mailpipe.service")).exists();
        assertThat(home.resolve("deploy/kubernetes/base/kustomization.yaml")).exists();
        for (String file : List.of("LICENSE", "README.md", "CHANGELOG.md")) {
            assertThat(home.resolve(file)).exists();
        }
        return home;
    }

    /** {@code bin/mailpipe ARGS} of the installed bundle, run in {@code workDir} with the tests' JDK. */
    private JarProcess mailpipe(Path home, Path workDir, String... args) throws Exception {
        List<String> command =
                new ArrayList<>(List.of(home.resolve("bin/mailpipe").toString()));
        command.addAll(List.of(args));
        return JarProcess.start(
                command, workDir, Map.of("JAVA_HOME", System.getProperty("java.home"), "JAVA_OPTS", ""));
    }

    @Test
    void theInstalledBundleRunsFromAnyFolder() throws Exception {
        Path home = install();
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));

        JarProcess version = mailpipe(home, elsewhere, "--version");
        assertThat(version.awaitExit(LIMIT)).isZero();
        assertThat(version.stdout().strip())
                .matches("mailpipe " + BuildInfo.current().version().replace(".", "\\.")
                        + " \\(Apache Camel 4\\.22\\.0, Java 17[^)]*\\)");

        JarProcess archive = mailpipe(home, elsewhere, "archive");
        assertThat(archive.awaitExit(LIMIT)).as(archive.stderr()).isZero();
        assertThat(home.resolve("lib/mailpipe.jsa")).exists();

        JarProcess demo = mailpipe(home, elsewhere, "--demo");
        assertThat(demo.awaitExit(LIMIT)).as(demo.stdout() + demo.stderr()).isZero();
        assertThat(demo.stdout()).contains("stored 5 of 5 messages");
        assertThat(elsewhere.resolve("mailpipe-demo-out")).isDirectory();

        DovecotServer server = dovecot.server();
        server.clearMailbox();
        server.deliverSamples(1, 5);
        Path data = dir.resolve("data");
        List<String> edits = new ArrayList<>(List.of(
                "mailbox.protocol = pop3",
                "mailbox.starttls = true",
                "mailbox.caFile = " + TestMailServer.caFile(),
                "mailbox.host = localhost",
                "mailbox.port = " + server.pop3Port(),
                "mailbox.username = " + TestMailServer.USER,
                "mailbox.password = " + TestMailServer.PASSWORD,
                "sink.files.dir = " + data.resolve("out"),
                "ledger.dir = " + data.resolve("ledger"),
                "camel.main.durationMaxIdleSeconds = 3"));
        Files.write(home.resolve("config/mailpipe.properties"), edits, StandardOpenOption.APPEND);
        Path another = Files.createDirectories(dir.resolve("another"));

        JarProcess drain = mailpipe(home, another);

        assertThat(drain.awaitExit(LIMIT)).as(drain.stdout() + drain.stderr()).isZero();
        assertThat(server.messagesLeft()).isZero();
        try (Stream<Path> files = Files.walk(data.resolve("out"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".eml"))).hasSize(5);
        }
        assertThat(drain.stdout()).contains("mailpipe " + BuildInfo.current().version());
    }
}
