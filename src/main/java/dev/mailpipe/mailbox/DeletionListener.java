package dev.mailpipe.mailbox;

import java.util.List;

/** Told which messages the server has confirmed deleting, once the QUIT after their DELE succeeded. */
@FunctionalInterface
public interface DeletionListener {

    void deletionsConfirmed(List<String> uidls);
}
