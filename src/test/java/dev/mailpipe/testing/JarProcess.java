package dev.mailpipe.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar as a user runs it, {@code java -jar target/mailpipe.jar ARGS} in a folder of the
 * test's choosing, with stdout and stderr kept apart in files the test can read while it runs.
 * For failsafe tests ({@code *IT}), which run after {@code package}.
 */
public final class JarProcess {

    private static final Path PROJECT_DIR = Path.of(System.getProperty("mailpipe.project.dir", "."));

    private final Process process;
    private final Path out;
    private final Path err;

    private JarProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts the jar in {@code workDir} with extra environment variables; its output goes under {@code workDir}. */
    public static JarProcess start(Path workDir, Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toString()));
        command.addAll(List.of(args));
        return start(command, workDir, environment);
    }

    /**
     * Starts the README's command, {@code bin/mailpipe ARGS}, in {@code workDir} with the JDK that runs
     * the tests (the one the build dumped the class-data archive with) and extra environment variables.
     */
    public static JarProcess startLauncher(Path workDir, Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(
                List.of(PROJECT_DIR.resolve("bin/mailpipe").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Map<String, String> withJdk =
                new HashMap<>(Map.of("JAVA_HOME", System.getProperty("java.home"), "JAVA_OPTS", ""));
        withJdk.putAll(environment);
        return start(command, workDir, withJdk);
    }

    /** The packaged jar. */
    public static Path jar() {
        return PROJECT_DIR.resolve("target/mailpipe.jar").toAbsolutePath();
    }

    /** Starts {@code command} in {@code workDir} with extra environment variables; its output goes under {@code workDir}. */
    public static JarProcess start(List<String> command, Path workDir, Map<String, String> environment)
            throws IOException {
        Path logs = Files.createDirectories(workDir.resolve("jar-logs-" + System.nanoTime()));
        Path out = logs.resolve("stdout.txt");
        Path err = logs.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().putAll(environment);
        return new JarProcess(builder.start(), out, err);
    }

    /** Copies the project's shipped routes (not the examples) into {@code dir/routes}. */
    public static void copyRoutes(Path dir) throws IOException {
        Path target = Files.createDirectories(dir.resolve("routes"));
        try (var routes = Files.list(PROJECT_DIR.resolve("routes"))) {
            for (Path route : routes.filter(Files::isRegularFile).toList()) {
                Files.copy(route, target.resolve(route.getFileName()));
            }
        }
    }

    /** Waits for the process to end by itself and returns its exit code; fails the test after {@code limit}. */
    public int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("mailpipe.jar did not exit within " + limit + "; stdout: " + stdout());
        }
        return process.exitValue();
    }

    /** SIGTERM, as a service manager or {@code kill} sends it. */
    public void terminate() {
        process.destroy();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String stdout() {
        return read(out);
    }

    public String stderr() {
        return read(err);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
