package dev.mailpipe.ledger;

import dev.mailpipe.mailbox.MailboxStatus;
import dev.mailpipe.mailbox.MailpipeHeaders;
import dev.mailpipe.mailbox.OutageException;
import java.sql.SQLException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route step before the sinks: asks the ledger whether this instance should deliver the message.
 * A message delivered (or dead-lettered) before, say by a run that died before its QUIT, skips the
 * sinks so it is deleted without a second delivery; a message another instance is delivering right
 * now is left on the server for it.
 */
public final class ClaimMessage implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ClaimMessage.class);

    private final Ledger ledger;
    private final LedgerSettings settings;

    public ClaimMessage(Ledger ledger, LedgerSettings settings) {
        this.ledger = ledger;
        this.settings = settings;
    }

    @Override
    public void process(Exchange exchange) throws OutageException {
        org.apache.camel.Message message = exchange.getMessage();
        String key = message.getHeader(MailpipeHeaders.KEY, String.class);
        String uidl = message.getHeader(MailpipeHeaders.UIDL, String.class);
        String mailbox = message.getHeader(MailpipeHeaders.MAILBOX, String.class);
        Claim claim;
        try {
            claim = ledger.claim(key, mailbox, uidl, settings.instanceId());
        } catch (SQLException e) {
            throw new OutageException("ledger", e);
        }
        switch (claim.outcome()) {
            case DELIVER -> {
                exchange.setProperty(MailpipeHeaders.ATTEMPTS_BEFORE, claim.attempts());
                exchange.setProperty(MailpipeHeaders.FIRST_SEEN, claim.firstSeen());
                exchange.setProperty(MailpipeHeaders.SINKS_DONE, claim.sinksDone());
            }
            case ALREADY_DONE -> {
                // Done elsewhere (another instance, or before a crash): nothing left to deliver.
                MailboxStatus.of(exchange).messageSettled(key);
                if (claim.deletionCommitted()) {
                    LOG.warn(
                            "Message {} (UIDL {}) of {} is still on the server although it was deleted in an earlier"
                                    + " session: the server did not apply that DELE (its QUIT failed); deleting it again",
                            key,
                            uidl,
                            mailbox);
                } else {
                    LOG.info(
                            "Message {} (UIDL {}) of {} was {} before but not yet deleted; deleting it without"
                                    + " delivering it again",
                            key,
                            uidl,
                            mailbox,
                            claim.state() == DeliveryState.DELIVERED ? "delivered" : "dead-lettered");
                }
                exchange.setProperty(MailpipeHeaders.DELIVERED_BEFORE, true);
                exchange.setRouteStop(true);
            }
            case CLAIMED_ELSEWHERE -> {
                LOG.debug("Message {} is being delivered by {}; leaving it on the server", key, claim.holder());
                exchange.setProperty(MailpipeHeaders.LEAVE_ON_SERVER, true);
                exchange.setRouteStop(true);
            }
        }
    }
}
