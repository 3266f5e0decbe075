package dev.mailpipe.ledger;

import java.time.Instant;
import java.util.Optional;

/** One message's record in the ledger. */
public record LedgerEntry(
        String key,
        String mailbox,
        String uidl,
        Optional<String> messageId,
        DeliveryState state,
        int attempts,
        Optional<String> lastError,
        Instant firstSeen,
        Instant updated,
        Optional<Instant> deletedAt,
        Optional<String> claimedBy,
        java.util.Set<String> sinksDone) {}
