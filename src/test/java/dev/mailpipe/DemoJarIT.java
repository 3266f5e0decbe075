package dev.mailpipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command against the packaged jar: {@code java -jar target/mailpipe.jar --demo}
 * exits 0 and leaves one .eml per seeded message. Runs after {@code package} (failsafe), so it also
 * proves the shaded jar merged Camel's and Angus Mail's service files.
 */
class DemoJarIT {

    private static final Path PROJECT_DIR = Path.of(System.getProperty("mailpipe.project.dir", "."));

    @TempDir
    Path workDir;

    private Process start(Path dir, String... args) throws IOException {
        String[] command = new String[args.length + 3];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        command[1] = "-jar";
        command[2] = PROJECT_DIR.resolve("target/mailpipe.jar").toAbsolutePath().toString();
        System.arraycopy(args, 0, command, 3, args.length);
        return new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
    }

    @Test
    void demoDrainsTheEmbeddedMailboxIntoOneEmlPerMessage() throws Exception {
        copyRoutes(workDir.resolve("routes"));
        Process demo = start(workDir, "--demo");
        String output = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(demo.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(demo.exitValue()).as(output).isZero();
        assertThat(output).contains("stored 5 of 5 messages").contains("the mailbox now holds 0");
        try (Stream<Path> files = Files.walk(workDir.resolve("mailpipe-out"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".eml"))).hasSize(5);
        }
    }

    @Test
    void demoRunsOutsideTheProjectFolderWithTheRoutesInsideTheJar() throws Exception {
        Process demo = start(workDir, "--demo");
        String output = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(demo.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(demo.exitValue()).as(output).isZero();
    }

    @Test
    void helpPrintsUsage() throws Exception {
        Process help = start(workDir, "--help");
        String output = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(help.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(help.exitValue()).isZero();
        assertThat(output).startsWith("Usage: java -jar mailpipe.jar");
    }

    private static void copyRoutes(Path target) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> routes = Files.list(PROJECT_DIR.resolve("routes"))) {
            for (Path route : routes.toList()) {
                Files.copy(route, target.resolve(route.getFileName()));
            }
        }
    }
}
