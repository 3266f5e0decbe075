package dev.mailpipe.files;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a file name from a message (hostile: paths, NUL, device names, 1,000 characters) into one
 * that is safe in a single folder on Linux, macOS and Windows. The attachment's number is put in
 * front, so two attachments never share a name and a redelivery writes the same names again.
 */
public final class SafeFileNames {

    /** Most file systems allow 255 bytes per name; leave room for the number and a temporary suffix. */
    private static final int MAX_NAME_BYTES = 150;

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final Pattern DOTS_AND_SPACES_AT_THE_ENDS = Pattern.compile("^[.\\s]+|[.\\s]+$");

    private static final Set<String> WINDOWS_DEVICES = Set.of(
            "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt1",
            "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");

    private SafeFileNames() {}

    /** {@code <index>-<safe name>}, e.g. {@code 2-report.pdf}; {@code <index>-attachment} without a usable name. */
    public static String of(int index, String name) {
        return index + "-" + clean(name);
    }

    /**
     * {@link #of} in printable ASCII, for a file system whose encoding cannot hold the name: each
     * other character, and {@code %}, as {@code %XX} of its UTF-8 bytes ({@code 2-Gr%C3%B6%C3%9Fe.pdf}).
     */
    public static String ascii(int index, String name) {
        StringBuilder ascii = new StringBuilder();
        for (byte b : clean(name).getBytes(StandardCharsets.UTF_8)) {
            if (b >= 0x20 && b < 0x7f && b != '%') {
                ascii.append((char) b);
            } else {
                ascii.append('%').append(HEX.toHexDigits(b));
            }
        }
        return index + "-" + shorten(ascii.toString());
    }

    private static String clean(String name) {
        if (name == null) {
            return "attachment";
        }
        // Only the last path segment: "../../etc/passwd" and "C:\\x\\y.exe" lose their folders.
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        StringBuilder safe = new StringBuilder();
        base.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f || "<>:\"|?*".indexOf(c) >= 0 || Character.getType(c) == Character.FORMAT) {
                safe.append('_');
            } else {
                safe.appendCodePoint(c);
            }
        });
        String cleaned = DOTS_AND_SPACES_AT_THE_ENDS.matcher(safe).replaceAll("");
        if (cleaned.isEmpty()) {
            return "attachment";
        }
        String stem = cleaned.contains(".") ? cleaned.substring(0, cleaned.indexOf('.')) : cleaned;
        if (WINDOWS_DEVICES.contains(stem.toLowerCase(Locale.ROOT))) {
            cleaned = "_" + cleaned;
        }
        return shorten(cleaned);
    }

    /** Cuts the name to the byte limit, keeping a short extension. */
    private static String shorten(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
        String stem = extension.isEmpty() ? name : name.substring(0, dot);
        int budget = MAX_NAME_BYTES - extension.getBytes(StandardCharsets.UTF_8).length;
        StringBuilder cut = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < stem.length(); ) {
            int c = stem.codePointAt(i);
            int size = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > budget) {
                break;
            }
            cut.appendCodePoint(c);
            bytes += size;
            i += Character.charCount(c);
        }
        return cut + extension;
    }
}
