package dev.mailpipe.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What the files sink holds for a mailbox, compared with what was sent. */
public final class StoredMessages {

    private StoredMessages() {}

    /** The {@code .eml} files in a mailbox folder (temporary files excluded). */
    public static List<Path> emlFiles(Path mailboxFolder) throws IOException {
        if (!Files.isDirectory(mailboxFolder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(mailboxFolder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".eml") && Files.isRegularFile(f))
                    .sorted()
                    .toList();
        }
    }

    /** Every sent message is stored exactly once, byte for byte, and nothing else is. */
    public static void assertExactly(Path mailboxFolder, List<byte[]> sent) throws IOException {
        List<String> stored = new ArrayList<>();
        for (Path file : emlFiles(mailboxFolder)) {
            stored.add(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        }
        List<String> expected = sent.stream()
                .map(raw -> new String(raw, StandardCharsets.ISO_8859_1))
                .toList();
        assertThat(stored).hasSameSizeAs(expected).containsExactlyInAnyOrderElementsOf(expected);
    }
}
