package dev.mailpipe.benchmark;

import dev.mailpipe.common.Sha256;
import dev.mailpipe.testing.DovecotServer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * The benchmark's mailbox: message {@code n} is always the same bytes. About 70% are small text
 * mails, 25% multipart/alternative with HTML, 5% carry a 0.5 to 2 MB attachment; bodies are UTF-8
 * (8bit) or ISO-8859-1 (quoted-printable), subjects RFC 2047 encoded words in the same charset.
 * Files use LF line ends, as Maildir stores them; the server sends CRLF.
 */
public final class MessageMix {

    private static final String[] WORDS = {
        "Rechnung",
        "für",
        "März",
        "Grüße",
        "aus",
        "Köln",
        "café",
        "crème",
        "réunion",
        "année",
        "señor",
        "mañana",
        "invoice",
        "meeting",
        "quarterly",
        "report",
        "délai",
        "Übersicht",
        "projet",
        "naïve",
        "Zürich",
        "Ærø",
        "smørrebrød",
        "order",
        "shipment",
        "À",
        "bientôt",
        "status",
        "update",
        "the",
        "and",
        "of",
        "numbers",
        "attached",
        "please",
        "review",
        "straße",
        "Ångström",
        "façade"
    };
    private static final String[] UTF8_ONLY = {"✓", "€", "Łódź", "Καλημέρα", "日本", "—"};
    private static final DateTimeFormatter RFC_5322 = DateTimeFormatter.RFC_1123_DATE_TIME;
    private static final ZonedDateTime FIRST_DATE = ZonedDateTime.of(2026, 1, 5, 8, 0, 0, 0, ZoneOffset.UTC);

    private MessageMix() {}

    /** Writes messages 1..count into {@code folder} as {@code NNNNNN.bench}, owned by the mail user. */
    public static long writeMailbox(Path folder, int count) throws IOException {
        Files.createDirectories(folder);
        long bytes = 0;
        for (int n = 1; n <= count; n++) {
            Path file = folder.resolve(String.format("%06d.bench", n));
            byte[] raw = message(n);
            Files.write(file, raw);
            DovecotServer.ownByMailUser(file);
            bytes += raw.length;
        }
        return bytes;
    }

    public static byte[] message(int n) {
        Random random = new Random(0x6d61696cL * 31 + n);
        int kind = random.nextInt(100);
        boolean utf8 = random.nextInt(5) < 3;
        Charset charset = utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
        StringBuilder mail = new StringBuilder(4096);
        headers(mail, n, random, charset);
        if (kind < 70) {
            textPart(mail, random, charset, 10 + random.nextInt(40));
        } else if (kind < 95) {
            String boundary = "alt-" + n;
            mail.append("Content-Type: multipart/alternative; boundary=\"")
                    .append(boundary)
                    .append("\"\n\n");
            List<String> paragraphs = paragraphs(random, charset, 10 + random.nextInt(40));
            mail.append("--").append(boundary).append('\n');
            textPart(mail, charset, paragraphs);
            mail.append("--").append(boundary).append('\n');
            htmlPart(mail, charset, paragraphs);
            mail.append("--").append(boundary).append("--\n");
        } else {
            String boundary = "mixed-" + n;
            mail.append("Content-Type: multipart/mixed; boundary=\"")
                    .append(boundary)
                    .append("\"\n\n");
            mail.append("--").append(boundary).append('\n');
            textPart(mail, random, charset, 5 + random.nextInt(10));
            mail.append("--").append(boundary).append('\n');
            byte[] attachment = new byte[512 * 1024 + random.nextInt(1536 * 1024)];
            random.nextBytes(attachment);
            mail.append("Content-Type: application/pdf; name=\"report-")
                    .append(n)
                    .append(".pdf\"\n")
                    .append("Content-Disposition: attachment; filename=\"report-")
                    .append(n)
                    .append(".pdf\"\n")
                    .append("Content-Transfer-Encoding: base64\n\n")
                    .append(Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(attachment))
                    .append('\n');
            mail.append("--").append(boundary).append("--\n");
        }
        return bytes(mail.toString(), charset);
    }

