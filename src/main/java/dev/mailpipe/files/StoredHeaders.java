package dev.mailpipe.files;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads header fields of a stored message, looking at no more than its first bytes. */
public final class StoredHeaders {

    /** Headers past this many bytes are not read; hostile mail can have megabytes of them. */
    private static final int MAX_HEADER_BYTES = 256 * 1024;

    private static final int MAX_MESSAGE_ID_CHARS = 998;

    private StoredHeaders() {}

    /** The Message-ID, if the message has a readable one; for reference only, never as a key. */
    public static Optional<String> messageId(Path eml) {
        try (InputStream in = Files.newInputStream(eml)) {
            InternetHeaders headers = new InternetHeaders(new ByteArrayInputStream(in.readNBytes(MAX_HEADER_BYTES)));
            String id = headers.getHeader("Message-ID", null);
            if (id == null || id.isBlank()) {
                return Optional.empty();
            }
            String trimmed = id.strip();
            return Optional.of(
                    trimmed.length() > MAX_MESSAGE_ID_CHARS ? trimmed.substring(0, MAX_MESSAGE_ID_CHARS) : trimmed);
        } catch (IOException | MessagingException e) {
            return Optional.empty();
        }
    }
}
