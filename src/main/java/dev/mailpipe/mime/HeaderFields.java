package dev.mailpipe.mime;

import dev.mailpipe.mime.MailEvent.Address;
import dev.mailpipe.mime.MailEvent.Authentication;
import dev.mailpipe.mime.MailEvent.Defect;
import dev.mailpipe.mime.MailEvent.Header;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeUtility;
import java.io.UnsupportedEncodingException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.ParsePosition;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the event's fields from the message's top-level header fields, leniently, reporting defects. */
final class HeaderFields {

    /** Per field name (To, Cc, ...): more than any real message addresses, few enough to keep the event small. */
    static final int MAX_ADDRESSES = 1_000;

    /** Longer than any date with its comment; Angus's date parser is not run on more. */
    static final int MAX_DATE_CHARS = 200;

    private static final Pattern MESSAGE_ID = Pattern.compile("<[^<>\\s]+>");
    private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");

    /** RFC 3339 with seconds always written (OffsetDateTime.toString drops ":00"). */
    private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?[^?\\s]+\\?[bBqQ]\\?[^?\\s]*\\?=");
    private static final Pattern PLAIN_ADDRESS = Pattern.compile("[^@\\s<>\"]+@[^@\\s<>\"]+");
    private static final Pattern VERDICT = Pattern.compile("^\\s*(spf|dkim|dmarc)\\s*=\\s*([A-Za-z]+)");

    private final List<Header> headers;
    private final List<Defect> defects;

    HeaderFields(List<Header> headers, List<Defect> defects) {
        this.headers = headers;
        this.defects = defects;
    }

    /** The raw body of the first field with this name, or null. */
    String first(String name) {
        return headers.stream()
                .filter(h -> h.name().equalsIgnoreCase(name))
                .map(h -> h.raw().strip())
                .findFirst()
                .orElse(null);
    }

    String firstDecoded(String name) {
        return headers.stream()
                .filter(h -> h.name().equalsIgnoreCase(name))
                .map(h -> h.decoded().strip())
                .findFirst()
                .orElse(null);
    }

