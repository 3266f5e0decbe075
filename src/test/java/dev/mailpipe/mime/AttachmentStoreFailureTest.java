package dev.mailpipe.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A store that fails fails the mapping: no event claims an attachment whose bytes were not kept. */
class AttachmentStoreFailureTest {

    private static Path message(String name) throws Exception {
        return Path.of(
                AttachmentStoreFailureTest.class.getResource("/mime/" + name).toURI());
    }

    @Test
    void aFailingStoreFailsTheMapping() {
        AttachmentStore failing = (index, filename, content) -> {
            throw new IOException("disk says no");
        };

        assertThatThrownBy(
                        () -> new MailEventMapper(failing).map(message("rfc2231-filenames.eml"), MessageContext.NONE))
                .isInstanceOf(AttachmentNotStoredException.class)
                .hasMessageContaining("part 1.2")
                .hasRootCauseMessage("disk says no");
    }

    @Test
    void brokenContentIsADefectNotAStoreFailure() throws Exception {
        MailEvent event =
                new MailEventMapper(AttachmentStore.DISCARD).map(message("broken-base64.eml"), MessageContext.NONE);

        assertThat(event.defects()).extracting(MailEvent.Defect::code).containsExactly("bad-encoding");
        assertThat(event.attachments()).hasSize(1);
    }
}
