package dev.mailpipe.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.angus.mail.util.QPDecoderStream;
import org.junit.jupiter.api.Test;

/** The loop decoder gives Angus's bytes for every input, and survives what overflows Angus's stack. */
class QuotedPrintableTest {

    private static byte[] decode(InputStream decoder) throws IOException {
        try (decoder) {
            return decoder.readAllBytes();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void decodesLikeAngus() throws IOException {
        for (String encoded : List.of(
                "",
                "plain text\r\n",
                "caf=C3=A9 =E2=82=AC\r\n",
                "soft=\r\nbreak=\nand LF\n",
                "trailing spaces   \r\nkept  inside\r\n",
                "broken =ZZ escape and =4",
                "=",
                "=\r",
                "end with spaces   ",
                "==41=3d=\r\n=\r\n=\r\nx")) {
            assertThat(decode(new QuotedPrintable(new ByteArrayInputStream(bytes(encoded)))))
                    .as(encoded)
                    .isEqualTo(decode(new QPDecoderStream(new ByteArrayInputStream(bytes(encoded)))));
        }
    }

    @Test
    void halfAMillionSoftLineBreaksInARowDecodeToNothing() throws IOException {
        byte[] encoded = bytes("a" + "=\r\n".repeat(500_000) + "b");

        assertThat(decode(new QuotedPrintable(new ByteArrayInputStream(encoded))))
                .isEqualTo(bytes("ab"));
    }
}
