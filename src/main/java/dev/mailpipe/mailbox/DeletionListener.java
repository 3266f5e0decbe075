package dev.mailpipe.mailbox;

import java.util.List;

/**
 * Told which messages were deleted: their DELE was accepted and the session closed. (Angus Mail does
 * not report a failed QUIT; a message seen again after this was not deleted after all.)
 */
@FunctionalInterface
public interface DeletionListener {

    void deletionsSent(List<String> uidls);
}
