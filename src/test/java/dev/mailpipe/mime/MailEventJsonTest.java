package dev.mailpipe.mime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming writer writes exactly what Jackson's data binding writes for the record, byte for
 * byte, compact and indented, for every golden message and every message of the enmime corpus.
 */
class MailEventJsonTest {

    private static final ObjectMapper BINDING = new ObjectMapper();

    static Stream<Path> messages() throws Exception {
        List<Path> messages = new ArrayList<>();
        for (String folder : List.of("/mime", "/corpus/enmime")) {
            try (Stream<Path> files = Files.walk(
                    Path.of(MailEventJsonTest.class.getResource(folder).toURI()))) {
                files.filter(f -> f.toString().endsWith(".eml") || f.toString().endsWith(".raw"))
                        .sorted()
                        .forEach(messages::add);
            }
        }
        assertThat(messages).hasSizeGreaterThan(50);
        return messages.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void writesWhatDataBindingWrites(Path message) throws Exception {
        MailEvent event = new MailEventMapper(AttachmentStore.DISCARD).map(message, MessageContext.NONE);

        assertThat(MailEventJson.compact(event)).isEqualTo(BINDING.writeValueAsString(event));
        assertThat(MailEventJson.pretty(event))
                .isEqualTo(BINDING.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(event));
    }
}
