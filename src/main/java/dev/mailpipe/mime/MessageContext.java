package dev.mailpipe.mime;

import java.time.Instant;

/**
 * What the mapper cannot read from the message itself: where it came from and when.
 *
 * @param key the ledger key, or null outside a mailbox (the parse command)
 * @param mailbox the mailbox account id, or null
 * @param uidl the POP3 UIDL, or null
 * @param receivedAt when it was downloaded, or null
 */
public record MessageContext(String key, String mailbox, String uidl, Instant receivedAt) {

    /** A message read from a file, not from a mailbox. */
    public static final MessageContext NONE = new MessageContext(null, null, null, null);
}
