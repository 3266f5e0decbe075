package dev.mailpipe.ledger;

import dev.mailpipe.common.MailpipeHeaders;
import dev.mailpipe.common.OutageException;
import dev.mailpipe.mailbox.MailboxStatus;
import java.sql.SQLException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Last route step: every sink has the message, so the ledger records it delivered before the route
 * completes and the consumer deletes the message (it deletes only what the ledger settled). The
 * record is on disk before the DELE is sent: the consumer has the ledger fsync the batch's records
 * first ({@code Ledger.syncToDisk}). A route that caught a sink's failure and went on (a {@code
 * doCatch}, an {@code onException} with {@code continued}) has not delivered the message: this step
 * refuses it, so it fails as the message's own failure and stays on the server (or, after {@code
 * mailbox.maxAttempts}, is dead-lettered with its raw bytes).
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
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (caught != null) {
            throw new IllegalStateException(
                    "not recorded delivered: the route caught a failure and went on ("
                            + DeliveryFailures.describe(caught) + ")",
                    caught);
        }
        try {
            ledger.markDelivered(
                    key, message.getHeader(MailpipeHeaders.MESSAGE_ID, String.class), HeaderDigests.of(exchange));
        } catch (SQLException e) {
            throw new OutageException("ledger", e);
        }
        MailboxStatus status = MailboxStatus.of(exchange);
        status.outages().end();
        status.messageDone(key);
    }
}
