package dev.mailpipe.mime;

import dev.mailpipe.common.Sha256;
import dev.mailpipe.mime.MailEvent.Attachment;
import dev.mailpipe.mime.MailEvent.Body;
import dev.mailpipe.mime.MailEvent.Defect;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.ParseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.eclipse.angus.mail.util.BASE64DecoderStream;

/**
 * Maps a raw message (an {@code .eml} file) to a {@link MailEvent}: plain Java, no Camel. It streams:
 * a large message is mapped rather than read ({@link MessageBytes}), attachment bytes go straight to
 * the {@link AttachmentStore} (hashed on the way), and only bodies up to the cap are held in memory.
 * Malformed input never throws; each problem becomes a {@link Defect} and the best reading of the
 * message is kept. Only an unreadable file and a failing store are exceptions. Every cap (parts, nesting, header
 * fields, addresses) applies before the work it bounds, so hostile mail costs time and memory
 * linear in its size.
 */
public final class MailEventMapper {

    /** Bodies longer than this many characters are cut, with {@code truncated} set. */
    public static final int MAX_BODY_CHARS = 1_000_000;

    static final int MAX_DEPTH = 20;
    static final int MAX_PARTS = 1_000;

    private static final Session SESSION = Session.getInstance(sessionProperties());
    private static final List<String> KNOWN_ENCODINGS = List.of("7bit", "8bit", "binary", "base64", "quoted-printable");

    private final AttachmentStore store;

    public MailEventMapper(AttachmentStore store) {
        this.store = store;
    }

    private static Properties sessionProperties() {
        Properties properties = new Properties();
        // Hostile mail: be lenient in what is parsed, and record what was wrong as defects.
        properties.setProperty("mail.mime.address.strict", "false");
        properties.setProperty("mail.mime.decodeparameters", "true");
        properties.setProperty("mail.mime.decodefilename", "true");
        properties.setProperty("mail.mime.multipart.allowempty", "true");
        properties.setProperty("mail.mime.multipart.ignoremissingendboundary", "true");
        properties.setProperty("mail.mime.parameters.strict", "false");
        return properties;
    }

    /**
     * Maps the message in {@code eml}; throws only when the file cannot be read, or an {@link
     * AttachmentNotStoredException} when the store fails.
     */
    public MailEvent map(Path eml, MessageContext context) throws IOException {
        long size = Files.size(eml);
        Mapping mapping = new Mapping();
        List<MailEvent.Header> headers = List.of();
        try (InputStream in = MessageBytes.of(eml, size)) {
            MimeMessage message = new MimeMessage(SESSION, in);
            headers = RawHeaders.read(message, mapping.defects);
            mapping.walk(message, "1", 0);
        } catch (MessagingException | RuntimeException e) {
            mapping.defect("unparseable", "message", "the message could not be parsed further: " + e);
        }
        HeaderFields fields = new HeaderFields(headers, mapping.defects);
        return new MailEvent(
                MailEvent.SCHEMA_VERSION,
                context.key(),
                context.mailbox(),
                context.uidl(),
                fields.first("Message-ID"),
                fields.date(),
                context.receivedAt() == null ? null : context.receivedAt().toString(),
                fields.addresses("From"),
                fields.addresses("Sender").stream().findFirst().orElse(null),
                fields.addresses("Reply-To"),
                fields.addresses("To"),
                fields.addresses("Cc"),
                fields.addresses("Bcc"),
                fields.firstDecoded("Subject"),
                mapping.text,
                mapping.html,
                List.copyOf(mapping.attachments),
                fields.messageIds("In-Reply-To").stream().findFirst().orElse(null),
                fields.messageIds("References"),
                fields.authentication(),
                fields.spam(),
                size,
                headers,
                List.copyOf(mapping.defects));
    }

    /** The state of one mapping. */
    private final class Mapping {
        private final List<Defect> defects = new ArrayList<>();
        private final List<Attachment> attachments = new ArrayList<>();
        /** Reused for every part's copy. */
        private final byte[] buffer = new byte[16 * 1024];

        /** The message itself is the first part. */
        private final BoundedMultipart.Budget parts = new BoundedMultipart.Budget(MAX_PARTS - 1);

        private Body text;
        private Body html;
        private boolean partsSkipped;

        void defect(String code, String part, String detail) {
            defects.add(new Defect(code, part, detail));
        }

        void walk(MimePart part, String path, int depth) throws AttachmentNotStoredException {
            ContentType type = contentType(part, path);
            if (type.match("multipart/*")) {
                if (type.getParameter("boundary") == null) {
                    defect(
                            "missing-boundary",
                            path,
                            "multipart without a boundary parameter; boundary taken from the body");
                }
                walkMultipart(part, path, depth);
            } else {
                leaf(part, path, type);
            }
        }

