package dev.mailpipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: help, bad arguments and bad settings end with a clear message and exit code. */
class ApplicationTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Application.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsUsage() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("Usage:")
                .contains("--demo")
                .contains("--properties");
    }

    @Test
    void unknownArgumentIsBadUsage() {
        assertThat(run("--frobnicate")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("unknown argument '--frobnicate'")
                .contains("Usage:");
    }

    @Test
    void missingPropertiesFileIsBadUsage() {
        assertThat(run("--properties", dir.resolve("nope.properties").toString()))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot read properties file");
    }

    @Test
    void missingHostFailsFastNamingTheProperty() throws Exception {
        Path settings = Files.writeString(
                dir.resolve("mailpipe.properties"),
                "mailbox.username=alice\nmailbox.password=x\nsink.files.dir=" + dir.resolve("out") + "\n");
        assertThat(run("--properties", settings.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("configuration error: mailbox.host is not set")
                .contains("MAILBOX_HOST");
    }
}
