package dev.mailpipe.ledger;

/**
 * A delivery failed because something other than the message is unavailable (a sink, the ledger,
 * the connection to the mailbox). It does not count as an attempt: the message stays on the server
 * and is retried at the next poll, and is never dead-lettered for it.
 */
public final class OutageException extends Exception {

    /** @param what the unavailable part, e.g. "files sink" */
    public OutageException(String what, Throwable cause) {
        super(what + " unavailable: " + describe(cause), cause);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }
}
