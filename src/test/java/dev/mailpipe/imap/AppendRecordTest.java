package dev.mailpipe.imap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The journal's one-line form: read back as written, a folder with spaces whole, anything else unknown. */
class AppendRecordTest {

    @Test
    void readsBackWhatItWrote() {
        AppendRecord record = new AppendRecord(AppendRecord.Outcome.SENDING, "Archive/My Folder 2026", 1796694894L, 42);
        assertThat(AppendRecord.decode(record.encode())).contains(record);
    }

    @Test
    void textItDidNotWriteIsNoRecord() {
        assertThat(AppendRecord.decode(null)).isEmpty();
        assertThat(AppendRecord.decode(" ")).isEmpty();
        assertThat(AppendRecord.decode("SENT 1 2 INBOX")).isEmpty();
        assertThat(AppendRecord.decode("APPENDED x 2 INBOX")).isEmpty();
        assertThat(AppendRecord.decode("APPENDED 1 2")).isEmpty();
    }

    @Test
    void theUnknownRecordConcernsEveryFolderAndIsLookedFor() {
        AppendRecord unknown = AppendRecord.unknown();
        assertThat(AppendRecord.decode(unknown.encode())).contains(unknown);
        assertThat(unknown.concerns("Archive")).isTrue();
        assertThat(unknown.outcome()).isEqualTo(AppendRecord.Outcome.SENDING);
        assertThat(unknown.uid()).isZero();
        assertThat(new AppendRecord(AppendRecord.Outcome.SENDING, "Archive", 1, 1).concerns("Other"))
                .isFalse();
    }
}
