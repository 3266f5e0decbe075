package dev.mailpipe.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailpipe.config.BuildInfo;
import dev.mailpipe.testing.DovecotInterop;
import dev.mailpipe.testing.DovecotServer;
import dev.mailpipe.testing.ManagementClient;
import dev.mailpipe.testing.TestMailServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image, built from the release bundle with Podman and run for real against Dovecot on
 * the host network: it drains 50 messages as a non-root user into its volume, answers the health
 * endpoint from the host, stops gracefully on SIGTERM (exit 0 within 10 s), and a new container on
 * the same volume stores nothing twice. Reports the image's size and its time to ready. Needs
 * Podman and the base image {@value #BASE} ({@code scripts/container-base-image.sh}); skipped,
 * saying why, without them.
 */
@Tag("container")
class ContainerImageTest {

    static final String BASE = "localhost/debian-jre17";
    private static final Path PROJECT_DIR = Path.of(System.getProperty("mailpipe.project.dir", "."));
    private static final String IMAGE =
            "localhost/mailpipe:" + BuildInfo.current().version();
    private static final Duration LIMIT = Duration.ofMinutes(3);

    @RegisterExtension
    static final DovecotInterop dovecot = new DovecotInterop();

    @TempDir
    Path dir;

    private final List<String> containers = new ArrayList<>();

    @AfterEach
    void removeContainers() throws Exception {
        for (String name : containers) {
            podman(Duration.ofMinutes(1), "rm", "-f", name);
        }
    }

    @Test
    void theImageDrainsAsNonRootStopsGracefullyAndKeepsItsStateInTheVolume() throws Exception {
        Assumptions.assumeTrue(
                podman(Duration.ofMinutes(1), "image", "exists", BASE).exitCode() == 0,
                "Podman or the base image " + BASE + " is missing (scripts/container-base-image.sh); skipping");
        Result build = podman(
                Duration.ofMinutes(10),
                "build",
                "--build-arg",
                "BASE=" + BASE,
                "--build-arg",
                "VERSION=" + BuildInfo.current().version(),
                "-t",
                IMAGE,
                "-f",
                PROJECT_DIR.resolve("Containerfile").toString(),
                PROJECT_DIR.toString());
        assertThat(build.exitCode()).as(build.output()).isZero();
        long size = Long.parseLong(podman(Duration.ofMinutes(1), "image", "inspect", "--format", "{{.Size}}", IMAGE)
                .output()
                .strip());
        Result user = podman(Duration.ofMinutes(1), "run", "--rm", "--entrypoint", "id", IMAGE, "-u");
        assertThat(user.output().strip()).as("the image's user").isEqualTo("10001");

        DovecotServer server = dovecot.server();
        server.clearMailbox();
        server.deliverSamples(1, 50);
        Path volume = Files.createDirectories(dir.resolve("volume"));
        // The container's user (10001, group 0) must write into the bind-mounted folder.
        Files.setPosixFilePermissions(volume, PosixFilePermissions.fromString("rwxrwxrwx"));
        ManagementClient management = new ManagementClient(ManagementClient.freePort());

        long started = System.nanoTime();
        String first = run(server, volume, management);
        await().atMost(LIMIT).until(() -> management.status("/observe/health/ready") == 200);
        Duration toReady = Duration.ofNanos(System.nanoTime() - started);
        await().atMost(LIMIT).until(() -> server.messagesLeft() == 0);
        HttpResponse<String> health = management.get("/observe/health");
        assertThat(health.body())
                .contains("\"version\" : \"" + BuildInfo.current().version() + "\"");
        assertThat(emlFiles(volume)).hasSize(50);

        long stopping = System.nanoTime();
        Result stop = podman(Duration.ofMinutes(1), "stop", "--time", "10", first);
        Duration stopTook = Duration.ofNanos(System.nanoTime() - stopping);
        assertThat(stop.exitCode()).as(stop.output()).isZero();
        assertThat(podman(Duration.ofMinutes(1), "inspect", "--format", "{{.State.ExitCode}}", first)
                        .output()
                        .strip())
                .as("exit code after SIGTERM; log: "
                        + podman(Duration.ofMinutes(1), "logs", first).output())
                .isEqualTo("0");
        assertThat(stopTook).isLessThan(Duration.ofSeconds(10));

        server.deliverSamples(51, 10);
        String second = run(server, volume, management);
        await().atMost(LIMIT).until(() -> server.messagesLeft() == 0);
        assertThat(emlFiles(volume)).as("nothing stored twice").hasSize(60);
        podman(Duration.ofMinutes(1), "stop", "--time", "10", second);

        System.out.printf(
                "container image %s: %.0f MB; ready %.1f s after podman run; stopped in %.1f s%n",
                IMAGE, size / 1e6, toReady.toMillis() / 1000.0, stopTook.toMillis() / 1000.0);
    }

    /** Starts the image on the host network against Dovecot, every setting by environment. */
    private String run(DovecotServer server, Path volume, ManagementClient management) throws Exception {
        String name = "mailpipe-test-" + UUID.randomUUID().toString().substring(0, 8);
        containers.add(name);
        Path ca = Files.copy(TestMailServer.caFile(), dir.resolve(name + "-ca.pem"));
        Files.setPosixFilePermissions(ca, PosixFilePermissions.fromString("rw-r--r--"));
        Result run = podman(
                Duration.ofMinutes(1),
                "run",
                "-d",
                "--name",
                name,
                "--network",
                "host",
                "-v",
                volume + ":/var/lib/mailpipe",
                "-v",
                ca + ":/etc/mailpipe/ca.pem:ro",
                "-e",
                "MAILBOX_PROTOCOL=pop3",
                "-e",
                "MAILBOX_STARTTLS=true",
                "-e",
                "MAILBOX_CAFILE=/etc/mailpipe/ca.pem",
                "-e",
                "MAILBOX_HOST=localhost",
                "-e",
                "MAILBOX_PORT=" + server.pop3Port(),
                "-e",
                "MAILBOX_USERNAME=" + TestMailServer.USER,
                "-e",
                "MAILBOX_PASSWORD=" + TestMailServer.PASSWORD,
                "-e",
                "MAILBOX_POLLDELAY=500",
                "-e",
                "MANAGEMENT_PORT=" + management.port(),
                IMAGE);
        assertThat(run.exitCode()).as(run.output()).isZero();
        return name;
    }

    private static List<Path> emlFiles(Path volume) throws IOException {
        try (Stream<Path> files = Files.walk(volume.resolve("out"))) {
            return files.filter(f -> f.toString().endsWith(".eml")).toList();
        }
    }

    record Result(int exitCode, String output) {}

    /** Runs podman as TESTING.md says it runs here: runc, cgroupfs, no default ulimits. */
    static Result podman(Duration limit, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("podman", "--runtime", "runc"));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("podman-", ".txt");
        Path conf = Files.createTempFile("containers-", ".conf");
        Files.writeString(conf, "[containers]\ndefault_ulimits = []\n[engine]\ncgroup_manager = \"cgroupfs\"\n");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("CONTAINERS_CONF", conf.toString());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Result(127, "podman is not installed: " + e.getMessage());
        }
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("podman " + String.join(" ", args) + " did not end within " + limit);
        }
        try {
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(conf);
        }
    }
}
