package dev.mailpipe.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.ApplicationRunner;
import dev.mailpipe.testing.SettingsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No routes where the pattern points, or a broken YAML route, is a configuration error (exit 2) saying where. */
class RoutesCheckTest {

    @TempDir
    Path dir;

    private ApplicationRunner.Result runWithRoutesIn(Path routes) throws Exception {
        Path settings = SettingsFiles.write(
                dir,
                "mailbox.host=localhost",
                "mailbox.username=alice",
                "mailbox.password=x",
                "camel.main.routesIncludePattern=file:" + routes + "/*.yaml",
                "camel.main.durationMaxSeconds=30");
        return ApplicationRunner.run("--properties", settings.toString());
    }

    @Test
    void aMissingRoutesFolderNamesTheFolderAndTheSetting() throws Exception {
        ApplicationRunner.Result result = runWithRoutesIn(dir.resolve("nowhere"));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .contains("no routes at " + dir.resolve("nowhere/*.yaml")
                        + ": run from the project folder or set camel.main.routesIncludePattern");
    }

    @Test
    void anEmptyRoutesFolderStopsAtOnceInsteadOfWaitingForever() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("routes"));
        ApplicationRunner.Result result = runWithRoutesIn(empty);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("no routes at " + empty.resolve("*.yaml"));
    }

    @Test
    void aYamlErrorIsOneLineWithFileLineAndColumn() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        SettingsFiles.copyResource("/broken-routes/unknown-step.camel.yaml", routes);
        ApplicationRunner.Result result = runWithRoutesIn(routes);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().strip())
                .isEqualTo("mailpipe: configuration error: YAML error in file:"
                        + routes.resolve("unknown-step.camel.yaml") + ", line 7, column 11: Unknown node id: logg");
    }
}
