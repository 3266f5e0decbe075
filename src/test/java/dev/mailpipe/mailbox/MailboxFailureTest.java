package dev.mailpipe.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import org.junit.jupiter.api.Test;

/** A maildrop held by another client is a quiet back-off; a locked account is a login problem. */
class MailboxFailureTest {

    @Test
    void maildropLocksAreRecognised() {
        assertThat(MailboxFailure.isMailboxInUse(new AuthenticationFailedException("[IN-USE] Unable to lock maildrop")))
                .isTrue();
        assertThat(MailboxFailure.isMailboxInUse(new AuthenticationFailedException("maildrop lock busy; try later")))
                .isTrue();
        assertThat(MailboxFailure.isMailboxInUse(new MessagingException(
                        "Connect failed", new AuthenticationFailedException("Mailbox is locked"))))
                .isTrue();
    }

    @Test
    void aLockedAccountOrAWrongPasswordIsNot() {
        assertThat(MailboxFailure.isMailboxInUse(new AuthenticationFailedException("Account locked after failures")))
                .isFalse();
        assertThat(MailboxFailure.isMailboxInUse(new AuthenticationFailedException("[AUTH] Authentication failed.")))
                .isFalse();
        assertThat(MailboxFailure.isMailboxInUse(new MessagingException("mailbox locked")))
                .isFalse();
    }
}
