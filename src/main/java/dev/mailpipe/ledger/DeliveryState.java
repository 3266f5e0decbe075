package dev.mailpipe.ledger;

/** Where a message stands in the ledger. Deletion from the server is recorded separately (deletedAt). */
public enum DeliveryState {
    /** Seen on the server and being delivered, or failed and waiting for a retry (see attempts). */
    SEEN,
    /** Every sink has acknowledged it; it may be deleted from the server, and is never delivered again. */
    DELIVERED,
    /** Failed {@code mailbox.maxAttempts} times; its raw bytes are in the dead-letter folder. */
    DEAD_LETTERED,
    /**
     * Broke the connection while the server sent it, {@code mailbox.maxAttempts} times while other
     * messages of its mailbox could be downloaded: left on the server, untouched, until {@code
     * mailpipe ledger retry KEY}.
     */
    PARKED;

    /** Delivered or dead-lettered: nothing more to do but delete it from the server. */
    public boolean isFinal() {
        return this == DELIVERED || this == DEAD_LETTERED;
    }
}
