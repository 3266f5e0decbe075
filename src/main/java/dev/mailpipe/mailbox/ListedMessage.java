package dev.mailpipe.mailbox;

import dev.mailpipe.common.MailpipeHeaders;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * One message as the server listed it in this session: its UIDL, number and LIST size, and whether
 * another message of the listing has the same UIDL. The UIDL alone does not name a message for good
 * (RFC 1939 lets a server reuse it once its message is gone, and some servers repeat one), so the
 * ledger's claim binds it to one key (see {@code MessageIdentity}); within a session a key is bound
 * to one message at most. The consumer deletes a message only by the key bound here.
 */
public final class ListedMessage {

    private final MailboxId mailbox;
    private final String uidl;
    private final int number;
    private final Long size;
    private final boolean shared;
    /** The keys bound to messages of this session's listing, shared by them all. */
    private final Set<String> boundInSession;

    private volatile String key;
    private String headerDigest;

    ListedMessage(MailboxId mailbox, String uidl, int number, Long size, boolean shared, Set<String> boundInSession) {
        this.mailbox = mailbox;
        this.uidl = uidl;
        this.number = number;
        this.size = size;
        this.shared = shared;
        this.boundInSession = boundInSession;
    }

    /** The listed message of an exchange the mailbox consumer made, if it is one. */
    public static Optional<ListedMessage> of(Exchange exchange) {
        return Optional.ofNullable(exchange.getProperty(MailpipeHeaders.LISTED_MESSAGE, ListedMessage.class));
    }

    public String uidl() {
        return uidl;
    }

    /** The message's size as LIST gave it, or null when the server did not say. */
    public Long size() {
        return size;
    }

    /** Whether another message in this listing has the same UIDL. */
    public boolean shared() {
        return shared;
    }

    /** The key of generation {@code generation} of this UIDL: 0 for the first message with it, as keys always were. */
    public String keyOf(int generation) {
        return generation == 0 ? mailbox.keyOf(uidl) : mailbox.keyOf(uidl + "\n" + generation);
    }

    /** Whether {@code key} is bound to another message of this session. */
    public boolean boundElsewhere(String key) {
        synchronized (boundInSession) {
            return boundInSession.contains(key) && !key.equals(this.key);
        }
    }

    /**
     * Binds this message to {@code key} for this session, unless another message of the session
     * holds it (claims run one at a time on the session's thread; this also holds if a route runs
     * them elsewhere).
     */
    public boolean tryBind(String key) {
        synchronized (boundInSession) {
            if (boundElsewhere(key)) {
                return false;
            }
            boundInSession.add(key);
            this.key = key;
            return true;
        }
    }

    /** The key the ledger's claim bound this message to; empty when no claim ran for it. */
    public Optional<String> boundKey() {
        return Optional.ofNullable(key);
    }

    /**
     * The digest of the message's identifying headers ({@link HeaderDigest}), read once from the
     * server with {@code TOP n 0}; null when the server no longer has the message.
     */
    public synchronized String headerDigest(Exchange exchange) throws IOException, MessagingException {
        if (headerDigest == null) {
            headerDigest = RawMessage.headerDigest(exchange);
        }
        return headerDigest;
    }

    /** Remembers the digest computed from the downloaded bytes. */
    public synchronized void downloaded(String digest) {
        headerDigest = digest;
    }

    /** The digest, if the message's headers were read in this session. */
    public synchronized Optional<String> knownHeaderDigest() {
        return Optional.ofNullable(headerDigest);
    }

    @Override
    public String toString() {
        return "message " + number + " (UIDL " + uidl + ", " + (size == null ? "size unknown" : size + " bytes") + ")";
    }
}
