package dev.mailpipe.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The digest that tells two messages with one UIDL and one size apart: the same from TOP as from RETR. */
class HeaderDigestTest {

    private static final String HEADER = "Received: from a.example by b.example; Mon, 7 Dec 2026 10:00:00 +0000\r\n"
            + "Received: from c.example by a.example\r\n"
            + "Message-ID: <one@example.org>\r\n"
            + "Date: Mon, 7 Dec 2026 10:00:00 +0000\r\n"
            + "From: a@example.org\r\n"
            + "Subject: hello\r\n"
            + "\r\n";

    private static String digest(String text) throws IOException {
        return HeaderDigest.of(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void theWholeMessageAndItsTopReplyGiveOneDigest() throws IOException {
        assertThat(digest(HEADER + "body line\r\n\r\nmore body\r\n")).isEqualTo(digest(HEADER));
    }

    @Test
    void foldingLineEndsAndWhiteSpaceDoNotMatter() throws IOException {
        String folded = HEADER.replace("Subject: hello", "Subject:   hello").replace("; Mon", ";\r\n\tMon");
        assertThat(digest(folded)).isEqualTo(digest(HEADER));
        assertThat(digest(HEADER.replace("\r\n", "\n"))).isEqualTo(digest(HEADER));
    }

    @Test
    void anIdentifyingFieldTellsMessagesApart() throws IOException {
        assertThat(digest(HEADER.replace("<one@", "<two@"))).isNotEqualTo(digest(HEADER));
        assertThat(digest(HEADER.replace("hello", "hullo"))).isNotEqualTo(digest(HEADER));
        assertThat(digest(HEADER.replace("from a.example by b", "from x.example by b")))
                .as("the first Received counts")
                .isNotEqualTo(digest(HEADER));
        assertThat(digest(HEADER.replace("from c.example by a", "from x.example by a")))
                .as("later Received lines do not")
                .isEqualTo(digest(HEADER));
    }

    @Test
    void bodyBytesAreNeverLookedAt() throws IOException {
        HeaderDigest digest = new HeaderDigest();
        byte[] message = (HEADER + "x".repeat(1_000_000)).getBytes(StandardCharsets.ISO_8859_1);
        digest.write(message, 0, message.length);
        assertThat(digest.digest()).isEqualTo(digest(HEADER));
    }
}
