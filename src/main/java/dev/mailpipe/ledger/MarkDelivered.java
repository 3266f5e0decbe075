package dev.mailpipe.ledger;

import dev.mailpipe.mailbox.MailboxStatus;
import dev.mailpipe.mailbox.MailpipeHeaders;
import java.sql.SQLException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Last route step: every sink has the message, so the ledger records it delivered before the route
 * completes and the consumer flags the message for deletion. The record is on disk before the DELE
 * is sent: the consumer has the ledger fsync the batch's records first ({@code Ledger.syncToDisk}).
 */
public final class MarkDelivered implements Processor {

    private final Ledger ledger;
    private final MailboxStatus status;

    public MarkDelivered(Ledger ledger, MailboxStatus status) {
        this.ledger = ledger;
        this.status = status;
    }

    @Override
    public void process(Exchange exchange) throws OutageException {
        org.apache.camel.Message message = exchange.getMessage();
        String key = message.getHeader(MailpipeHeaders.KEY, String.class);
        try {
            ledger.markDelivered(key, message.getHeader(MailpipeHeaders.MESSAGE_ID, String.class));
        } catch (SQLException e) {
            throw new OutageException("ledger", e);
        }
        status.deliveryWorks();
        status.messageDone(key);
    }
}
