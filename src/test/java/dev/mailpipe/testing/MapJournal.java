package dev.mailpipe.testing;

import dev.mailpipe.common.MailpipeHeaders;
import dev.mailpipe.imap.AppendJournal;
import dev.mailpipe.imap.AppendRecord;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;

/** The IMAP sink's journal in memory, by the message key header, as the ledger keeps it per entry. */
public final class MapJournal implements AppendJournal {
    private final Map<String, AppendRecord> records = new ConcurrentHashMap<>();
    private volatile int durableRecords;

    /** Records made durable so far (one per APPEND sent). */
    public int durableRecords() {
        return durableRecords;
    }

    @Override
    public Optional<AppendRecord> last(Exchange exchange) {
        return Optional.ofNullable(records.get(key(exchange)));
    }

    @Override
    public synchronized void sending(Exchange exchange, AppendRecord record) {
        durableRecords++;
        records.put(key(exchange), record);
    }

    @Override
    public synchronized void answered(Exchange exchange, AppendRecord record) {
        records.put(key(exchange), record);
    }

    public AppendRecord record(String key) {
        return records.get(key);
    }

    private static String key(Exchange exchange) {
        return exchange.getMessage().getHeader(MailpipeHeaders.KEY, String.class);
    }
}
