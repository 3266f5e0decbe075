package dev.mailpipe.ledger;

import dev.mailpipe.mailbox.MailboxStatus;
import dev.mailpipe.mailbox.MailpipeHeaders;
import dev.mailpipe.mailbox.OutageException;
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

    public MarkDelivered(Ledger ledger) {
        this.ledger = ledger;
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
        MailboxStatus status = MailboxStatus.of(exchange);
        status.deliveryWorks();
        status.messageDone(key);
    }
}
