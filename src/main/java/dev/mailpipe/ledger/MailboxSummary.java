package dev.mailpipe.ledger;

import java.time.Instant;
import java.util.Optional;

/**
 * What the ledger knows of one mailbox (entries are pruned {@code ledger.retentionDays} after their
 * deletion from the server, so counts cover that window).
 *
 * @param delivered messages every sink has
 * @param waiting messages seen and not delivered yet: in flight, or failed and waiting for a retry
 * @param deadLettered messages that failed {@code mailbox.maxAttempts} times
 * @param atRisk delivered or dead-lettered messages not yet deleted from the server
 * @param parked messages left on the server because they broke every download (see {@link DeliveryState#PARKED})
 * @param lastDelivery when a message was last recorded delivered
 * @param lastError the most recent failure recorded, and when
 */
public record MailboxSummary(
        String mailbox,
        long delivered,
        long waiting,
        long deadLettered,
        long atRisk,
        long parked,
        Optional<Instant> lastDelivery,
        Optional<String> lastError,
        Optional<Instant> lastErrorAt) {}
