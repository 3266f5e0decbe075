package dev.mailpipe.ledger;

import java.time.Instant;
import java.util.Optional;

/**
 * One message's record in the ledger.
 *
 * @param generation which message of those the server gave this UIDL (0 for the first; see
 *     {@code MessageIdentity})
 * @param listedSize the size the server's LIST gave when the message was first seen (absent for
 *     entries recorded before schema version 4)
 * @param headerDigest the digest of its identifying headers, once its bytes were read
 * @param lostConnections how often the connection broke while the server sent it
 * @param deleSessions in how many sessions a DELE for it was accepted
 */
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
        java.util.Set<String> sinksDone,
        int generation,
        Optional<Long> listedSize,
        Optional<String> headerDigest,
        int lostConnections,
        int deleSessions) {}
