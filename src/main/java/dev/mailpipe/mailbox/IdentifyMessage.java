package dev.mailpipe.mailbox;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.mail.MailConsumer;

/**
 * First step of every mailbox route: stamps the exchange with the mailbox id, the message's UIDL
 * and the key derived from both, so every later step names the message the same way.
 */
public final class IdentifyMessage implements Processor {

    private final MailboxId mailbox;

    public IdentifyMessage(MailboxId mailbox) {
        this.mailbox = mailbox;
    }

    @Override
    public void process(Exchange exchange) {
        // camel-mail keeps the id our UidlKeys generated under this property until the commit.
        String uidl = exchange.getProperty(MailConsumer.MAIL_MESSAGE_UID, String.class);
        if (uidl == null) {
            throw new IllegalStateException("No UIDL on the exchange; is mailUidGenerator set to #uidlKeys?");
        }
        exchange.getMessage().setHeader(MailpipeHeaders.MAILBOX, mailbox.toString());
        exchange.getMessage().setHeader(MailpipeHeaders.UIDL, uidl);
        exchange.getMessage().setHeader(MailpipeHeaders.KEY, mailbox.keyOf(uidl));
    }
}
