package dev.mailpipe.common;

/**
 * A delivery failed because something other than the message is unavailable (a sink, the ledger,
 * the connection to the mailbox). It does not count as an attempt: the message stays on the server
 * and is retried at the next poll, and is never dead-lettered for it.
 */
public final class OutageException extends Exception {

    private final String what;

    /** @param what the unavailable part, e.g. "files sink /data/out"; the same part gives the same text */
    public OutageException(String what, Throwable cause) {
        super(what + " unavailable: " + describe(cause), cause);
        this.what = what;
    }

    /** The unavailable part, without the details of this one failure. */
    public String what() {
        return what;
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }
}
