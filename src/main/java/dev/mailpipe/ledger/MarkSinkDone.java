package dev.mailpipe.ledger;

import dev.mailpipe.common.MailpipeHeaders;
import dev.mailpipe.common.OutageException;
import java.sql.SQLException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route step after a sink: records in the ledger that the sink has the message, so a retry after a
 * later sink failed skips its work. The files sink's mark (it saves the download) is not fsync'd on
 * its own: the files sink is idempotent, so a mark lost to a power cut only means the work is done
 * again. A Kafka record's mark is durable: Kafka is not idempotent across producers, and a lost mark
 * would publish the record twice.
 */
public final class MarkSinkDone implements Processor {

    private final Ledger ledger;
    private final String sink;
    private final boolean durable;

    public MarkSinkDone(Ledger ledger, String sink) {
        this(ledger, sink, false);
    }

    public MarkSinkDone(Ledger ledger, String sink, boolean durable) {
        this.ledger = ledger;
        this.sink = sink;
        this.durable = durable;
    }

    @Override
    public void process(Exchange exchange) throws OutageException {
        try {
            ledger.markSinkDone(
                    exchange.getMessage().getHeader(MailpipeHeaders.KEY, String.class),
                    sink,
                    durable,
                    HeaderDigests.of(exchange));
        } catch (SQLException e) {
            throw new OutageException("ledger", e);
        }
    }
}
