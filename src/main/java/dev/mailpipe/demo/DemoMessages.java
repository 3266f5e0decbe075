package dev.mailpipe.demo;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** A handful of realistic sample messages for the demo mailbox, as raw RFC 5322 bytes with CRLF line ends. */
public final class DemoMessages {

    private DemoMessages() {}

    public static List<byte[]> all() {
        return List.of(plainText(), htmlAlternative(), withAttachment(), nonAsciiSubject(), latin1QuotedPrintable());
    }

    private static byte[] plainText() {
        return crlf("""
                From: Alice Example <alice@example.org>
                To: demo@mailpipe.test
                Subject: Quarterly numbers
                Date: Tue, 03 Nov 2026 09:15:00 +0100
                Message-ID: <demo-1@example.org>
                MIME-Version: 1.0
                Content-Type: text/plain; charset=us-ascii

                Hi,

                the quarterly numbers are in the shared folder.

                Alice
                """);
    }

    private static byte[] htmlAlternative() {
        return crlf("""
                From: "Shop Newsletter" <news@shop.example>
                To: demo@mailpipe.test
                Subject: Your weekly picks
                Date: Wed, 04 Nov 2026 07:00:00 +0000
                Message-ID: <demo-2@shop.example>
                MIME-Version: 1.0
                Content-Type: multipart/alternative; boundary="alt-boundary"

                --alt-boundary
                Content-Type: text/plain; charset=utf-8

                This week: lamps, chairs and a very good kettle.
                --alt-boundary
                Content-Type: text/html; charset=utf-8

                <html><body><h1>This week</h1><p>Lamps, chairs and a <b>very good</b> kettle.</p></body></html>
                --alt-boundary--
                """);
    }

    private static byte[] withAttachment() {
        byte[] png = Base64.getDecoder()
                .decode(
                        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
        return crlf("""
                From: Bob Builder <bob@example.net>
                To: demo@mailpipe.test
                Subject: Site photo
                Date: Thu, 05 Nov 2026 16:42:10 +0100
                Message-ID: <demo-3@example.net>
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="mixed-boundary"

                --mixed-boundary
                Content-Type: text/plain; charset=utf-8

                Photo of the site attached.
                --mixed-boundary
                Content-Type: image/png; name="site.png"
                Content-Disposition: attachment; filename="site.png"
                Content-Transfer-Encoding: base64

                %s
                --mixed-boundary--
                """.formatted(Base64.getMimeEncoder().encodeToString(png)));
    }

    private static byte[] nonAsciiSubject() {
        return crlf("""
                From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@example.de>
                To: demo@mailpipe.test
                Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4g8J+Ouw==?=
                Date: Fri, 06 Nov 2026 12:00:00 +0100
                Message-ID: <demo-4@example.de>
                MIME-Version: 1.0
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: 8bit

                Schöne Grüße aus München!
                """);
    }

    private static byte[] latin1QuotedPrintable() {
        return crlf("""
                From: =?ISO-8859-1?Q?Fran=E7ois?= <francois@example.fr>
                To: demo@mailpipe.test
                Subject: =?ISO-8859-1?Q?R=E9union_de_l'=E9quipe?=
                Date: Sat, 07 Nov 2026 10:30:00 +0100
                Message-ID: <demo-5@example.fr>
                MIME-Version: 1.0
                Content-Type: text/plain; charset=iso-8859-1
                Content-Transfer-Encoding: quoted-printable

                La r=E9union est d=E9plac=E9e =E0 jeudi.
                """);
    }

    /** Text blocks end lines with LF; mail on the wire uses CRLF. */
    private static byte[] crlf(String message) {
        return message.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