    /** The Date field as ISO-8601 with its offset; null (and a defect) when it cannot be read. */
    String date() {
        String raw = first("Date");
        if (raw == null) {
            return null;
        }
        if (raw.length() > MAX_DATE_CHARS) {
            defects.add(new Defect(
                    "bad-date",
                    "message",
                    "Date is " + raw.length() + " characters long, more than a date can be; not read"));
            return null;
        }
        String cleaned =
                WHITE_SPACE.matcher(withoutTrailingComment(raw)).replaceAll(" ").strip();
        try {
            return OffsetDateTime.parse(cleaned, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .format(RFC_3339);
        } catch (DateTimeParseException e) {
            Date lenient = new MailDateFormat().parse(raw, new ParsePosition(0));
            if (lenient != null) {
                return lenient.toInstant().atOffset(ZoneOffset.UTC).format(RFC_3339);
            }
            defects.add(new Defect("bad-date", "message", "unparseable Date '" + abbreviate(raw) + "'"));
            return null;
        }
    }

    /**
     * The text before a final comment, as in {@code ... +0200 (CEST)}: what the pattern
     * {@code \s*\([^)]*\)\s*$} removes, found in one pass where the pattern backtracks from every
     * {@code (} to the end.
     */
    private static String withoutTrailingComment(String date) {
        String stripped = date.stripTrailing();
        if (!stripped.endsWith(")")) {
            return date;
        }
        int previousClose = stripped.lastIndexOf(')', stripped.length() - 2);
        int open = stripped.indexOf('(', previousClose + 1);
        return open < 0 ? date : stripped.substring(0, open);
    }

    /**
     * Every address in every field with this name, at most {@link #MAX_ADDRESSES}; group members
     * are listed, the group name is not.
     */
    List<Address> addresses(String name) {
        List<Address> addresses = new ArrayList<>();
        for (Header header : headers) {
            if (!header.name().equalsIgnoreCase(name)) {
                continue;
            }
            if (addresses.size() > MAX_ADDRESSES) {
                break;
            }
            if (!AddressSyntax.readsInOnePass(header.raw())) {
                defects.add(new Defect(
                        "bad-address",
                        "message",
                        name + " is long and has an unclosed quote, comment or bracket: '" + abbreviate(header.raw())
                                + "'; not read"));
                continue;
            }
            try {
                List<Address> read = new ArrayList<>();
                for (InternetAddress address : InternetAddress.parseHeader(header.raw(), false)) {
                    if (address.isGroup()) {
                        for (InternetAddress member : address.getGroup(false)) {
                            read.add(address(member));
                        }
                    } else {
                        read.add(address(address));
                    }
                }
                if (read.stream()
                        .anyMatch(a -> a.address() == null
                                || !PLAIN_ADDRESS.matcher(a.address()).matches())) {
                    defects.add(new Defect(
                            "bad-address",
                            "message",
                            name + " holds an address that is not" + " local@domain: '" + abbreviate(header.raw())
                                    + "'; kept as written"));
                }
                addresses.addAll(read);
            } catch (AddressException e) {
                defects.add(new Defect(
                        "bad-address",
                        "message",
                        name + " is not a valid address list: '" + abbreviate(header.raw()) + "'"));
            }
        }
        if (addresses.size() > MAX_ADDRESSES) {
            defects.add(new Defect(
                    "too-many-addresses",
                    "message",
                    name + " holds more than " + MAX_ADDRESSES + " addresses; the rest were skipped"));
            return new ArrayList<>(addresses.subList(0, MAX_ADDRESSES));
        }
        return addresses;
    }

    private static Address address(InternetAddress address) {
        String personal = address.getPersonal();
        return new Address(personal == null || personal.isBlank() ? null : personal, address.getAddress());
    }

    /** The message ids in a field, in order, with their angle brackets. */
    List<String> messageIds(String name) {
        String raw = first(name);
        List<String> ids = new ArrayList<>();
        if (raw != null) {
            Matcher matcher = MESSAGE_ID.matcher(raw);
            while (matcher.find()) {
                ids.add(matcher.group());
            }
        }
        return ids;
    }

    /** SPF, DKIM and DMARC verdicts from Authentication-Results, then Received-SPF; null when neither is present. */
    Authentication authentication() {
        List<String> results = headers.stream()
                .filter(h -> h.name().equalsIgnoreCase("Authentication-Results"))
                .map(h -> h.decoded().strip())
                .toList();
        String receivedSpf = first("Received-SPF");
        if (results.isEmpty() && receivedSpf == null) {
            return null;
        }
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (String result : results) {
            String[] clauses = result.split(";");
            // The first clause is the authserv-id; the verdicts follow.
            for (int i = 1; i < clauses.length; i++) {
                Matcher verdict = VERDICT.matcher(clauses[i]);
                if (verdict.find()) {
                    verdicts.putIfAbsent(
                            verdict.group(1).toLowerCase(Locale.ROOT),
                            verdict.group(2).toLowerCase(Locale.ROOT));
                }
            }
        }
        if (receivedSpf != null && !verdicts.containsKey("spf")) {
            String[] words = WHITE_SPACE.split(receivedSpf, 2);
            if (words.length > 0 && !words[0].isEmpty()) {
                verdicts.put("spf", words[0].toLowerCase(Locale.ROOT));
            }
        }
        return new Authentication(verdicts.get("spf"), verdicts.get("dkim"), verdicts.get("dmarc"), results);
    }

    /** Spam-filter fields (X-Spam-*), by field name, first occurrence of each. */
    Map<String, String> spam() {
        Map<String, String> spam = new LinkedHashMap<>();
        for (Header header : headers) {
            if (header.name().toLowerCase(Locale.ROOT).startsWith("x-spam-")) {
                spam.putIfAbsent(header.name(), header.decoded().strip());
            }
        }
        return spam;
    }

    /**
     * RFC 2047 encoded words decoded, also those glued to other text (which the RFC forbids and
     * mailers produce anyway); words that are not valid encoding are kept as written.
     */
    static String decodeWords(String raw) {
        String decoded;
        try {
            decoded = MimeUtility.decodeText(raw);
        } catch (UnsupportedEncodingException | RuntimeException e) {
            decoded = raw;
        }
        if (!decoded.contains("=?")) {
            return decoded;
        }
        Matcher word = ENCODED_WORD.matcher(decoded);
        StringBuilder result = new StringBuilder();
        while (word.find()) {
            String replacement;
            try {
                replacement = MimeUtility.decodeWord(word.group());
            } catch (jakarta.mail.internet.ParseException | UnsupportedEncodingException | RuntimeException e) {
                replacement = word.group();
            }
            word.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        word.appendTail(result);
        return result.toString();
    }

    static boolean hasEightBit(String text) {
        return text.chars().anyMatch(c -> c > 0x7f);
    }

    /**
     * Header text is read as ISO-8859-1, one char per byte; raw 8-bit headers are nearly always UTF-8
     * (RFC 6532), so re-read them as UTF-8 when the bytes are valid UTF-8.
     */
    static String asUtf8(String latin1) {
        if (!hasEightBit(latin1) || latin1.chars().anyMatch(c -> c > 0xff)) {
            return latin1;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(latin1.getBytes(StandardCharsets.ISO_8859_1)))
                    .toString();
        } catch (CharacterCodingException e) {
            return latin1;
        }
    }

    /** At most 200 characters of a hostile value, for a defect's detail. */
    static String abbreviate(String text) {
        return text == null || text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
