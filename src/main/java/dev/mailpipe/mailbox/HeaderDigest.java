package dev.mailpipe.mailbox;

import dev.mailpipe.common.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The digest of the header fields that tell two messages apart when the server gives them one UIDL
 * and one size: Message-ID, Date, the first Received, From and Subject, unfolded and with runs of
 * white space made one space. Written to as an {@link OutputStream}, it keeps the bytes of the
 * header block only (up to the empty line, at most {@link #MAX_HEADER_BYTES}) and ignores the rest,
 * so it can watch a whole download (RETR) or read a {@code TOP n 0} reply: both give the same digest.
 */
public final class HeaderDigest extends OutputStream {

    /** Enough for any real header block; a longer one is digested as far as this. */
    static final int MAX_HEADER_BYTES = 64 * 1024;

    private static final List<String> FIELDS = List.of("message-id", "date", "received", "from", "subject");
    private static final Pattern WHITE_SPACE = Pattern.compile("[ \\t\\r\\n]+");

    private final ByteArrayOutputStream header = new ByteArrayOutputStream(4096);
    /** The last bytes seen, to find the empty line (CRLF CRLF, or LF LF from lenient servers). */
    private int last1 = '\n';

    private int last2;
    private boolean ended;

    @Override
    public void write(int b) {
        if (ended) {
            return;
        }
        header.write(b);
        if (b == '\n' && (last1 == '\n' || (last1 == '\r' && last2 == '\n'))) {
            ended = true;
        } else if (header.size() >= MAX_HEADER_BYTES) {
            ended = true;
        }
        last2 = last1;
        last1 = b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length && !ended; i++) {
            write(bytes[i]);
        }
    }

    /** The digest of the header block seen so far (hex SHA-256). */
    public String digest() {
        return of(header.toByteArray());
    }

    /** The digest of a message (or of its header block) read from {@code in}. */
    public static String of(InputStream in) throws IOException {
        HeaderDigest digest = new HeaderDigest();
        byte[] buffer = new byte[8192];
        int read;
        while (!digest.ended && (read = in.read(buffer)) >= 0) {
            digest.write(buffer, 0, read);
        }
        return digest.digest();
    }

    static String of(byte[] headerBlock) {
        Map<String, String> found = new LinkedHashMap<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        for (String line : new String(headerBlock, StandardCharsets.ISO_8859_1).split("\n", -1)) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                value.append(' ').append(line);
                continue;
            }
            keepFirst(found, name, value);
            int colon = line.indexOf(':');
            name = colon > 0 ? line.substring(0, colon).strip().toLowerCase(Locale.ROOT) : null;
            value.setLength(0);
            if (colon > 0) {
                value.append(line, colon + 1, line.length());
            }
        }
        keepFirst(found, name, value);
        StringBuilder canonical = new StringBuilder();
        for (String field : FIELDS) {
            canonical
                    .append(field)
                    .append(':')
                    .append(found.getOrDefault(field, ""))
                    .append('\n');
        }
        return Sha256.hex(canonical.toString());
    }

    private static void keepFirst(Map<String, String> found, String name, StringBuilder value) {
        if (name != null && FIELDS.contains(name) && !found.containsKey(name)) {
            found.put(name, WHITE_SPACE.matcher(value).replaceAll(" ").strip());
        }
    }
}
