package dev.mailpipe.mailbox;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a mailbox's deliveries fail for a reason other than the message: a sink, the ledger or
 * the connection is out. Reported once per distinct cause; while it lasts the consumer probes instead
 * of draining, and nothing is deleted or dead-lettered for it.
 */
public final class DeliveryOutages {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryOutages.class);

    private final MailboxId mailbox;
    private final long pollDelay;
    private final MailboxCounters counters;
    private final LongSupplier nanoTime;

    private String outage;
    private String detail;
    /** When the current outage began (nanoTime), while {@link #outage} is set. */
    private long since;

    DeliveryOutages(MailboxId mailbox, long pollDelay, MailboxCounters counters, LongSupplier nanoTime) {
        this.mailbox = mailbox;
        this.pollDelay = pollDelay;
        this.counters = counters;
        this.nanoTime = nanoTime;
    }

    /**
     * A delivery failed because {@code what} is out ({@code "kafka sink host:9092"}): reported once per
     * distinct cause; nothing is deleted or dead-lettered meanwhile.
     */
    public synchronized void start(String what, String detail) {
        counters.countFailure(sinkOf(what));
        if (outage == null) {
            since = nanoTime.getAsLong();
        }
        if (!what.equals(outage)) {
            LOG.warn(
                    "Mailbox {}: {}. Messages stay on the server and are retried every {} ms; none is deleted or"
                            + " dead-lettered for this.",
                    mailbox,
                    detail,
                    pollDelay);
            outage = what;
            this.detail = detail;
        } else {
            LOG.debug("Mailbox {}: still {}", mailbox, detail);
        }
    }

    /** A message was delivered: any outage is over. */
    public synchronized void end() {
        if (outage != null) {
            LOG.info("Mailbox {}: delivery works again", mailbox);
            outage = null;
            detail = null;
        }
    }

    /** Whether a sink, the ledger or the connection is out: the consumer then probes instead of draining. */
    public synchronized boolean active() {
        return outage != null;
    }

    /** What is out (a sink, the ledger, the connection), while an outage lasts. */
    public synchronized Optional<String> detail() {
        return Optional.ofNullable(detail);
    }

    /** How long the current outage has lasted; zero when there is none. */
    public synchronized Duration duration() {
        return outage == null ? Duration.ZERO : Duration.ofNanos(nanoTime.getAsLong() - since);
    }

    /** What is out, by sink name ({@code kafka}, {@code files}, {@code ledger}, ...), while an outage lasts. */
    public synchronized Optional<String> sink() {
        return Optional.ofNullable(outage).map(DeliveryOutages::sinkOf);
    }

    /** The sink named by an outage's description: its first word ({@code "kafka sink host:9092"} is {@code kafka}). */
    static String sinkOf(String what) {
        int space = what.indexOf(' ');
        return (space < 0 ? what : what.substring(0, space)).toLowerCase(Locale.ROOT);
    }
}
