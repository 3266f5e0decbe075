package dev.mailpipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: help, bad arguments and bad settings end with a clear message and exit code. */
class ApplicationTest {

    @TempDir
    Path dir;

    @Test
    void helpPrintsUsage() {
        ApplicationRunner.Result result = ApplicationRunner.run("--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .contains("Usage:")
                .contains("--demo")
                .contains("--properties")
                .contains("ledger");
    }

    /** --help and the README's exit-code table name the same codes. */
    @Test
    void helpListsEveryExitCodeOfTheReadmeTable() throws Exception {
        String readme =
                java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("mailpipe.project.dir", "."))
                        .resolve("README.md"));
        java.util.List<String> codes = readme.lines()
                .map(String::trim)
                .filter(line -> line.matches("\\| \\d \\|.*"))
                .map(line -> line.substring(2, 3))
                .toList();
        assertThat(codes).containsExactly("0", "1", "2", "3", "4");
        for (String code : codes) {
            assertThat(dev.mailpipe.runner.CommandLine.usage()).containsPattern("(Exit codes: | )" + code + " ");
        }
    }

    @Test
    void unknownArgumentIsBadUsage() {
        ApplicationRunner.Result result = ApplicationRunner.run("--frobnicate");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("unknown argument '--frobnicate'").contains("Usage:");
    }

    @Test
    void missingPropertiesFileIsBadUsage() {
        ApplicationRunner.Result result = ApplicationRunner.run(
                "--properties", dir.resolve("nope.properties").toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("cannot read properties file");
    }

    @Test
    void missingHostFailsFastNamingTheProperty() throws Exception {
        Path settings = Files.writeString(
                dir.resolve("mailpipe.properties"),
                "mailbox.username=alice\nmailbox.password=x\nsink.files.dir=" + dir.resolve("out") + "\n");
        ApplicationRunner.Result result = ApplicationRunner.run("--properties", settings.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .contains("configuration error: mailbox.host is not set")
                .contains("MAILBOX_HOST");
    }

    @Test
    void unreachableLedgerFailsFastNamingTheSettingsWithAnExitCodeAServiceRetries() throws Exception {
        Path settings = Files.writeString(
                dir.resolve("mailpipe.properties"),
                "mailbox.host=localhost\nmailbox.username=alice\nmailbox.password=x\nsink.files.dir="
                        + dir.resolve("out")
                        + "\nledger.url=jdbc:postgresql://127.0.0.1:1/mailpipe?connectTimeout=2\n");
        ApplicationRunner.Result result = ApplicationRunner.run("--properties", settings.toString());
        // 1, not 2: a database that is not up yet is no configuration error, and systemd's
        // RestartPreventExitStatus=2 must not strand the service.
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("cannot open the ledger").contains("ledger.url");
    }
}
