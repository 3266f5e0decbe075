package dev.mailpipe.mailbox;

import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Decides which messages a poll takes (camel-mail's {@code idempotentRepository} hook): a message
 * whose delivery failed is held back until the next regular poll, so greedy draining never spins on
 * it; with {@code mailbox.delete=false}, a message stored in this run is not fetched again.
 * In memory only, for this run's polling; what survives a restart is the ledger's business.
 */
public final class DeliveryTracker extends ServiceSupport implements IdempotentRepository {

    private final boolean deleteAfterDownload;
    private final long retryDelayMillis;
    private final Clock clock;
    private final Set<String> delivered = new HashSet<>();
    private final Map<String, Long> heldBackUntil = new HashMap<>();

    public DeliveryTracker(MailboxSettings mailbox, Clock clock) {
        this.deleteAfterDownload = mailbox.delete();
        this.retryDelayMillis = mailbox.pollDelay();
        this.clock = clock;
    }

    /** camel-mail asks this before it takes a message into a poll; false skips it. */
    @Override
    public synchronized boolean add(String uidl) {
        Long until = heldBackUntil.get(uidl);
        if (until != null) {
            if (clock.millis() < until) {
                return false;
            }
            heldBackUntil.remove(uidl);
        }
        return !delivered.contains(uidl);
    }

    @Override
    public synchronized boolean contains(String uidl) {
        return delivered.contains(uidl) || heldBackUntil.containsKey(uidl);
    }

    /** camel-mail calls this when the route failed for the message: retry it on the next regular poll. */
    @Override
    public synchronized boolean remove(String uidl) {
        heldBackUntil.put(uidl, clock.millis() + retryDelayMillis);
        return true;
    }

    /** camel-mail calls this when the route completed for the message. */
    @Override
    public synchronized boolean confirm(String uidl) {
        if (!deleteAfterDownload) {
            delivered.add(uidl);
        }
        return true;
    }

    @Override
    public synchronized void clear() {
        delivered.clear();
        heldBackUntil.clear();
    }
}
