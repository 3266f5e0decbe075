package dev.mailpipe.ledger;

import dev.mailpipe.mailbox.MailboxStatus;
import dev.mailpipe.mailbox.MailpipeHeaders;
import java.sql.SQLException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the dead-letter sinks have the message: records it dead-lettered, so the route completes,
 * the message is deleted from the server, and the rest of the mailbox moves on.
 */
public final class MarkDeadLettered implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(MarkDeadLettered.class);

    private final Ledger ledger;
    private final MailboxStatus status;
    private final int maxAttempts;

    public MarkDeadLettered(Ledger ledger, MailboxStatus status, int maxAttempts) {
        this.ledger = ledger;
        this.status = status;
        this.maxAttempts = maxAttempts;
    }

    @Override
    public void process(Exchange exchange) throws OutageException {
        String key = exchange.getMessage().getHeader(MailpipeHeaders.KEY, String.class);
        String reason = DeliveryFailures.describe(DeliveryFailures.failureOf(exchange));
        try {
            ledger.markDeadLettered(key, reason);
        } catch (SQLException e) {
            throw new OutageException("ledger", e);
        }
        exchange.setProperty(MailpipeHeaders.DEAD_LETTERED, true);
        LOG.warn(
                "Message {} (UIDL {}) failed {} times and was dead-lettered: {}",
                key,
                exchange.getMessage().getHeader(MailpipeHeaders.UIDL),
                maxAttempts,
                reason);
        status.messageDone(key);
    }
}
