package dev.mailpipe.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.mime.AttachmentStore;
import dev.mailpipe.mime.MailEvent;
import dev.mailpipe.mime.MailEventMapper;
import dev.mailpipe.mime.MessageContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under {@code LC_ALL=C} (the JVM then encodes file names as ASCII) every attachment of the golden
 * and enmime messages is stored, with the bytes the mapper hashed; under UTF-8 the names are the
 * readable ones. Each locale runs in a forked JVM, since the file name encoding is fixed at start.
 */
class PosixLocaleAttachmentTest {

    @TempDir
    Path dir;

    @Test
    void storesEveryAttachmentWithTheSameBytesUnderAnAsciiLocale() throws Exception {
        List<Path> messages = messages();
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (Path message : messages) {
            List<String> hashes = new MailEventMapper(AttachmentStore.DISCARD)
                    .map(message, MessageContext.NONE).attachments().stream()
                            .map(MailEvent.Attachment::sha256)
                            .toList();
            if (!hashes.isEmpty()) {
                expected.put(message.toString(), hashes);
            }
        }

        List<String[]> posix = storeInForkedJvm("C", dir.resolve("posix"), messages);
        List<String[]> utf8 = storeInForkedJvm("C.UTF-8", dir.resolve("utf8"), messages);

        assertThat(posix.get(0)[1]).isEqualTo("ANSI_X3.4-1968");
        assertThat(utf8.get(0)[1]).isEqualTo("UTF-8");
        assertThat(hashesByMessage(posix)).isEqualTo(expected);
        assertThat(hashesByMessage(utf8)).isEqualTo(expected);
        List<String> posixRefs = posix.stream().skip(1).map(line -> line[1]).toList();
        assertThat(posixRefs).allMatch(ref -> ref.chars().allMatch(c -> c < 0x80));
        assertThat(posixRefs).as("non-ASCII names written as %XX").anyMatch(ref -> ref.contains("%C3"));
        assertThat(utf8.stream().skip(1).map(line -> line[1]))
                .anyMatch(ref -> ref.chars().anyMatch(c -> c >= 0x80));
    }

    private static List<Path> messages() throws Exception {
        List<Path> messages = new ArrayList<>();
        for (String folder : List.of("/mime", "/corpus/enmime")) {
            try (Stream<Path> files = Files.walk(
                    Path.of(PosixLocaleAttachmentTest.class.getResource(folder).toURI()))) {
                files.filter(f -> f.toString().endsWith(".eml") || f.toString().endsWith(".raw"))
                        .sorted()
                        .forEach(messages::add);
            }
        }
        return messages;
    }

    /** The lines {@link StoreAttachmentsMain} prints, split at tabs; the first names the file name encoding. */
    private static List<String[]> storeInForkedJvm(String locale, Path out, List<Path> messages)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                StoreAttachmentsMain.class.getName(),
                out.toString()));
        messages.forEach(message -> command.add(message.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().keySet().removeIf(name -> name.equals("LANG") || name.startsWith("LC_"));
        builder.environment().put("LC_ALL", locale);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("exit code under LC_ALL=" + locale).isZero();
        return output.lines().map(line -> line.split("\t")).toList();
    }

    private static Map<String, List<String>> hashesByMessage(List<String[]> lines) {
        Map<String, List<String>> hashes = new LinkedHashMap<>();
        lines.stream()
                .skip(1)
                .forEach(line ->
                        hashes.computeIfAbsent(line[0], m -> new ArrayList<>()).add(line[2]));
        return hashes;
    }
}
