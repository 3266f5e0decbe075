package dev.mailpipe.ledger;

import dev.mailpipe.common.MailpipeHeaders;
import dev.mailpipe.common.OutageException;
import dev.mailpipe.mailbox.ListedMessage;
import dev.mailpipe.mailbox.MailboxCounters;
import dev.mailpipe.mailbox.MailboxStatus;
import dev.mailpipe.mailbox.ProblemMessages;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.sql.SQLException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route step before the sinks: finds which ledger entry the message is ({@link MessageIdentity}) and
 * asks the ledger whether this instance should deliver it. A message delivered (or dead-lettered)
 * before, say by a run that died before its QUIT, skips the sinks so it is deleted without a second
 * delivery, in at most {@link ProblemMessages#MAX_DELE_SESSIONS} sessions; a message another
 * instance is delivering right now, or one that is parked, is left on the server.
 */
public final class ClaimMessage implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ClaimMessage.class);

    private final LedgerSettings settings;
    private final MessageIdentity identity;

    public ClaimMessage(Ledger ledger, LedgerSettings settings) {
        this.settings = settings;
        this.identity = new MessageIdentity(ledger);
    }

    @Override
    public void process(Exchange exchange) throws OutageException {
        org.apache.camel.Message message = exchange.getMessage();
        String mailbox = message.getHeader(MailpipeHeaders.MAILBOX, String.class);
        ListedMessage listed = ListedMessage.of(exchange)
                .orElseThrow(() -> new IllegalStateException(
                        "No listed message on the exchange: the claim follows a mailbox: consumer"));
        MessageIdentity.Identified identified;
        try {
            identified = identity.claim(listed, mailbox, settings.instanceId(), exchange);
        } catch (SQLException e) {
            throw new OutageException("ledger", e);
        } catch (IOException | MessagingException e) {
            throw new OutageException("mailbox connection", e);
        }
        String key = identified.key();
        Claim claim = identified.claim();
        message.setHeader(MailpipeHeaders.KEY, key);
        MailboxStatus status = MailboxStatus.of(exchange);
        switch (claim.outcome()) {
            case DELIVER -> {
                exchange.setProperty(MailpipeHeaders.ATTEMPTS_BEFORE, claim.attempts());
                exchange.setProperty(MailpipeHeaders.FIRST_SEEN, claim.firstSeen());
                exchange.setProperty(MailpipeHeaders.SINKS_DONE, claim.sinksDone());
            }
            case ALREADY_DONE -> alreadyDone(exchange, status, key, listed, claim);
            case CLAIMED_ELSEWHERE -> {
                LOG.debug("Message {} is being delivered by {}; leaving it on the server", key, claim.holder());
                leaveOnServer(exchange, MailboxCounters.CLAIMED_ELSEWHERE);
            }
            case PARKED -> {
                LOG.debug("Message {} ({}) is parked; leaving it on the server", key, listed);
                status.problems().parked(key, listed.uidl());
                leaveOnServer(exchange, MailboxCounters.PARKED);
            }
        }
    }

    /** Done before (another instance, or before a crash or a lost QUIT): nothing left but the deletion. */
    private static void alreadyDone(
            Exchange exchange, MailboxStatus status, String key, ListedMessage listed, Claim claim) {
        status.messageSettled(key);
        if (claim.deletionCommitted()) {
            if (claim.deleSessions() >= ProblemMessages.MAX_DELE_SESSIONS) {
                status.problems().keptByServer(key);
                leaveOnServer(exchange, MailboxCounters.KEPT_BY_SERVER);
                return;
            }
            status.problems().deletingAgain(key);
        } else {
            status.problems().doneBefore(key, claim.state() == DeliveryState.DELIVERED ? "delivered" : "dead-lettered");
        }
        exchange.setProperty(MailpipeHeaders.DELIVERED_BEFORE, true);
        exchange.setRouteStop(true);
    }

    private static void leaveOnServer(Exchange exchange, String reason) {
        exchange.setProperty(MailpipeHeaders.LEAVE_ON_SERVER, true);
        exchange.setProperty(MailpipeHeaders.LEAVE_REASON, reason);
        exchange.setRouteStop(true);
    }
}
