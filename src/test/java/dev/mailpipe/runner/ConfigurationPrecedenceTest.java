package dev.mailpipe.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.config.Settings;
import dev.mailpipe.testing.RunnerProcess;
import dev.mailpipe.testing.SettingsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which source wins when a setting is set in several, as README and --help state it: the bundled
 * application.properties, then the properties file, then -D, then environment variables for
 * mailpipe's keys (Camel's properties component looks at the environment first); for camel.main.*
 * keys camel-main itself lets -D win over the environment. Each case runs mailpipe in a JVM of its
 * own (environment variables cannot be set in this one) with a value that fails the start, and reads
 * which value the error names.
 */
class ConfigurationPrecedenceTest {

    @TempDir
    Path dir;

    private String startError(List<String> fileLines, Map<String, String> system, Map<String, String> environment)
            throws Exception {
        List<String> lines = new ArrayList<>(List.of("mailbox.host=localhost", "mailbox.username=alice"));
        lines.add("mailbox.password=x");
        lines.addAll(fileLines);
        Path settings = SettingsFiles.write(dir, lines.toArray(String[]::new));
        List<String> jvm = new ArrayList<>();
        system.forEach((key, value) -> jvm.add("-D" + key + "=" + value));
        Path log = dir.resolve("run-" + System.nanoTime() + ".log");
        int exitCode = RunnerProcess.start(settings, jvm, environment, log).awaitExit(2);
        String output = Files.readString(log);
        assertThat(exitCode).as(output).isEqualTo(2);
        return output;
    }

    private String protocolChosen(List<String> file, Map<String, String> system, Map<String, String> environment)
            throws Exception {
        String error = startError(file, system, environment);
        return error.replaceAll("(?s).*mailbox.protocol must be pop3 or pop3s, got '([^']*)'.*", "$1");
    }

    @Test
    void theFileOverridesTheBundledDefaults() throws Exception {
        assertThat(protocolChosen(List.of("mailbox.protocol=file"), Map.of(), Map.of()))
                .isEqualTo("file");
    }

    @Test
    void aSystemPropertyOverridesTheFile() throws Exception {
        assertThat(protocolChosen(List.of("mailbox.protocol=file"), Map.of("mailbox.protocol", "system"), Map.of()))
                .isEqualTo("system");
    }

    @Test
    void anEnvironmentVariableOverridesTheFileAndASystemProperty() throws Exception {
        assertThat(protocolChosen(
                        List.of("mailbox.protocol=file"),
                        Map.of("mailbox.protocol", "system"),
                        Map.of("MAILBOX_PROTOCOL", "environment")))
                .isEqualTo("environment");
    }

    private String routesFolderChosen(boolean system, boolean environment) throws Exception {
        String key = "camel.main.routesIncludePattern";
        return startError(
                        List.of(key + "=file:" + dir.resolve("from-file") + "/*.yaml"),
                        system ? Map.of(key, "file:" + dir.resolve("from-system") + "/*.yaml") : Map.of(),
                        environment
                                ? Map.of(Settings.envName(key), "file:" + dir.resolve("from-environment") + "/*.yaml")
                                : Map.of())
                .replaceAll("(?s).*no routes at " + dir + "/([a-z-]*)/.*", "$1");
    }

    @Test
    void forCamelMainKeysTheEnvironmentOverridesTheFileAndASystemPropertyOverridesBoth() throws Exception {
        assertThat(routesFolderChosen(false, true)).isEqualTo("from-environment");
        assertThat(routesFolderChosen(true, true)).isEqualTo("from-system");
    }
}
