package dev.mailpipe.mailbox;

import dev.mailpipe.common.MailpipeHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.camel.Exchange;

/**
 * One mailbox as the steps after its consumer and the health checks see it: its settings, what it has
 * done ({@link MailboxCounters}), its progress and failing messages, and two parts of their own: how
 * its polls go ({@link MailboxPolls}, camel-mail's poll strategy and exception handler) and whether
 * its deliveries are held up by an outage ({@link DeliveryOutages}). The consumer puts it on every
 * exchange.
 */
public final class MailboxStatus {

    private final MailboxSettings mailbox;
    /** The mailbox's id, made once: every message's steps ask for it. */
    private final MailboxId id;

    private final LongSupplier nanoTime;
    private final MailboxCounters counters = new MailboxCounters();
    private final ProblemMessages problems;
    private final MailboxPolls polls;
    private final DeliveryOutages outages;

    /** When a message was last delivered, dead-lettered or deleted (nanoTime). */
    private volatile long lastProgress;
    /** Keys of messages whose last attempt failed and that are still waiting for another. */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    private volatile boolean polledHere;
    /** When the consumer last started (System.currentTimeMillis()); 0 before. */
    private volatile long pollingSince;

    public MailboxStatus(MailboxSettings mailbox) {
        this(mailbox, System::nanoTime);
    }

    /** @param nanoTime the clock durations are measured with ({@link System#nanoTime()}; tests move their own) */
    public MailboxStatus(MailboxSettings mailbox, LongSupplier nanoTime) {
        this.mailbox = mailbox;
        this.id = mailbox.id();
        this.nanoTime = nanoTime;
        this.lastProgress = nanoTime.getAsLong();
        this.problems = new ProblemMessages(id, mailbox.delete());
        this.polls = new MailboxPolls(mailbox, nanoTime);
        this.outages = new DeliveryOutages(id, mailbox.pollDelay(), counters, nanoTime);
    }

    /**
     * The status of the mailbox an exchange came from: its consumer puts it on every exchange, so the
     * steps after it serve any mailbox.
     */
    public static MailboxStatus of(Exchange exchange) {
        return find(exchange)
                .orElseThrow(() -> new IllegalStateException(
                        "No mailbox on the exchange: mailpipe's steps follow a mailbox: consumer"));
    }

    /** The status of the mailbox an exchange came from, if it came from one (the error handling serves every route). */
    public static Optional<MailboxStatus> find(Exchange exchange) {
        return Optional.ofNullable(exchange.getProperty(MailpipeHeaders.MAILBOX_STATUS, MailboxStatus.class));
    }

    /** The mailbox this status is about. */
    public MailboxId mailbox() {
        return id;
    }

    /** The mailbox's settings (its route's parameters over the global mailbox.* properties). */
    public MailboxSettings settings() {
        return mailbox;
    }

    /** How the mailbox's polls go. */
    public MailboxPolls polls() {
        return polls;
    }

    /** Whether a sink, the ledger or the connection holds up the mailbox's deliveries. */
    public DeliveryOutages outages() {
        return outages;
    }

    /** Messages that stay on the server for reasons of their own: broken downloads, parked, kept despite DELE. */
    public ProblemMessages problems() {
        return problems;
    }

    /** What the mailbox has done since the start: deliveries, deletions, failures, bytes. */
    public MailboxCounters counters() {
        return counters;
    }

    /**
     * This instance's consumer of the mailbox started: it polls it from now on. (With clustering,
     * another instance may poll it instead; its checks then say so rather than report it stalled.)
     */
    public void consumerStarted() {
        lastProgress = nanoTime.getAsLong();
        pollingSince = System.currentTimeMillis();
        polledHere = true;
    }

    /** When this instance's consumer of the mailbox last started; empty before it has. */
    public Optional<Instant> pollingSince() {
        long at = pollingSince;
        return at == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(at));
    }

    public void consumerStopped() {
        polledHere = false;
    }

    /** Whether this instance polls the mailbox now. */
    public boolean polledHere() {
        return polledHere;
    }

    /** A message was delivered, dead-lettered or deleted: the mailbox made progress. */
    public void progress() {
        lastProgress = nanoTime.getAsLong();
    }

    /** How long ago the mailbox last made progress (or the run started). */
    public Duration sinceProgress() {
        return Duration.ofNanos(nanoTime.getAsLong() - lastProgress);
    }

    /** A message's own failure; it stays on the server for another attempt. */
    public void messageFailed(String key) {
        failing.add(key);
        counters.countFailure(MailboxCounters.MESSAGE);
    }

    /** A message left the mailbox's to-do list: delivered or dead-lettered. */
    public void messageDone(String key) {
        messageSettled(key);
        progress();
    }

    /** A message needs no delivery from this instance (done before, or elsewhere); its deletion is the progress. */
    public void messageSettled(String key) {
        failing.remove(key);
    }

    /** Messages whose last attempt failed and which are neither delivered nor dead-lettered yet. */
    public int failingMessages() {
        return failing.size();
    }
}
