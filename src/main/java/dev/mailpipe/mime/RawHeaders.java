package dev.mailpipe.mime;

import dev.mailpipe.mime.MailEvent.Defect;
import dev.mailpipe.mime.MailEvent.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * The message's top-level header fields as the event lists them: unfolded, 8-bit text repaired, and
 * bounded in number and length before any of that work is done, so a header block of 50,000 fields
 * or one field folded a million times costs time linear in its size.
 */
final class RawHeaders {

    static final int MAX_HEADERS = 1_000;
    static final int MAX_HEADER_CHARS = 100_000;

    private RawHeaders() {}

    /** The fields of {@code message}, each problem added to {@code defects}. */
    static List<Header> read(MimeMessage message, List<Defect> defects) throws MessagingException {
        List<Header> headers = new ArrayList<>();
        Enumeration<jakarta.mail.Header> all = message.getAllHeaders();
        if (all.hasMoreElements()) {
            jakarta.mail.Header first = all.nextElement();
            if (!isField(first)) {
                defects.add(new Defect(
                        "not-a-message",
                        "message",
                        "the input does not begin with a header field ('" + HeaderFields.abbreviate(first.getName())
                                + "'); no header read"));
                return headers;
            }
            headers.add(header(first, defects));
        }
        while (all.hasMoreElements()) {
            jakarta.mail.Header field = all.nextElement();
            if (headers.size() == MAX_HEADERS) {
                defects.add(new Defect(
                        "too-many-headers",
                        "message",
                        "more than " + MAX_HEADERS + " header fields; the rest, from "
                                + HeaderFields.abbreviate(field.getName()) + " on, were skipped"));
                break;
            }
            headers.add(header(field, defects));
        }
        return headers;
    }

    /**
     * Whether a parsed field was written as one: a name of printable US-ASCII and a colon. Angus
     * takes a line without a colon (the first line of a PNG or of a letter) as a field whose name
     * and value are the whole line. An mbox {@code From } line before the fields is still mail.
     */
    private static boolean isField(jakarta.mail.Header field) {
        String name = field.getName();
        if (name.startsWith("From ")) {
            return true;
        }
        boolean printable = !name.isEmpty() && name.chars().allMatch(c -> c > ' ' && c < 0x7f);
        return printable && !name.equals(field.getValue());
    }

    private static Header header(jakarta.mail.Header field, List<Defect> defects) {
        String folded = field.getValue() == null ? "" : field.getValue();
        // Cut before unfolding, so a field folded a million times is never unfolded whole.
        if (folded.length() > MAX_HEADER_CHARS) {
            defects.add(new Defect(
                    "header-truncated",
                    "message",
                    field.getName() + " is " + folded.length() + " characters long; kept the first "
                            + MAX_HEADER_CHARS));
            folded = folded.substring(0, MAX_HEADER_CHARS);
        }
        String raw = unfold(folded);
        if (HeaderFields.hasEightBit(raw)) {
            String repaired = HeaderFields.asUtf8(raw);
            defects.add(new Defect(
                    "8bit-header",
                    "message",
                    field.getName() + " holds raw 8-bit bytes; read as "
                            + (repaired.equals(raw) ? "ISO-8859-1" : "UTF-8")));
            raw = repaired;
        }
        return new Header(field.getName(), raw, HeaderFields.decodeWords(raw));
    }

    /**
     * RFC 5322 unfolding as Angus's {@code MimeUtility.unfold} does it (a line break before white
     * space or at the end goes, one after a backslash keeps the break and drops the backslash, any
     * other stays), in one pass: Angus copies the rest of the text at every break.
     */
    static String unfold(String value) {
        int next = nextBreak(value, 0);
        if (next < 0) {
            return value;
        }
        StringBuilder unfolded = new StringBuilder(value.length());
        int from = 0;
        while (next >= 0) {
            int after = next + (value.startsWith("\r\n", next) ? 2 : 1);
            if (next > from && value.charAt(next - 1) == '\\') {
                unfolded.append(value, from, next - 1).append(value, next, after);
            } else if (after == value.length() || value.charAt(after) == ' ' || value.charAt(after) == '\t') {
                unfolded.append(value, from, next);
            } else {
                unfolded.append(value, from, after);
            }
            from = after;
            next = nextBreak(value, from);
        }
        return unfolded.append(value, from, value.length()).toString();
    }

    private static int nextBreak(String value, int from) {
        for (int i = from; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                return i;
            }
        }
        return -1;
    }
}
