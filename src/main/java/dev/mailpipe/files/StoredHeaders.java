package dev.mailpipe.files;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
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
        // Reads only as far as the end of the header block: most messages are far shorter than the cap.
        try (InputStream in = new BufferedInputStream(limited(Files.newInputStream(eml), MAX_HEADER_BYTES), 8192)) {
            InternetHeaders headers = new InternetHeaders(in);
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

    /** {@code in}, ending after {@code limit} bytes. */
    private static InputStream limited(InputStream in, long limit) {
        return new FilterInputStream(in) {
            private long left = limit;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = super.read();
                left -= b < 0 ? 0 : 1;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(b, off, (int) Math.min(len, left));
                left -= Math.max(n, 0);
                return n;
            }
        };
    }
}
