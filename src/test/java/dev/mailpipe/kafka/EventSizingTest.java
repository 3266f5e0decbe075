package dev.mailpipe.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.mime.MailEvent;
import dev.mailpipe.testing.EventSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Events over the record limit are cut down, say so, and still match the schema. */
class EventSizingTest {

    private static MailEvent event(String text) {
        return new MailEvent(
                1,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(),
                null,
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                "big",
                new MailEvent.Body(text, "UTF-8", false),
                null,
                List.of(),
                null,
                List.of(),
                null,
                Map.of(),
                text.length(),
                List.of(new MailEvent.Header("Subject", "big", "big")),
                List.of());
    }

    @Test
    void smallEventsPassUnchanged() {
        byte[] json = EventSizing.fit(event("hello"), 10_000);
        assertThat(new String(json, StandardCharsets.UTF_8))
                .contains("\"hello\"")
                .doesNotContain("event-truncated");
    }

    @Test
    void largeEventsAreCutBelowTheLimitWithADefect() {
        byte[] json = EventSizing.fit(event("x".repeat(3_000_000)), 50_000);
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(json.length).isLessThanOrEqualTo(50_000);
        assertThat(text).contains("event-truncated").contains("\"truncated\":true");
        assertThat(EventSchema.violations(text)).isEmpty();
    }
}
