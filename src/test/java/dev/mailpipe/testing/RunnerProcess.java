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

    /**
     * Starts the runner and SIGKILLs it {@code kills} times, each after {@code 3 to 6 s} (past
     * start-up, into the drain, somewhere else every time, repeatable through {@code seed}).
     */
    public static void killRepeatedly(Path settings, Path log, int kills, long seed) throws Exception {
        java.util.Random random = new java.util.Random(seed);
        for (int kill = 1; kill <= kills; kill++) {
            RunnerProcess runner = start(settings, List.of("-Xmx256m"), Map.of(), log);
            Thread.sleep(3_000 + random.nextInt(3_000));
            runner.killHard();
            Files.writeString(log, "---- kill -9 number " + kill + " ----\n", java.nio.file.StandardOpenOption.APPEND);
        }
    }

    /** Runs the runner until it stops by itself (camel.main.durationMaxIdleSeconds) and returns its exit code. */
    public static int runToEnd(Path settings, Path log) throws Exception {
        return start(settings, List.of("-Xmx256m"), Map.of(), log).awaitExit(10);
    }

    /** The mailbox settings of the test server's POP3S account, as lines of a properties file. */
    public static List<String> pop3sSettings(int port) {
        return List.of(
                "mailbox.host=localhost",
                "mailbox.port=" + port,
                "mailbox.username=" + TestMailServer.USER,
                "mailbox.password=" + TestMailServer.PASSWORD,
                "mailbox.caFile=" + TestMailServer.caFile(),
                "mailbox.pollDelay=200",
                "mailbox.batchSize=20");
    }
}