    /**
     * Streams one message with a {@code megabytes} MB attachment into {@code file} and returns the
     * attachment's SHA-256 (hex), never holding the attachment in memory.
     */
    public static String writeLargeMessage(Path file, int megabytes) throws IOException {
        MessageDigest sha256 = Sha256.newDigest();
        Random random = new Random(megabytes);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            StringBuilder head = new StringBuilder();
            headers(head, 0, random, StandardCharsets.UTF_8);
            head.append("Content-Type: multipart/mixed; boundary=\"large\"\n\n--large\n");
            textPart(head, random, StandardCharsets.UTF_8, 3);
            head.append("--large\nContent-Type: application/octet-stream\n")
                    .append("Content-Disposition: attachment; filename=\"disk-image.bin\"\n")
                    .append("Content-Transfer-Encoding: base64\n\n");
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            OutputStream base64 = Base64.getMimeEncoder(76, new byte[] {'\n'}).wrap(new NonClosing(out));
            byte[] chunk = new byte[1024 * 1024];
            for (int i = 0; i < megabytes; i++) {
                random.nextBytes(chunk);
                sha256.update(chunk);
                base64.write(chunk);
            }
            base64.close();
            out.write("\n--large--\n".getBytes(StandardCharsets.US_ASCII));
        }
        DovecotServer.ownByMailUser(file);
        return Sha256.hex(sha256.digest());
    }

    private static void headers(StringBuilder mail, int n, Random random, Charset charset) {
        mail.append("Return-Path: <sender").append(n % 97).append("@example.org>\n");
        mail.append("From: ")
                .append(encodedWord(words(random, charset, 2), charset))
                .append(" <sender")
                .append(n % 97)
                .append("@example.org>\n");
        mail.append("To: Benchmark <bench@example.net>\n");
        mail.append("Subject: ")
                .append(encodedWord(words(random, charset, 3 + random.nextInt(3)), charset))
                .append('\n');
        mail.append("Date: ").append(RFC_5322.format(FIRST_DATE.plusMinutes(n))).append('\n');
        mail.append("Message-ID: <").append(n).append(".bench@mailpipe.example>\n");
        mail.append("MIME-Version: 1.0\n");
    }

    private static void textPart(StringBuilder mail, Random random, Charset charset, int lines) {
        textPart(mail, charset, paragraphs(random, charset, lines));
    }

    private static void textPart(StringBuilder mail, Charset charset, List<String> lines) {
        mail.append("Content-Type: text/plain; charset=").append(charset.name()).append('\n');
        body(mail, charset, String.join("\n", lines));
    }

    private static void htmlPart(StringBuilder mail, Charset charset, List<String> lines) {
        mail.append("Content-Type: text/html; charset=").append(charset.name()).append('\n');
        StringBuilder html = new StringBuilder("<html><body>\n");
        for (String line : lines) {
            html.append("<p>").append(line).append("</p>\n");
        }
        body(mail, charset, html.append("</body></html>").toString());
    }

    /** UTF-8 goes as 8bit; ISO-8859-1 as quoted-printable, wrapped with soft line breaks. */
    private static void body(StringBuilder mail, Charset charset, String text) {
        if (charset.equals(StandardCharsets.UTF_8)) {
            mail.append("Content-Transfer-Encoding: 8bit\n\n").append(text).append('\n');
            return;
        }
        mail.append("Content-Transfer-Encoding: quoted-printable\n\n");
        for (String line : text.split("\n")) {
            int column = 0;
            for (byte b : line.getBytes(charset)) {
                int c = b & 0xff;
                String encoded = c == '=' || c > 126 ? String.format("=%02X", c) : String.valueOf((char) c);
                if (column + encoded.length() > 75) {
                    mail.append("=\n");
                    column = 0;
                }
                mail.append(encoded);
                column += encoded.length();
            }
            mail.append('\n');
        }
    }

    private static List<String> paragraphs(Random random, Charset charset, int lines) {
        return java.util.stream.IntStream.range(0, lines)
                .mapToObj(i -> words(random, charset, 6 + random.nextInt(8)))
                .toList();
    }

    private static String words(Random random, Charset charset, int count) {
        StringBuilder words = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                words.append(' ');
            }
            boolean special = charset.equals(StandardCharsets.UTF_8) && random.nextInt(6) == 0;
            words.append(special ? UTF8_ONLY[random.nextInt(UTF8_ONLY.length)] : WORDS[random.nextInt(WORDS.length)]);
        }
        return words.toString();
    }

    /** RFC 2047: B encoding for UTF-8, Q for ISO-8859-1, one encoded word per 30 bytes of text. */
    private static String encodedWord(String text, Charset charset) {
        StringBuilder encoded = new StringBuilder();
        byte[] bytes = text.getBytes(charset);
        int start = 0;
        while (start < bytes.length) {
            int end = Math.min(bytes.length, start + 30);
            if (charset.equals(StandardCharsets.UTF_8)) {
                while (end < bytes.length && (bytes[end] & 0xc0) == 0x80) {
                    end--; // never split a UTF-8 sequence between two encoded words
                }
            }
            byte[] piece = java.util.Arrays.copyOfRange(bytes, start, end);
            if (encoded.length() > 0) {
                encoded.append("\n ");
            }
            encoded.append("=?").append(charset.name()).append(charset.equals(StandardCharsets.UTF_8) ? "?B?" : "?Q?");
            if (charset.equals(StandardCharsets.UTF_8)) {
                encoded.append(Base64.getEncoder().encodeToString(piece));
            } else {
                for (byte b : piece) {
                    int c = b & 0xff;
                    if (c == ' ') {
                        encoded.append('_');
                    } else if (c > 126 || c == '=' || c == '?' || c == '_') {
                        encoded.append(String.format("=%02X", c));
                    } else {
                        encoded.append((char) c);
                    }
                }
            }
            encoded.append("?=");
            start = end;
        }
        return encoded.toString();
    }

    private static byte[] bytes(String mail, Charset charset) {
        // Headers and encoded words are ASCII; bodies are in the message's charset.
        return mail.getBytes(charset);
    }

    /** Lets the base64 encoder's close write its final padding without closing the file. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
