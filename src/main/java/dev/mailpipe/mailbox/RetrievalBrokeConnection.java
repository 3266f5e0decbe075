package dev.mailpipe.mailbox;

import java.io.IOException;

/**
 * The connection broke while the server was sending one message (its RETR reply under way), as
 * opposed to a connection already gone. Whether the message is to blame is decided over several
 * sessions ({@link ProblemMessages}): a server that breaks every download is an outage.
 */
public final class RetrievalBrokeConnection extends IOException {

    private final int retrievedBefore;

    RetrievalBrokeConnection(int messageNumber, int retrievedBefore, IOException cause) {
        super("the connection broke while the server sent message " + messageNumber + ": " + cause.getMessage(), cause);
        this.retrievedBefore = retrievedBefore;
    }

    /** Messages of the same session retrieved whole before this one broke. */
    public int retrievedBefore() {
        return retrievedBefore;
    }

    /** The break in {@code failure}'s causes, if any. */
    public static java.util.Optional<RetrievalBrokeConnection> in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RetrievalBrokeConnection broke) {
                return java.util.Optional.of(broke);
            }
        }
        return java.util.Optional.empty();
    }
}
