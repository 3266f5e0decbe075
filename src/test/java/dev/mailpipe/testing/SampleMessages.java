package dev.mailpipe.testing;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Deterministic test messages of a realistic mix, as raw bytes with CRLF line ends. */
public final class SampleMessages {

    private SampleMessages() {}

    /** Message number {@code n}: plain text, HTML alternative or a small attachment, varying in size. */
    public static byte[] message(int n) {
        Random random = new Random(n);
        String subject = n % 3 == 0 ? "=?UTF-8?Q?Gr=C3=BC=C3=9Fe_" + n + "?=" : "Report " + n;
        StringBuilder body = new StringBuilder();
        int lines = 5 + random.nextInt(60);
        for (int i = 0; i < lines; i++) {
            body.append("Line ").append(i).append(" of message ").append(n).append(": ");
            body.append("x".repeat(random.nextInt(70))).append("\n");
        }
        // A line with only a dot must survive POP3 dot-stuffing unchanged.
        body.append(".\n..\n");
        String headers = "From: Sender " + n + " <sender" + n + "@example.org>\n"
                + "To: alice@localhost\n"
                + "Subject: " + subject + "\n"
                + "Date: Mon, 02 Nov 2026 10:00:00 +0000\n"
                + "Message-ID: <msg-" + n + "@example.org>\n"
                + "MIME-Version: 1.0\n";
        String text = switch (n % 3) {
            case 0 -> headers + "Content-Type: text/plain; charset=utf-8\n\n" + body;
            case 1 ->
                headers + "Content-Type: multipart/alternative; boundary=\"b" + n + "\"\n\n"
                        + "--b" + n + "\nContent-Type: text/plain; charset=utf-8\n\n" + body
                        + "--b" + n + "\nContent-Type: text/html; charset=utf-8\n\n<p>" + n + "</p>\n"
                        + "--b" + n + "--\n";
            default ->
                headers + "Content-Type: multipart/mixed; boundary=\"m" + n + "\"\n\n"
                        + "--m" + n + "\nContent-Type: text/plain; charset=utf-8\n\n" + body
                        + "--m" + n + "\nContent-Type: application/octet-stream; name=\"data-" + n + ".bin\"\n"
                        + "Content-Transfer-Encoding: base64\n\n"
                        + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\n"
                        + "--m" + n + "--\n";
        };
        return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
