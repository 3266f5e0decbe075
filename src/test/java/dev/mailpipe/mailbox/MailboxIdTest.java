package dev.mailpipe.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.common.Sha256;
import org.junit.jupiter.api.Test;

/** Message keys and folder names derived from a mailbox are stable, distinct and safe as file names. */
class MailboxIdTest {

    private final MailboxId gmail = new MailboxId("pop3s", "pop.gmail.com", 995, "alice@gmail.com");

    @Test
    void keyIsSha256HexOfMailboxAndUidl() {
        // Pinned: changing the derivation would make every user's redeliveries create second copies.
        assertThat(gmail.keyOf("GmailId17a3b"))
                .isEqualTo(Sha256.hex("pop3s://alice@gmail.com@pop.gmail.com:995\nGmailId17a3b"));
        assertThat(gmail.keyOf("GmailId17a3b")).matches("[0-9a-f]{64}");
    }

    @Test
    void uidlsThatDifferOnlyInCaseOrHoldSlashesGiveDistinctSafeKeys() {
        assertThat(gmail.keyOf("Ab/../x")).isNotEqualTo(gmail.keyOf("aB/../x")).matches("[0-9a-f]{64}");
    }

    @Test
    void sameUidlInAnotherMailboxIsAnotherMessage() {
        MailboxId other = new MailboxId("pop3s", "pop.gmail.com", 995, "bob@gmail.com");
        assertThat(other.keyOf("1")).isNotEqualTo(gmail.keyOf("1"));
    }

    @Test
    void hostNameCaseDoesNotChangeTheMailbox() {
        MailboxId upper = new MailboxId("pop3s", "POP.Gmail.com", 995, "alice@gmail.com");
        assertThat(upper.keyOf("1")).isEqualTo(gmail.keyOf("1"));
        assertThat(upper.slug()).isEqualTo(gmail.slug());
    }

    @Test
    void slugIsReadableAndFileSystemSafe() {
        MailboxId hostile = new MailboxId("pop3", "mail.example.org", 110, "../../etc/pass wd\u0000");
        assertThat(hostile.slug()).matches("[a-z0-9@._-]+").doesNotContain("/").startsWith("pop3_");
        assertThat(gmail.slug()).startsWith("pop3s_alice@gmail.com_pop.gmail.com_995-");
    }
}
