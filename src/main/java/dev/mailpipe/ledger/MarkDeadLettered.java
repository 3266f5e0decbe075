package dev.mailpipe.ledger;

import dev.mailpipe.common.MailpipeHeaders;
import dev.mailpipe.common.OutageException;
import dev.mailpipe.mailbox.MailboxStatus;
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

    public MarkDeadLettered(Ledger ledger) {
        this.ledger = ledger;
    }

    @Override
    public void process(Exchange exchange) throws OutageException {
        String key = exchange.getMessage().getHeader(MailpipeHeaders.KEY, String.class);
        String reason = DeliveryFailures.describe(DeliveryFailures.failureOf(exchange));
        try {
            ledger.markDeadLettered(key, reason, HeaderDigests.of(exchange));
        } catch (SQLException e) {
            throw new OutageException("ledger", e);
        }
        exchange.setProperty(MailpipeHeaders.DEAD_LETTERED, true);
        LOG.warn(
                "Message {} (UIDL {}) failed {} times and was dead-lettered: {}",
                key,
                exchange.getMessage().getHeader(MailpipeHeaders.UIDL),
                DeliveryFailures.maxAttempts(exchange),
                reason);
        MailboxStatus.of(exchange).messageDone(key);
    }
}