        private void walkMultipart(MimePart part, String path, int depth) throws AttachmentNotStoredException {
            if (depth >= MAX_DEPTH) {
                defect("nesting-too-deep", path, "multipart nested deeper than " + MAX_DEPTH + "; not read further");
                return;
            }
            try {
                BoundedMultipart multipart = new BoundedMultipart(part, parts);
                int count = multipart.getCount();
                if (count == 0) {
                    defect("empty-multipart", path, "a multipart without parts");
                }
                if (!multipart.isComplete()) {
                    defect("missing-end-boundary", path, "the closing boundary is missing; read to the end");
                }
                for (int i = 0; i < count; i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    String childPath = path + "." + (i + 1);
                    if (multipart.isSkipped(child)) {
                        skippedParts(childPath);
                        break;
                    }
                    walk((MimePart) child, childPath, depth + 1);
                }
            } catch (MessagingException | RuntimeException e) {
                defect(
                        "bad-multipart",
                        path,
                        "cannot split the multipart (" + e.getMessage() + "); kept as an attachment");
                leaf(part, path, new ContentType("application", "octet-stream", null));
            }
        }

        /** Reported once, at the first part past the cap (parts are counted as their multipart is split). */
        private void skippedParts(String path) {
            if (!partsSkipped) {
                partsSkipped = true;
                defect("too-many-parts", path, "more than " + MAX_PARTS + " parts; the rest were skipped");
            }
        }

        private void leaf(MimePart part, String path, ContentType type) throws AttachmentNotStoredException {
            checkEncoding(part, path);
            String disposition = disposition(part, path);
            String filename = filename(part, path);
            boolean textual = type.match("text/plain") || type.match("text/html");
            boolean body = textual && !"attachment".equals(disposition) && filename == null;
            if (body && type.match("text/plain") && text == null) {
                text = body(part, path, type);
            } else if (body && type.match("text/html") && html == null) {
                html = body(part, path, type);
            } else {
                attachment(part, path, type, disposition, filename);
            }
        }

        private Body body(MimePart part, String path, ContentType type) {
            long cap = (long) MAX_BODY_CHARS * 4;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            boolean truncated = false;
            for (boolean lenient : new boolean[] {false, true}) {
                bytes.reset();
                try {
                    truncated = copyDecoded(part, bytes, cap, lenient);
                    break;
                } catch (DecodingFailed e) {
                    reportDecoding(path, e, lenient);
                } catch (IOException e) {
                    throw new IllegalStateException("writing to memory cannot fail", e);
                }
            }
            TextDecoding.Decoded decoded = TextDecoding.decode(bytes.toByteArray(), type.getParameter("charset"));
            decoded.problem().ifPresent(problem -> defect("charset", path, problem));
            String content = decoded.text();
            if (content.length() > MAX_BODY_CHARS) {
                content = content.substring(0, MAX_BODY_CHARS);
                truncated = true;
            }
            return new Body(content, decoded.charset(), truncated);
        }

        private void attachment(MimePart part, String path, ContentType type, String disposition, String filename)
                throws AttachmentNotStoredException {
            int index = attachments.size() + 1;
            MessageDigest digest = Sha256.newDigest();
            long[] size = {0};
            String ref = null;
            for (boolean lenient : new boolean[] {false, true}) {
                try {
                    ref = store.store(index, filename, out -> {
                        digest.reset();
                        CountingStream counter = new CountingStream(new DigestOutputStream(out, digest));
                        copyDecoded(part, counter, Long.MAX_VALUE, lenient);
                        counter.flush();
                        size[0] = counter.count;
                    });
                    break;
                } catch (DecodingFailed e) {
                    reportDecoding(path, e, lenient);
                } catch (Exception e) {
                    // An event whose attachment has no bytes would be a silent loss once the message is deleted.
                    throw new AttachmentNotStoredException(path, e);
                }
            }
            String contentId = contentId(part);
            attachments.add(new Attachment(
                    filename,
                    type.getBaseType().toLowerCase(Locale.ROOT),
                    disposition,
                    "inline".equals(disposition) || contentId != null,
                    contentId,
                    size[0],
                    Sha256.hex(digest.digest()),
                    ref));
        }

        private void reportDecoding(String path, DecodingFailed e, boolean lenient) {
            if (lenient) {
                defect("undecodable", path, "the content could not be read: " + e.getMessage());
            } else {
                defect(
                        "bad-encoding",
                        path,
                        "broken " + e.encoding + " content (" + e.getMessage() + "); decoded leniently");
            }
        }

