package dev.mailpipe.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailpipe.testing.EventSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: each {@code src/test/resources/mime/<case>.eml} maps to exactly the event in
 * {@code <case>.json}. A missing golden file fails; make one with
 * {@code java -jar target/mailpipe.jar parse <case>.eml}, read it, and commit it.
 */
class MailEventGoldenTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> cases() throws Exception {
        Path folder = Path.of(MailEventGoldenTest.class.getResource("/mime").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".eml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mapsToItsGoldenEvent(Path eml) throws Exception {
        Path golden = eml.resolveSibling(eml.getFileName().toString().replaceFirst("\\.eml$", ".json"));
        if (!Files.exists(golden)) {
            fail("Missing golden file " + golden.getFileName() + "; write it with the parse command and review it");
        }
        String actual =
                MailEventJson.compact(new MailEventMapper(AttachmentStore.DISCARD).map(eml, MessageContext.NONE));

        assertThat(EventSchema.violations(actual)).isEmpty();
        JsonNode expected = JSON.readTree(golden.toFile());
        assertThat(JSON.readTree(actual)).isEqualTo(expected);
    }
}
