package dev.mailpipe.mailbox;

import jakarta.mail.PasswordAuthentication;
import org.apache.camel.component.mail.MailAuthenticator;

/** Hands the mailbox login to camel-mail from a bean, so the password never appears in a route URI. */
public final class MailboxCredentials extends MailAuthenticator {

    private final MailboxSettings mailbox;

    public MailboxCredentials(MailboxSettings mailbox) {
        this.mailbox = mailbox;
    }

    @Override
    public PasswordAuthentication getPasswordAuthentication() {
        return new PasswordAuthentication(mailbox.username(), mailbox.password());
    }

    @Override
    public String toString() {
        return "credentials of " + mailbox.id();
    }
}
