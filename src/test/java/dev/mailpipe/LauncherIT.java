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
 * The README's run command, {@code bin/mailpipe}: it runs the packaged jar with the class-data
 * archive that {@code mvn package} dumped, passes arguments, JVM options and exit codes on, and
 * starts silently without the archive when it does not match the jar.
 */
class LauncherIT {

    @TempDir
    Path workDir;

    @Test
    void theDemoStartsFromTheArchiveTheBuildDumped() throws Exception {
        JarProcess.copyRoutes(workDir);
        Path classes = workDir.resolve("classes.log");
        JarProcess demo = JarProcess.startLauncher(
                workDir, Map.of("JAVA_OPTS", "-Xlog:class+load=info:file=" + classes), "--demo");

        assertThat(demo.awaitExit(Duration.ofMinutes(2))).as(demo.stdout()).isZero();
        assertThat(demo.stdout()).contains("stored 5 of 5 messages").contains("the mailbox now holds 0");
        try (Stream<Path> files = Files.walk(workDir.resolve("mailpipe-out"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".eml"))).hasSize(5);
        }
        assertThat(Files.readString(classes))
                .contains("dev.mailpipe.Application source: shared objects file")
                .contains("dev.mailpipe.demo.DemoRun source: shared objects file");
        assertThat(demo.stderr()).doesNotContainIgnoringCase("warning");
    }

    @Test
    void exitCodesComeThrough() throws Exception {
        JarProcess wrong = JarProcess.startLauncher(workDir, Map.of(), "--no-such-option");
        assertThat(wrong.awaitExit(Duration.ofMinutes(1))).isEqualTo(2);
        JarProcess help = JarProcess.startLauncher(workDir, Map.of(), "--help");
        assertThat(help.awaitExit(Duration.ofMinutes(1))).isZero();
        assertThat(help.stdout()).contains("--demo");
    }

    @Test
    void aJarMovedAwayFromItsArchiveStartsWithoutItSilently() throws Exception {
        // The archive names the jar by the path it had when it was dumped: a copy elsewhere no longer matches.
        Path jar = Files.copy(JarProcess.jar(), workDir.resolve("mailpipe.jar"));
        Files.copy(JarProcess.jar().resolveSibling("mailpipe.jsa"), workDir.resolve("mailpipe.jsa"));
        Path classes = workDir.resolve("classes.log");
        JarProcess help = JarProcess.startLauncher(
                workDir,
                Map.of("MAILPIPE_JAR", jar.toString(), "JAVA_OPTS", "-Xlog:class+load=info:file=" + classes),
                "--help");

        assertThat(help.awaitExit(Duration.ofMinutes(1))).isZero();
        assertThat(Files.readString(classes)).contains("dev.mailpipe.Application source: file:");
        assertThat(help.stdout() + help.stderr())
                .doesNotContainIgnoringCase("shared archive")
                .doesNotContainIgnoringCase("[cds")
                .doesNotContainIgnoringCase("warning");
    }
}
