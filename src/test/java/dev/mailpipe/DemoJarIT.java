package dev.mailpipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.testing.JarProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo on the packaged jar without the launcher ({@link LauncherIT} runs the README's command):
 * {@code java -jar target/mailpipe.jar --demo} exits 0 and leaves one .eml per seeded message. Runs after {@code package} (failsafe), so it also
 * proves the shaded jar merged Camel's and Angus Mail's service files.
 */
class DemoJarIT {

    @TempDir
    Path workDir;

    @Test
    void demoDrainsTheEmbeddedMailboxIntoOneEmlPerMessage() throws Exception {
        JarProcess.copyRoutes(workDir);
        JarProcess demo = JarProcess.start(workDir, Map.of(), "--demo");

        assertThat(demo.awaitExit(Duration.ofMinutes(2))).as(demo.stdout()).isZero();
        assertThat(demo.stdout()).contains("stored 5 of 5 messages").contains("the mailbox now holds 0");
        try (Stream<Path> files = Files.walk(workDir.resolve("mailpipe-demo-out"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".eml"))).hasSize(5);
        }
    }

    @Test
    void demoRunsOutsideTheProjectFolderWithTheRoutesInsideTheJar() throws Exception {
        JarProcess demo = JarProcess.start(workDir, Map.of(), "--demo");
        assertThat(demo.awaitExit(Duration.ofMinutes(2))).as(demo.stdout()).isZero();
    }
}
