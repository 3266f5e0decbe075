package dev.mailpipe.ledger;

import dev.mailpipe.common.MailpipeHeaders;
import dev.mailpipe.common.OutageException;
import dev.mailpipe.mailbox.ListedMessage;
import dev.mailpipe.mailbox.MailboxStatus;
import dev.mailpipe.mailbox.RetrievalBrokeConnection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route configuration's view of a failed delivery. An outage (see {@link OutageException}) is
 * reported once and costs the message nothing; any other failure is the message's own and counts
 * as an attempt. {@link #isFinalAttempt} tells when the failure is the {@code mailbox.maxAttempts}th,
 * so the route dead-letters the message instead.
 */
public final class DeliveryFailures implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryFailures.class);

    private final Ledger ledger;
    private final Function<Throwable, Optional<OutageException>> sinkOutages;

    /**
     * @param sinkOutages tells a sink's own failures that are outages (a Kafka cluster out of reach)
     *     from the message's, for sinks whose failures are not {@link OutageException}s
     */
    public DeliveryFailures(Ledger ledger, Function<Throwable, Optional<OutageException>> sinkOutages) {
        this.ledger = ledger;
        this.sinkOutages = sinkOutages;
    }

    /** The message's mailbox's {@code maxAttempts}; no limit for an exchange of another route. */
    static int maxAttempts(Exchange exchange) {
        return MailboxStatus.find(exchange)
                .map(status -> status.settings().maxAttempts())
                .orElse(Integer.MAX_VALUE);
    }

    /** Whether this failure uses up the message's last attempt (outages never do). */
    public boolean isFinalAttempt(Exchange exchange) {
        Throwable failure = failureOf(exchange);
        Integer before = exchange.getProperty(MailpipeHeaders.ATTEMPTS_BEFORE, Integer.class);
        return outageIn(failure) == null && before != null && before + 1 >= maxAttempts(exchange);
    }

    /** Records a failure that is not the final attempt; the message stays on the server for the next poll. */
    @Override
    public void process(Exchange exchange) {
        Throwable failure = failureOf(exchange);
        String key = exchange.getMessage().getHeader(MailpipeHeaders.KEY, String.class);
        String uidl = exchange.getMessage().getHeader(MailpipeHeaders.UIDL, String.class);
        OutageException outage = outageIn(failure);
        boolean claimed = exchange.getProperty(MailpipeHeaders.ATTEMPTS_BEFORE) != null;
        Optional<MailboxStatus> mailbox = MailboxStatus.find(exchange);
        if (mailbox.isEmpty()) {
            // A route of the user's own, not a mailbox's: Camel's error handling reports it.
            return;
        }
        MailboxStatus status = mailbox.get();
        try {
            Optional<RetrievalBrokeConnection> broke = RetrievalBrokeConnection.in(failure);
            if (broke.isPresent() && claimed) {
                brokeConnection(exchange, status, key, broke.get());
            } else if (outage != null) {
                status.outages().start(outage.what(), outage.getMessage());
                if (claimed) {
                    ledger.release(key);
                }
            } else if (claimed) {
                int attempts = ledger.recordFailure(key, describe(failure));
                status.messageFailed(key);
                LOG.warn(
                        "Message {} (UIDL {}) failed, attempt {} of {}: {}. It stays on the server for the next poll.",
                        key,
                        uidl,
                        attempts,
                        maxAttempts(exchange),
                        describe(failure));
            } else {
                LOG.warn("Message {} (UIDL {}) failed before it was claimed: {}", key, uidl, describe(failure));
            }
        } catch (SQLException e) {
            status.outages().start("ledger", "ledger unavailable: " + e.getMessage());
        }
    }

    /**
     * The connection broke while the server sent this message. Once the message is to blame (other
     * messages could be downloaded, see {@link dev.mailpipe.mailbox.ProblemMessages#broke}) and this
     * has happened {@code maxAttempts} times, it is parked: left on the server, named once in the log.
     * Until then, and whenever it is not to blame, the lost connection is an outage as any other.
     */
    private void brokeConnection(Exchange exchange, MailboxStatus status, String key, RetrievalBrokeConnection broke)
            throws SQLException {
        ListedMessage listed = ListedMessage.of(exchange).orElseThrow();
        int losses = ledger.recordLostConnection(key, describe(broke));
        boolean toBlame = status.problems().broke(listed.uidl(), broke);
        if (toBlame && losses >= maxAttempts(exchange)) {
            ledger.park(key, describe(broke));
            status.problems().parked(key, listed.uidl());
            status.messageSettled(key);
            LOG.warn(
                    "Mailbox {}: parked message {} ({}): the connection broke {} times while the server sent it,"
                            + " while other messages could be downloaded. It stays on the server; 'mailpipe ledger"
                            + " retry {}' lets it be tried again.",
                    status.mailbox(),
                    key,
                    listed,
                    losses,
                    key);
            return;
        }
        status.outages().start("mailbox connection", broke.getMessage());
        LOG.info(
                "Mailbox {}: the connection broke while the server sent {} (break {}); it now waits for a session"
                        + " without other messages to download",
                status.mailbox(),
                listed,
                losses);
    }

    static Throwable failureOf(Exchange exchange) {
        Throwable failure = exchange.getException();
        return failure != null ? failure : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    private OutageException outageIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OutageException outage) {
                return outage;
            }
        }
        return failure == null ? null : sinkOutages.apply(failure).orElse(null);
    }

    static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
