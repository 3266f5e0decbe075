package dev.mailpipe.ledger;

import dev.mailpipe.mailbox.DeletionListener;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.mailbox.ProblemMessages;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the consumer which messages the ledger has settled (delivered or dead-lettered: the only
 * ones it may delete), records deletions sent to the server, and prunes entries of messages deleted longer ago than
 * {@code ledger.retentionDays} (checked at most hourly): a message seen again in the meantime has
 * its deletion recorded anew, so an entry that old belongs to a message the server no longer has.
 */
public final class LedgerDeletions implements DeletionListener {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerDeletions.class);
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final Ledger ledger;
    private final MailboxId mailbox;
    private final Duration retention;
    private final Clock clock;
    private Instant lastPrune = Instant.MIN;

    public LedgerDeletions(Ledger ledger, MailboxId mailbox, Duration retention, Clock clock) {
        this.ledger = ledger;
        this.mailbox = mailbox;
        this.retention = retention;
        this.clock = clock;
    }

    /** Delivery records are committed without their own fsync; one fsync covers the batch before its DELEs. */
    @Override
    public void beforeDeletions() throws SQLException {
        ledger.syncToDisk();
    }

    @Override
    public Set<String> settled(Collection<String> keys) throws SQLException {
        return keys.isEmpty() ? Set.of() : ledger.settled(keys);
    }

    @Override
    public void deletionsSent(List<String> keys, boolean quitAcknowledged) {
        try {
            ledger.markDeleted(keys, quitAcknowledged);
            pruneIfDue();
        } catch (SQLException e) {
            // The messages are delivered and deleted; without deleted_at a UIDL the server gives again is
            // still checked against the stored headers (every settled entry is), so nothing is lost.
            LOG.warn(
                    "Could not record {} deletion(s) in mailbox {}'s ledger: {}", keys.size(), mailbox, e.getMessage());
        }
    }

    private void pruneIfDue() throws SQLException {
        Instant now = clock.instant();
        if (Duration.between(lastPrune, now).compareTo(PRUNE_EVERY) < 0) {
            return;
        }
        lastPrune = now;
        int pruned = ledger.pruneDeletedBefore(now.minus(retention), ProblemMessages.MAX_DELE_SESSIONS);
        if (pruned > 0) {
            LOG.info("Pruned {} ledger entries of messages deleted more than {} days ago", pruned, retention.toDays());
        }
    }
}