        /**
         * Copies the part's decoded bytes into {@code out}, at most {@code limit}; returns whether there
         * were more. A failure to read or decode the part is a {@link DecodingFailed}; a failure to
         * write is thrown as it is.
         */
        private boolean copyDecoded(MimePart part, OutputStream out, long limit, boolean lenient) throws IOException {
            String encoding = encoding(part);
            InputStream raw;
            try {
                raw = rawContent(part);
            } catch (MessagingException e) {
                throw new DecodingFailed(encoding, e);
            }
            try (InputStream decoded = decoder(raw, encoding, lenient)) {
                long total = 0;
                while (true) {
                    int n;
                    try {
                        n = decoded.read(buffer);
                    } catch (IOException | RuntimeException e) {
                        throw new DecodingFailed(encoding, e);
                    }
                    if (n < 0) {
                        return false;
                    }
                    if (total + n > limit) {
                        out.write(buffer, 0, (int) (limit - total));
                        return true;
                    }
                    out.write(buffer, 0, n);
                    total += n;
                }
            }
        }

        /** The part's content as written, before transfer decoding. */
        private InputStream rawContent(MimePart part) throws MessagingException {
            if (part instanceof MimeBodyPart bodyPart) {
                return bodyPart.getRawInputStream();
            }
            return ((MimeMessage) part).getRawInputStream();
        }

        private InputStream decoder(InputStream raw, String encoding, boolean lenient) {
            return switch (encoding) {
                case "base64" -> lenient ? new BASE64DecoderStream(raw, true) : new Base64Blocks(raw);
                case "quoted-printable" -> new QuotedPrintable(raw);
                default -> raw;
            };
        }

        /** The transfer encoding; unknown ones are reported once per part by {@link #leaf}. */
        private String encoding(MimePart part) {
            try {
                String encoding = part.getEncoding();
                String normalized = encoding == null ? "7bit" : encoding.trim().toLowerCase(Locale.ROOT);
                return KNOWN_ENCODINGS.contains(normalized) ? normalized : "binary";
            } catch (MessagingException e) {
                return "binary";
            }
        }

        private void checkEncoding(MimePart part, String path) {
            try {
                String encoding = part.getEncoding();
                if (encoding != null
                        && !KNOWN_ENCODINGS.contains(encoding.trim().toLowerCase(Locale.ROOT))) {
                    defect(
                            "unknown-transfer-encoding",
                            path,
                            "unknown Content-Transfer-Encoding '" + HeaderFields.abbreviate(encoding)
                                    + "'; content kept as is");
                }
            } catch (MessagingException e) {
                defect("unknown-transfer-encoding", path, "unreadable Content-Transfer-Encoding; content kept as is");
            }
        }

        private ContentType contentType(MimePart part, String path) {
            String raw = null;
            try {
                raw = part.getHeader("Content-Type", null);
                if (raw == null) {
                    return new ContentType("text", "plain", null);
                }
                return new ContentType(raw);
            } catch (ParseException e) {
                defect(
                        "bad-content-type",
                        path,
                        "unparseable Content-Type '" + HeaderFields.abbreviate(raw) + "'; read as "
                                + "application/octet-stream");
                return new ContentType("application", "octet-stream", null);
            } catch (MessagingException e) {
                return new ContentType("application", "octet-stream", null);
            }
        }

        private String disposition(MimePart part, String path) {
            try {
                String disposition = part.getDisposition();
                return disposition == null ? null : disposition.toLowerCase(Locale.ROOT);
            } catch (MessagingException e) {
                defect("bad-content-disposition", path, "unparseable Content-Disposition; ignored");
                return null;
            }
        }

        private String filename(MimePart part, String path) {
            try {
                String name = part.getFileName();
                if (name == null || name.isBlank()) {
                    return null;
                }
                // Mailers put encoded words inside quoted file names, which RFC 2047 forbids but readers decode.
                return HeaderFields.decodeWords(HeaderFields.asUtf8(name));
            } catch (MessagingException | RuntimeException e) {
                defect("bad-filename", path, "unreadable file name; none used");
                return null;
            }
        }

        private String contentId(MimePart part) {
            try {
                String id = part.getContentID();
                return id == null ? null : withoutAngleBrackets(id.trim());
            } catch (MessagingException e) {
                return null;
            }
        }

        /** {@code <id@host>} without its brackets; either may be missing. */
        private static String withoutAngleBrackets(String id) {
            int from = id.startsWith("<") ? 1 : 0;
            int to = id.endsWith(">") && id.length() > from ? id.length() - 1 : id.length();
            return id.substring(from, to);
        }
    }

    /** Reading or decoding a part failed (as opposed to storing it). */
    private static final class DecodingFailed extends IOException {
        private final String encoding;

        DecodingFailed(String encoding, Exception cause) {
            super(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
            this.encoding = encoding;
        }
    }

    /** Counts the bytes written through it. */
    private static final class CountingStream extends java.io.FilterOutputStream {
        private long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
