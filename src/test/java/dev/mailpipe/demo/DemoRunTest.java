package dev.mailpipe.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo drains its embedded mailbox through the shipped routes and reports where the mail went. */
class DemoRunTest {

    @TempDir
    Path outDir;

    @Test
    void theDemoServerIsGivenAMinuteToListenNotGreenMailsTwoSeconds() {
        // Under load the demo failed with "try to set server startup timeout > 2000" (2 runs in 6).
        assertThat(DemoMailServer.setup(0).getServerStartupTimeout()).isGreaterThanOrEqualTo(60_000);
    }

    @Test
    void theDemoNamesEveryShippedRouteFile() throws Exception {
        Path routes = Path.of(System.getProperty("mailpipe.project.dir", ".")).resolve("routes");
        try (Stream<Path> files = Files.list(routes)) {
            List<String> shipped = files.filter(f -> f.toString().endsWith(".yaml"))
                    .map(f -> "classpath:routes/" + f.getFileName())
                    .toList();
            assertThat(List.of(DemoRun.SHIPPED_ROUTES.split(","))).containsExactlyInAnyOrderElementsOf(shipped);
        }
    }

    @Test
    void storesEverySeededMessageRawAndEmptiesTheMailbox() throws Exception {
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        int exitCode = new DemoRun(new PrintStream(report, true, StandardCharsets.UTF_8), outDir).run();

        assertThat(exitCode).isZero();
        assertThat(report.toString(StandardCharsets.UTF_8))
                .contains("stored 5 of 5 messages")
                .contains("the mailbox now holds 0");
        List<byte[]> seeded = DemoMessages.all();
        try (Stream<Path> files = Files.walk(outDir)) {
            List<String> stored = files.filter(f -> f.toString().endsWith(".eml"))
                    .map(DemoRunTest::latin1)
                    .toList();
            assertThat(stored)
                    .containsExactlyInAnyOrderElementsOf(seeded.stream()
                            .map(bytes -> new String(bytes, StandardCharsets.ISO_8859_1))
                            .toList());
        }
    }

    private static String latin1(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
