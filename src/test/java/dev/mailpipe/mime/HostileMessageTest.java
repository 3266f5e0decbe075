package dev.mailpipe.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.mailpipe.testing.EventSchema;
import dev.mailpipe.testing.HostileMessages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages built to exhaust the mapper's memory or to take it quadratic time map to a valid, bounded
 * event that names what was cut. The time bound is a safety net; the caps that make the work linear
 * are in the mapper's structure.
 */
class HostileMessageTest {

    /** Far above what any shape needs now (under a second each), far below what they took before. */
    private static final Duration SAFETY_NET = Duration.ofSeconds(15);

    /** The largest event a shape may give: caps keep each well under it. */
    private static final int MAX_EVENT_CHARS = 1_000_000;

    @TempDir
    Path dir;

    private MailEvent map(String name, byte[] message) throws Exception {
        Path eml = Files.write(dir.resolve(name + ".eml"), message);
        MailEvent event = assertTimeoutPreemptively(
                SAFETY_NET, () -> new MailEventMapper(AttachmentStore.DISCARD).map(eml, MessageContext.NONE));
        String json = MailEventJson.compact(event);
        assertThat(EventSchema.violations(json)).isEmpty();
        assertThat(json.length()).isLessThan(MAX_EVENT_CHARS);
        return event;
    }

    private static boolean hasDefect(MailEvent event, String code) {
        return event.defects().stream().anyMatch(d -> d.code().equals(code));
    }

    @Test
    void thousandsOfEmptyPartsInAMappedMessageStopAtThePartCap() throws Exception {
        byte[] message = HostileMessages.manyEmptyParts();
        assertThat(message.length).isGreaterThan(MessageBytes.IN_MEMORY_BYTES);

        MailEvent event = map("many-empty-parts", message);

        assertThat(event.defects())
                .filteredOn(d -> d.code().equals("too-many-parts"))
                .singleElement()
                .satisfies(d -> assertThat(d.part()).isEqualTo("1." + MailEventMapper.MAX_PARTS));
        assertThat(event.attachments().size()).isLessThan(MailEventMapper.MAX_PARTS);
        assertThat(event.subject()).isEqualTo("hostile");
    }

    @Test
    void fiftyThousandToFieldsKeepTheFirstThousand() throws Exception {
        MailEvent event = map("many-to-headers", HostileMessages.manyToHeaders());

        assertThat(hasDefect(event, "too-many-headers")).isTrue();
        assertThat(event.headers()).hasSize(RawHeaders.MAX_HEADERS);
        assertThat(event.to()).isNotEmpty().hasSizeLessThanOrEqualTo(HeaderFields.MAX_ADDRESSES);
        assertThat(event.to().get(0).address()).isEqualTo("recipient0@example.org");
    }

    @Test
    void aFieldFoldedAMillionTimesIsCutBeforeItIsUnfolded() throws Exception {
        MailEvent event = map("deep-fold", HostileMessages.deepFold());

        assertThat(hasDefect(event, "header-truncated")).isTrue();
        MailEvent.Header folded = event.headers().stream()
                .filter(h -> h.name().equals("X-Folded"))
                .findFirst()
                .orElseThrow();
        assertThat(folded.raw()).startsWith("start x x").doesNotContain("\r", "\n");
        assertThat(folded.raw().length()).isLessThanOrEqualTo(RawHeaders.MAX_HEADER_CHARS);
    }

    @Test
    void aDateOfAHundredThousandParenthesesIsABadDate() throws Exception {
        MailEvent event = map("date-with-parens", HostileMessages.dateWithParens());

        assertThat(event.date()).isNull();
        assertThat(hasDefect(event, "bad-date")).isTrue();
    }

    @Test
    void anAddressFieldOfUnclosedCommentsIsNotHandedToAngus() throws Exception {
        MailEvent event = map("address-with-parens", HostileMessages.addressWithParens());

        assertThat(event.to()).isEmpty();
        assertThat(event.defects()).anySatisfy(d -> assertThat(d.detail()).contains("To is long and has an unclosed"));
    }

    @Test
    void halfAMillionSoftLineBreaksDecodeWithoutOverflowingTheStack() throws Exception {
        MailEvent event = map("soft-line-breaks", HostileMessages.softLineBreaks());

        assertThat(event.text().content()).isEqualTo("startend\r\n");
    }

    @Test
    void nestingFiveThousandDeepStopsAtTheDepthCap() throws Exception {
        MailEvent event = map("deep-nesting", HostileMessages.deepNesting(5_000));

        assertThat(hasDefect(event, "nesting-too-deep")).isTrue();
        assertThat(event.text()).isNull();
    }

    @Test
    void aFileThatIsNotMailIsFlagged() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

        assertThat(hasDefect(map("image", png), "not-a-message")).isTrue();
        assertThat(hasDefect(map("letter", "Dear Bob,\n\nsee you.\n".getBytes()), "not-a-message"))
                .isTrue();
        assertThat(hasDefect(
                        map("mbox", "From bob@example.org Mon Nov  2 10:00:00 2026\nSubject: hi\n\nbody\n".getBytes()),
                        "not-a-message"))
                .isFalse();
    }
}
