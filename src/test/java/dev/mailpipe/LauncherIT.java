package dev.mailpipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.mailpipe.testing.JarProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, {@code bin/mailpipe}: it runs the packaged jar with the class-data
 * archive that {@code mvn package} dumped, passes arguments, JVM options and exit codes on, starts
 * silently without the archive when it does not match the jar, and uses one dumped for a jar
 * elsewhere as the README says.
 */
class LauncherIT {

    @TempDir
    Path workDir;

    @Test
    void theDemoStartsFromTheArchiveTheBuildDumped() throws Exception {
        assumeFalse(Boolean.getBoolean("cds.skip"), "built with -Dcds.skip: no archive");
        JarProcess.copyRoutes(workDir);
        Path classes = workDir.resolve("classes.log");
        JarProcess demo = JarProcess.startLauncher(
                workDir, Map.of("JAVA_OPTS", "-Xlog:class+load=info:file=" + classes), "--demo");

        assertThat(demo.awaitExit(Duration.ofMinutes(2))).as(demo.stdout()).isZero();
        assertThat(demo.stdout()).contains("stored 5 of 5 messages").contains("the mailbox now holds 0");
        try (Stream<Path> files = Files.walk(workDir.resolve("mailpipe-demo-out"))) {
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
    void aJarMovedAwayFromItsArchiveStartsWithoutItSilentlyUntilOneIsDumpedThere() throws Exception {
        assumeFalse(Boolean.getBoolean("cds.skip"), "built with -Dcds.skip: no archive");
        // The archive names the jar by the path it had when it was dumped: a copy elsewhere no longer matches.
        Path jar = Files.copy(JarProcess.jar(), workDir.resolve("mailpipe.jar"));
        Files.copy(JarProcess.jar().resolveSibling("mailpipe.jsa"), workDir.resolve("mailpipe.jsa"));
        JarProcess help = helpLoggingClasses(jar, "classes.log");
        assertThat(Files.readString(workDir.resolve("classes.log"))).contains("dev.mailpipe.Application source: file:");
        assertThat(help.stdout() + help.stderr())
                .doesNotContainIgnoringCase("shared archive")
                .doesNotContainIgnoringCase("[cds")
                .doesNotContainIgnoringCase("warning");

        // The README's recipe for a jar installed elsewhere: dump an archive for it there.
        Path training = Files.createDirectories(workDir.resolve("training"));
        Process dump = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:ArchiveClassesAtExit=" + workDir.resolve("mailpipe.jsa"),
                        "-jar",
                        jar.toString(),
                        "--demo")
                .directory(training.toFile())
                .redirectErrorStream(true)
                .redirectOutput(training.resolve("dump.log").toFile())
                .start();
        assertThat(dump.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(dump.exitValue())
                .as(Files.readString(training.resolve("dump.log")))
                .isZero();
        helpLoggingClasses(jar, "classes-again.log");
        assertThat(Files.readString(workDir.resolve("classes-again.log")))
                .contains("dev.mailpipe.Application source: shared objects file");
    }

    /** {@code bin/mailpipe --help} on {@code jar}, which exits 0, its loaded classes logged to {@code classLog}. */
    private JarProcess helpLoggingClasses(Path jar, String classLog) throws Exception {
        JarProcess help = JarProcess.startLauncher(
                workDir,
                Map.of(
                        "MAILPIPE_JAR",
                        jar.toString(),
                        "JAVA_OPTS",
                        "-Xlog:class+load=info:file=" + workDir.resolve(classLog)),
                "--help");
        assertThat(help.awaitExit(Duration.ofMinutes(1))).isZero();
        return help;
    }
}
