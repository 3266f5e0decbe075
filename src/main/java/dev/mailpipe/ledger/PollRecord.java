package dev.mailpipe.ledger;

import java.time.Instant;
import java.util.Optional;

/**
 * How a mailbox's polls have ended, as the ledger recorded them: what {@code status} shows without a
 * running instance.
 *
 * @param lastPoll when a poll last ended, either way (empty: never polled)
 * @param lastSuccess when a poll last signed in and listed the mailbox
 * @param failuresInRow polls that failed since the last successful one
 * @param lastError why the last failed poll failed (kept after a success, with its time)
 * @param lastErrorAt when that poll failed
 */
public record PollRecord(
        Optional<Instant> lastPoll,
        Optional<Instant> lastSuccess,
        int failuresInRow,
        Optional<String> lastError,
        Optional<Instant> lastErrorAt) {

    /** A mailbox the routes declare that has not been polled yet. */
    public static final PollRecord NEVER =
            new PollRecord(Optional.empty(), Optional.empty(), 0, Optional.empty(), Optional.empty());

    /** Whether the last poll failed. */
    public boolean failing() {
        return failuresInRow > 0;
    }
}
