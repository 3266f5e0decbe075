package dev.mailpipe.mailbox;

import java.util.List;

/**
 * Told when a batch's deletions are about to be sent and which were sent: their DELE was accepted
 * and the session closed. (Angus Mail does not report a failed QUIT; a message seen again after this
 * was not deleted after all.)
 */
@FunctionalInterface
public interface DeletionListener {

    /**
     * Called before the QUIT that applies the batch's DELEs: whatever makes those deletions safe must
     * be durable when this returns. A failure postpones the deletions to a later session.
     */
    default void beforeDeletions() throws Exception {}

    void deletionsSent(List<String> uidls);
}
