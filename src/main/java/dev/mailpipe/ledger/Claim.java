package dev.mailpipe.ledger;

import java.time.Instant;
import java.util.Set;

/**
 * The answer to "may this instance deliver this message now?".
 *
 * @param outcome what to do with the message
 * @param attempts failed attempts recorded so far (for {@link Outcome#DELIVER})
 * @param state the final state (for {@link Outcome#ALREADY_DONE})
 * @param holder the instance holding the claim (for {@link Outcome#CLAIMED_ELSEWHERE})
 * @param deletionCommitted whether it was deleted in an earlier session (for {@link Outcome#ALREADY_DONE})
 * @param deleSessions in how many sessions its DELE was accepted (for {@link Outcome#ALREADY_DONE})
 * @param firstSeen when the ledger first recorded the message (for {@link Outcome#DELIVER})
 * @param sinksDone sinks that already have it from an earlier attempt (for {@link Outcome#DELIVER})
 */
public record Claim(
        Outcome outcome,
        int attempts,
        DeliveryState state,
        String holder,
        boolean deletionCommitted,
        int deleSessions,
        Instant firstSeen,
        Set<String> sinksDone) {

    /** What the route does with the message. */
    public enum Outcome {
        /** This instance holds the claim: deliver it. */
        DELIVER,
        /** Delivered or dead-lettered before: delete it from the server without delivering it again. */
        ALREADY_DONE,
        /** Another instance is delivering it right now: leave it on the server. */
        CLAIMED_ELSEWHERE,
        /** Parked after breaking every download: leave it on the server until it is retried. */
        PARKED
    }

    static Claim deliver(int attempts, Instant firstSeen, Set<String> sinksDone) {
        return new Claim(Outcome.DELIVER, attempts, DeliveryState.SEEN, null, false, 0, firstSeen, sinksDone);
    }

    static Claim alreadyDone(DeliveryState state, boolean deletionCommitted, int deleSessions) {
        return new Claim(Outcome.ALREADY_DONE, 0, state, null, deletionCommitted, deleSessions, null, Set.of());
    }

    static Claim claimedElsewhere(String holder) {
        return new Claim(Outcome.CLAIMED_ELSEWHERE, 0, DeliveryState.SEEN, holder, false, 0, null, Set.of());
    }

    static Claim parked() {
        return new Claim(Outcome.PARKED, 0, DeliveryState.PARKED, null, false, 0, null, Set.of());
    }
}
