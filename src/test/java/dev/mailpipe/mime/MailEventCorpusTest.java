package dev.mailpipe.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.mailpipe.testing.EventSchema;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message of the enmime corpus and of mime4j's test messages maps without an exception, within
 * a time bound, to an event that validates against the schema; its subject and sender agree with
 * mime4j, an independent MIME implementation.
 */
class MailEventCorpusTest {

    /**
     * mime4j leaves an encoded word with an RFC 2231 language tag ({@code =?US-ASCII*EN?Q?pr?=}) as it is;
     * RFC 2231 section 5 allows the tag, and Angus Mail decodes it. The one corpus file with such a name.
     */
    private static final Map<String, List<String>> RFC_2231_LANGUAGE_TAGS = Map.of(
            "multi-2evil.msg",
            List.of(
                    "/evil/because:ofpath3d-compress.gif",
                    "3d-eye-is-an-evil-filename because of excessive length and verbosity.  Unfortunately what can we"
                            + " do given an idiotic situation such as this?"));

    @TempDir
    static Path copies;

    static Stream<Path> corpus() throws Exception {
        List<Path> messages = new ArrayList<>();
        Path enmime =
                Path.of(MailEventCorpusTest.class.getResource("/corpus/enmime").toURI());
        try (Stream<Path> files = Files.walk(enmime)) {
            files.filter(f -> f.toString().endsWith(".raw")).sorted().forEach(messages::add);
        }
        messages.addAll(mime4jTestMessages());
        return messages.stream();
    }

    /** mime4j's test messages live in its test-jar; the mapper reads files, so copy them out. */
    private static List<Path> mime4jTestMessages() throws IOException, URISyntaxException {
        URL marker = DecoderUtil.class.getClassLoader().getResource("testmsgs");
        List<Path> copied = new ArrayList<>();
        try (FileSystem jar = FileSystems.newFileSystem(Path.of(marker.toURI()
                .getSchemeSpecificPart()
                .replaceFirst("^file:", "")
                .replaceFirst("!.*$", "")))) {
            for (String folder : List.of("testmsgs", "mimetools-testmsgs")) {
                try (Stream<Path> files = Files.list(jar.getPath(folder))) {
                    for (Path message : files.filter(f -> f.toString().endsWith(".msg"))
                            .sorted()
                            .toList()) {
                        Path copy = Files.createDirectories(copies.resolve(folder))
                                .resolve(message.getFileName().toString());
                        try (InputStream in = Files.newInputStream(message)) {
                            Files.copy(in, copy);
                        }
                        copied.add(copy);
                    }
                }
            }
        }
        return copied;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void mapsWithinBoundsToAValidEventThatAgreesWithMime4j(Path message) throws IOException {
        MailEvent event = assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> new MailEventMapper(AttachmentStore.DISCARD).map(message, MessageContext.NONE));

        assertThat(EventSchema.violations(MailEventJson.compact(event))).isEmpty();

        Map<String, String> raw = firstRawHeaders(event);
        if (raw.containsKey("subject")) {
            assertThat(event.subject())
                    .as("subject decoded like mime4j does")
                    .isEqualTo(DecoderUtil.decodeEncodedWords(raw.get("subject"), DecodeMonitor.SILENT)
                            .strip());
        }
        if (raw.containsKey("from")
                && event.defects().stream().noneMatch(d -> d.code().equals("bad-address"))) {
            List<String> mime4j = LenientAddressParser.DEFAULT.parseAddressList(raw.get("from")).flatten().stream()
                    .map(Mailbox::getAddress)
                    .toList();
            assertThat(event.from()).extracting(MailEvent.Address::address).isEqualTo(mime4j);
        }
        if (event.defects().isEmpty()) {
            List<String> expected =
                    RFC_2231_LANGUAGE_TAGS.getOrDefault(message.getFileName().toString(), mime4jFilenames(message));
            assertThat(event.attachments().stream()
                            .map(MailEvent.Attachment::filename)
                            .filter(java.util.Objects::nonNull)
                            .toList())
                    .as("attachment names decoded like mime4j does")
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    private static void assertAddressesAgree(String field, Map<String, String> raw, List<MailEvent.Address> ours) {
        if (!raw.containsKey(field)) {
            return;
        }
        List<Mailbox> theirs =
                LenientAddressParser.DEFAULT.parseAddressList(raw.get(field)).flatten();
        assertThat(ours)
                .extracting(MailEvent.Address::address)
                .as(field + " addresses as mime4j reads them")
                .isEqualTo(theirs.stream().map(Mailbox::getAddress).toList());
        assertThat(ours)
                .extracting(MailEvent.Address::name)
                .as(field + " names as mime4j decodes them")
                .isEqualTo(theirs.stream().map(Mailbox::getName).toList());
    }

    /** File names as mime4j decodes them: Content-Disposition filename, else Content-Type name. */
    private static List<String> mime4jFilenames(Path message) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = Files.newInputStream(message)) {
            DefaultMessageBuilder builder = new DefaultMessageBuilder();
            builder.setDecodeMonitor(DecodeMonitor.SILENT);
            collectFilenames(builder.parseMessage(in), names);
        }
        return names;
    }

    private static void collectFilenames(Entity entity, List<String> names) {
        if (entity.getBody() instanceof Multipart multipart) {
            multipart.getBodyParts().forEach(part -> collectFilenames(part, names));
            return;
        }
        String name = entity.getFilename();
        if (name == null && entity.getHeader().getField("Content-Type") instanceof ContentTypeField type) {
            name = type.getParameter("name");
        }
        if (name != null && !name.isBlank()) {
            // mime4j keeps the backslash of a quoted-pair ("a\\b" stays a\b); RFC 5322 section 3.2.4
            // drops it, as Angus Mail and mailpipe do.
            names.add(name.replace("\\", ""));
        }
    }

    private static Map<String, String> firstRawHeaders(MailEvent event) {
        Map<String, String> raw = new java.util.HashMap<>();
        for (MailEvent.Header header : event.headers()) {
            raw.putIfAbsent(header.name().toLowerCase(java.util.Locale.ROOT), header.raw());
        }
        return raw;
    }
}
