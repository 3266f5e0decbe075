package dev.mailpipe.mailbox;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What the consumer asks before it deletes and tells after: which of a batch's completed messages
 * the ledger has settled (only those are deleted, whatever the route did), that the records those
 * deletions rely on are durable, and which deletions were sent (their DELE was accepted and the
 * session closed). Angus Mail does not report a failed QUIT; a message seen again after this was not
 * deleted after all.
 */
public interface DeletionListener {

    /**
     * Of the message keys the route completed, those recorded delivered or dead-lettered: the only
     * ones the consumer may delete. A failure postpones every deletion to a later session.
     */
    Set<String> settled(Collection<String> keys) throws Exception;

    /**
     * Called before the QUIT that applies the batch's DELEs: whatever makes those deletions safe must
     * be durable when this returns. A failure postpones the deletions to a later session.
     */
    default void beforeDeletions() throws Exception {}

    /**
     * The keys of the messages whose DELE the server accepted in a session that then ended with QUIT;
     * {@code quitAcknowledged} whether the server answered that QUIT (a lost QUIT may have applied
     * nothing, so it does not count as the server keeping the messages despite DELE).
     */
    void deletionsSent(List<String> keys, boolean quitAcknowledged);
}
