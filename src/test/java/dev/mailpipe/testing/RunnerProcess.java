package dev.mailpipe.testing;

import dev.mailpipe.Application;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The mailpipe runner in a JVM of its own, as {@code java -jar} starts it, for tests that kill it or bound its heap. */
public final class RunnerProcess {

    private final Process process;
    private final Path log;

    private RunnerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code Application --properties settings} with the test class path.
     *
     * @param jvmOptions e.g. {@code -Xmx256m}
     * @param environment extra environment variables
     * @param log file that receives stdout and stderr (appended)
     */
    public static RunnerProcess start(Path settings, List<String> jvmOptions, Map<String, String> environment, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Application.class.getName());
        command.add("--properties");
        command.add(settings.toString());
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        return new RunnerProcess(builder.start(), log);
    }

    /** SIGKILL: no shutdown hook, no QUIT, no flush; what a power cut or the OOM killer does. */
    public void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for the runner to stop by itself and returns its exit code. */
    public int awaitExit(long minutes) throws InterruptedException {
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("runner did not stop within " + minutes + " minutes; see " + log);
        }
        return process.exitValue();
    }

    public Path log() {
        return log;
    }
}
