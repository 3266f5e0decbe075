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
     * Starts {@code Application --properties settings}: from the packaged jar when the build names
     * it (system property {@code mailpipe.jar}: failsafe, and the fault profile), otherwise from the
     * test class path.
     *
     * @param jvmOptions e.g. {@code -Xmx256m}
     * @param environment extra environment variables
     * @param log file that receives stdout and stderr (appended)
     */
    public static RunnerProcess start(Path settings, List<String> jvmOptions, Map<String, String> environment, Path log)
            throws IOException {
        return start(List.of(), settings, jvmOptions, environment, log);
    }

    /** As {@link #start(Path, List, Map, Path)}, under the umask given (octal, e.g. {@code 000}), as a shell sets it. */
    public static RunnerProcess startUnderUmask(String umask, Path settings, Path log) throws IOException {
        return start(
                List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"),
                settings,
                List.of(),
                Map.of(),
                log);
    }

    private static RunnerProcess start(
            List<String> prefix, Path settings, List<String> jvmOptions, Map<String, String> environment, Path log)
            throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(launch());
        command.add("--properties");
        command.add(settings.toString());
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        return new RunnerProcess(builder.start(), log);
    }

    /** The arguments that start mailpipe: {@code -jar} the packaged jar, or its main class on the test class path. */
    public static List<String> launch() {
        String jar = System.getProperty("mailpipe.jar", "");
        if (jar.isBlank()) {
            return List.of("-cp", System.getProperty("java.class.path"), Application.class.getName());
        }
        if (!Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("No packaged jar at " + jar + ": run mvn package first");
        }
        return List.of("-jar", jar);
    }

    /** SIGKILL: no shutdown hook, no QUIT, no flush; what a power cut or the OOM killer does. */
    public void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: what an orchestrator or Ctrl-C sends; camel-main shuts down gracefully. */
    public void terminate() {
        process.destroy();
    }

    public boolean isAlive() {
        return process.isAlive();
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
     * Starts the runner and SIGKILLs it {@code kills} times, each once it has stored between {@code
     * min} and {@code max} more messages (as {@code stored} counts them; a random count, repeatable
     * through {@code seed}) but never more than {@code limit} in all, so that every kill interrupts a
     * drain in progress however slow the start-up is on a busy machine.
     */
    public static void killDuringDrain(
            Path settings,
            Path log,
            int kills,
            long seed,
            java.util.function.IntSupplier stored,
            int min,
            int max,
            int limit)
            throws Exception {
        killDuringDrain(settings, Map.of(), log, kills, seed, stored, min, max, limit);
    }

    /** As {@link #killDuringDrain(Path, Path, int, long, java.util.function.IntSupplier, int, int, int)}, with environment variables. */
    public static void killDuringDrain(
            Path settings,
            Map<String, String> environment,
            Path log,
            int kills,
            long seed,
            java.util.function.IntSupplier stored,
            int min,
            int max,
            int limit)
            throws Exception {
        java.util.Random random = new java.util.Random(seed);
        killRepeatedly(settings, environment, log, kills, () -> {
            int target = Math.min(limit, stored.getAsInt() + min + random.nextInt(max - min + 1));
            // The kills break the test servers' connections on purpose: their threads' failures
            // (a broken pipe in GreenMail's IMAP handler) are expected, not this wait's business.
            org.awaitility.Awaitility.await()
                    .dontCatchUncaughtExceptions()
                    .atMost(java.time.Duration.ofMinutes(2))
                    .until(() -> stored.getAsInt() >= target);
        });
    }

    /** What to wait for before the next kill. */
    @FunctionalInterface
    private interface KillPoint {
        void await() throws Exception;
    }

    private static void killRepeatedly(
            Path settings, Map<String, String> environment, Path log, int kills, KillPoint killPoint) throws Exception {
        for (int kill = 1; kill <= kills; kill++) {
            RunnerProcess runner = start(settings, List.of("-Xmx256m"), environment, log);
            killPoint.await();
            runner.killHard();
            Files.writeString(log, "---- kill -9 number " + kill + " ----\n", java.nio.file.StandardOpenOption.APPEND);
        }
    }

    /** Runs the runner until it stops by itself (camel.main.durationMaxIdleSeconds) and returns its exit code. */
    public static int runToEnd(Path settings, Path log) throws Exception {
        return runToEnd(settings, Map.of(), log);
    }

    /** As {@link #runToEnd(Path, Path)}, with environment variables. */
    public static int runToEnd(Path settings, Map<String, String> environment, Path log) throws Exception {
        return start(settings, List.of("-Xmx256m"), environment, log).awaitExit(10);
    }

    /**
     * Settings of a run that drains the test server's POP3S account with the shipped routes,
     * storing under {@code dir}/out with the ledger in {@code dir}/ledger; a list the test may change.
     */
    public static List<String> drainSettings(int port, Path dir) {
        List<String> settings = new ArrayList<>(pop3sSettings(port));
        settings.add("sink.files.dir=" + dir.resolve("out"));
        settings.add("ledger.dir=" + dir.resolve("ledger"));
        settings.add("camel.main.routesIncludePattern=file:"
                + Path.of(System.getProperty("mailpipe.project.dir", "."))
                        .resolve("routes")
                        .toAbsolutePath() + "/*.yaml");
        return settings;
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
