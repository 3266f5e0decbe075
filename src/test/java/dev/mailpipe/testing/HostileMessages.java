package dev.mailpipe.testing;

import java.nio.charset.StandardCharsets;

/**
 * Hostile messages under 4 MB that once exhausted the mapper's memory or took it quadratic time
 * (issue 12), generated so no multi-megabyte file is committed. Raw bytes with CRLF line ends.
 */
public final class HostileMessages {

    private static final String CRLF = "\r\n";
    private static final String PREFACE = "From: attacker@example.org" + CRLF
            + "Subject: hostile" + CRLF
            + "Date: Mon, 02 Nov 2026 10:00:00 +0000" + CRLF
            + "Message-ID: <hostile@example.org>" + CRLF
            + "MIME-Version: 1.0" + CRLF;

    private HostileMessages() {}

    /**
     * Over 1 MiB of empty parts (7,000 of them, each padded by a long boundary): more than the part
     * cap, read from the file rather than from memory.
     */
    public static byte[] manyEmptyParts() {
        String boundary = "b".repeat(160);
        StringBuilder message = new StringBuilder(PREFACE)
                .append("Content-Type: multipart/mixed; boundary=\"")
                .append(boundary)
                .append('"')
                .append(CRLF)
                .append(CRLF);
        for (int i = 0; i < 7_000; i++) {
            message.append("--").append(boundary).append(CRLF).append(CRLF);
        }
        message.append("--").append(boundary).append("--").append(CRLF);
        return bytes(message);
    }

    /** 50,000 {@code To:} fields of one address each. */
    public static byte[] manyToHeaders() {
        StringBuilder message = new StringBuilder(PREFACE);
        for (int i = 0; i < 50_000; i++) {
            message.append("To: recipient").append(i).append("@example.org").append(CRLF);
        }
        return bytes(message.append(CRLF).append("body").append(CRLF));
    }

    /** One field folded into 1,000,000 lines. */
    public static byte[] deepFold() {
        StringBuilder message = new StringBuilder(PREFACE).append("X-Folded: start");
        for (int i = 0; i < 1_000_000; i++) {
            message.append(CRLF).append(" x");
        }
        return bytes(message.append(CRLF).append(CRLF).append("body").append(CRLF));
    }

    /** A Date field holding 100,000 unclosed comment openers. */
    public static byte[] dateWithParens() {
        return bytes(new StringBuilder("From: attacker@example.org" + CRLF)
                .append("Date: Mon, 02 Nov 2026 10:00:00 +0000 ")
                .append("(".repeat(100_000))
                .append(CRLF)
                .append(CRLF)
                .append("body")
                .append(CRLF));
    }

    /** A To field of 100,000 unclosed comment openers, which Angus Mail's address parser rescans. */
    public static byte[] addressWithParens() {
        return bytes(new StringBuilder(PREFACE)
                .append("To: ")
                .append("(".repeat(100_000))
                .append(CRLF)
                .append(CRLF)
                .append("body")
                .append(CRLF));
    }

    /** A quoted-printable body of 500,000 soft line breaks in a row, which overflowed Angus's decoder's stack. */
    public static byte[] softLineBreaks() {
        return bytes(new StringBuilder(PREFACE)
                .append("Content-Type: text/plain; charset=us-ascii")
                .append(CRLF)
                .append("Content-Transfer-Encoding: quoted-printable")
                .append(CRLF)
                .append(CRLF)
                .append("start")
                .append(("=" + CRLF).repeat(500_000))
                .append("end")
                .append(CRLF));
    }

    /** Multiparts nested {@code depth} deep, a text part at the bottom. */
    public static byte[] deepNesting(int depth) {
        StringBuilder message = new StringBuilder(PREFACE);
        for (int level = 0; level < depth; level++) {
            message.append("Content-Type: multipart/mixed; boundary=\"n")
                    .append(level)
                    .append('"')
                    .append(CRLF)
                    .append(CRLF)
                    .append("--n")
                    .append(level)
                    .append(CRLF);
        }
        message.append("Content-Type: text/plain")
                .append(CRLF)
                .append(CRLF)
                .append("bottom")
                .append(CRLF);
        for (int level = depth - 1; level >= 0; level--) {
            message.append("--n").append(level).append("--").append(CRLF);
        }
        return bytes(message);
    }

    private static byte[] bytes(CharSequence message) {
        return message.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
