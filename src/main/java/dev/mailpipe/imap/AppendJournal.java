package dev.mailpipe.imap;

import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * A durable record of each message's APPENDs, kept by whoever runs the route (mailpipe's ledger, per
 * message key). With it the sink appends without searching the folder first: only a message whose
 * earlier APPEND may have reached the server unseen (a crash or a lost connection between sending it
 * and recording its answer) is looked for, by UID where the server has UIDPLUS. Without a journal
 * every message is looked for by a SEARCH, as a retry may follow any crash.
 */
public interface AppendJournal {

    /**
     * The last record of this exchange's message; empty when no APPEND of it was ever sent (as far as
     * the journal knows, which must then be the whole truth).
     */
    Optional<AppendRecord> last(Exchange exchange) throws Exception;

    /** Records that an APPEND is about to be sent; returns once the record survives a crash and a power cut. */
    void sending(Exchange exchange, AppendRecord record) throws Exception;

    /**
     * Records the server's answer. Need not be durable: when it is lost, the record of the sending
     * stands, and the next attempt looks for the message.
     */
    void answered(Exchange exchange, AppendRecord record) throws Exception;
}
