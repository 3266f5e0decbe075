package dev.mailpipe.ledger;

import dev.mailpipe.mailbox.MailpipeHeaders;
import dev.mailpipe.mailbox.OutageException;
import java.sql.SQLException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route step after an idempotent sink (the files sink): records in the ledger that the sink has the
 * message, so a retry after a later sink failed skips its work, above all the download. Not
 * fsync'd on its own: a mark lost to a power cut only means the work is done again.
 */
public final class MarkSinkDone implements Processor {

    private final Ledger ledger;
    private final String sink;

    public MarkSinkDone(Ledger ledger, String sink) {
        this.ledger = ledger;
        this.sink = sink;
    }

    @Override
    public void process(Exchange exchange) throws OutageException {
        try {
            ledger.markSinkDone(exchange.getMessage().getHeader(MailpipeHeaders.KEY, String.class), sink, false);
        } catch (SQLException e) {
            throw new OutageException("ledger", e);
        }
    }
}
