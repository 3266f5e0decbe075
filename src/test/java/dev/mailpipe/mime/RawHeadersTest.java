package dev.mailpipe.mime;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeUtility;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one-pass unfold gives what Angus Mail's unfold gives, which copies the rest at every break. */
class RawHeadersTest {

    @Test
    void unfoldsLikeAngus() {
        for (String folded : List.of(
                "",
                "plain",
                "a\r\n b",
                "a\r\n\tb\r\n c",
                "a\n b",
                "a\r b",
                "a\r\nb",
                "a\\\r\n b",
                "\r\n b",
                "a\r\n",
                "a\r\n\r\n b",
                "x\\\nA\r\n\t\\\r\nb\n")) {
            assertThat(RawHeaders.unfold(folded)).as(folded).isEqualTo(MimeUtility.unfold(folded));
        }
    }

    @Test
    void readsListsWithClosedDelimitersInOnePassAndLongUnclosedOnesNot() {
        String closed = "\"Doe, (John)\" <john@example.org> (work), [1.2.3.4] <\"a>b\"@example.org>, ".repeat(100);
        assertThat(AddressSyntax.readsInOnePass(closed)).isTrue();
        assertThat(AddressSyntax.readsInOnePass(closed + "(")).isFalse();
        assertThat(AddressSyntax.readsInOnePass(closed + "<a@example.org")).isFalse();
        assertThat(AddressSyntax.readsInOnePass("(".repeat(AddressSyntax.MAX_UNCLOSED_CHARS)))
                .isTrue();
    }
}
