package dev.mailpipe.ledger;

import dev.mailpipe.common.MailpipeHeaders;
import dev.mailpipe.common.OutageException;
import dev.mailpipe.imap.AppendJournal;
import dev.mailpipe.imap.AppendRecord;
import java.sql.SQLException;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * The IMAP sink's journal in the ledger, on the message's own entry: the record of an APPEND being
 * sent is fsync'd before it goes out (a power cut here must not hide an APPEND the server has), its
 * answer is not (when lost, the next attempt looks for the message by UID). A new generation of a
 * UIDL is a new entry, so it starts with no record.
 */
public final class LedgerAppendJournal implements AppendJournal {

    private final Ledger ledger;

    public LedgerAppendJournal(Ledger ledger) {
        this.ledger = ledger;
    }

    @Override
    public Optional<AppendRecord> last(Exchange exchange) throws OutageException {
        try {
            return ledger.imapAppend(key(exchange)).flatMap(AppendRecord::decode);
        } catch (SQLException e) {
            throw new OutageException("ledger", e);
        }
    }

    @Override
    public void sending(Exchange exchange, AppendRecord record) throws OutageException {
        record(exchange, record, true);
    }

    @Override
    public void answered(Exchange exchange, AppendRecord record) throws OutageException {
        record(exchange, record, false);
    }

    private void record(Exchange exchange, AppendRecord record, boolean durable) throws OutageException {
        try {
            ledger.recordImapAppend(key(exchange), record.encode(), durable);
        } catch (SQLException e) {
            throw new OutageException("ledger", e);
        }
    }

    private static String key(Exchange exchange) {
        String key = exchange.getMessage().getHeader(MailpipeHeaders.KEY, String.class);
        if (key == null) {
            throw new IllegalStateException(
                    "The IMAP sink's journal needs the message's key (header " + MailpipeHeaders.KEY + ")");
        }
        return key;
    }
}
