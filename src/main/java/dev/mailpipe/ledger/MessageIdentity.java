package dev.mailpipe.ledger;

import dev.mailpipe.mailbox.ListedMessage;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds which ledger entry a listed message is, and claims it. A UIDL does not name one message for
 * good: RFC 1939 lets a server give it again once its message is gone, and some servers give one
 * UIDL to two messages. So a UIDL the ledger knows is the same message only when the size the
 * server lists matches the one recorded and, where that is ambiguous (the entry is settled, its
 * message was deleted, the UIDL appears twice in this listing, or no size is listed), the digest of
 * its identifying headers (one {@code TOP n 0} for that message) matches the one recorded when it
 * was stored. Otherwise it is a
 * new message: the next generation of the UIDL, with a key of its own. Within one session a key is
 * bound to one message at most. The normal path, a UIDL never seen, costs one INSERT and no command.
 */
final class MessageIdentity {

    private static final Logger LOG = LoggerFactory.getLogger(MessageIdentity.class);

    /** Generations taken by other instances at the same moment before this one gives up for this poll. */
    private static final int RACES = 3;

    private final Ledger ledger;

    MessageIdentity(Ledger ledger) {
        this.ledger = ledger;
    }

    /** The key the message is bound to and its claim. */
    record Identified(String key, Claim claim) {}

    Identified claim(ListedMessage listed, String mailbox, String owner, Exchange exchange)
            throws SQLException, IOException, MessagingException {
        String first = listed.keyOf(0);
        if (!listed.boundElsewhere(first)) {
            Optional<Claim> fresh = ledger.claimNew(first, mailbox, listed.uidl(), 0, listed.size(), owner);
            if (fresh.isPresent() && listed.tryBind(first)) {
                return new Identified(first, fresh.get());
            }
        }
        for (int race = 0; race < RACES; race++) {
            List<LedgerEntry> entries = ledger.entriesOf(mailbox, listed.uidl());
            int next = 0;
            for (LedgerEntry entry : entries) {
                next = Math.max(next, entry.generation() + 1);
                if (!listed.boundElsewhere(entry.key())
                        && sameMessage(entry, listed, exchange)
                        && listed.tryBind(entry.key())) {
                    return new Identified(entry.key(), ledger.claimKnown(entry.key(), owner));
                }
            }
            String key = listed.keyOf(next);
            Optional<Claim> fresh = ledger.claimNew(key, mailbox, listed.uidl(), next, listed.size(), owner);
            if (fresh.isPresent() && listed.tryBind(key)) {
                LOG.info(
                        "Mailbox {}: {} is not the message the ledger has under that UIDL ({}); it is a new message,"
                                + " generation {} of the UIDL",
                        mailbox,
                        listed,
                        listed.shared() ? "the server lists the UIDL more than once" : "the server reuses UIDLs",
                        next);
                return new Identified(key, fresh.get());
            }
        }
        throw new SQLException("other instances kept recording new generations of UIDL " + listed.uidl());
    }

    /**
     * Whether {@code entry} records the listed message. A message is deleted unstored only on this
     * answer, so where it is not proven the answer is no, which at worst stores a message twice.
     */
    static boolean sameMessage(LedgerEntry entry, ListedMessage listed, Exchange exchange)
            throws IOException, MessagingException {
        Long recorded = entry.listedSize().orElse(null);
        Long size = listed.size();
        if (recorded != null && size != null && !recorded.equals(size)) {
            return false;
        }
        // Ambiguous: the entry is settled (its message may be gone, its deletion unrecorded, and the
        // UIDL given to another), the server may have given the UIDL to another message since (the
        // recorded one was deleted, or the listing repeats it), or it lists no size to compare this
        // time. An entry that never had a size (written before schema version 4) is taken as before
        // unless the UIDL could have been reused.
        boolean legacy = recorded == null && entry.headerDigest().isEmpty();
        boolean ambiguous = entry.deletedAt().isPresent()
                || listed.shared()
                || (recorded != null && size == null)
                || (entry.state().isFinal() && !legacy);
        if (!ambiguous) {
            return true;
        }
        if (entry.headerDigest().isEmpty()) {
            // Nothing to compare: only an entry no sink has taken anything for may be this message,
            // since nothing is then deleted or skipped on the strength of this answer.
            return !entry.state().isFinal() && entry.sinksDone().isEmpty();
        }
        return entry.headerDigest().get().equals(listed.headerDigest(exchange));
    }
}
