package dev.mailpipe.mailbox;

import dev.mailpipe.common.MailpipeHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks whether the mailbox can be polled. A poll that fails (login, DNS, TLS, network) is reported
 * in one line naming the mailbox and the cause, once per distinct cause rather than once per poll,
 * without a stack trace; recovery is reported too. Serves camel-mail as both its
 * {@code pollStrategy} and its consumer {@code exceptionHandler}, so Camel does not log the same
 * failure a second time.
 */
public final class MailboxStatus implements PollingConsumerPollStrategy, ExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(MailboxStatus.class);

    private final MailboxSettings mailbox;
    /** The mailbox's id, made once: every message's steps ask for it. */
    private final MailboxId id;

    private String lastProblem;
    private Throwable lastReported;
    private String outage;
    private String outageDetail;
    /** When a message was last delivered, dead-lettered or deleted (System.nanoTime()). */
    private volatile long lastProgress = System.nanoTime();
    /** Keys of messages whose last attempt failed and that are still waiting for another. */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    private final AtomicLong pollsEnded = new AtomicLong();
    private final List<java.util.function.Consumer<Optional<MailboxFailure.Diagnosis>>> pollListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile String retries;
    private volatile boolean pollInProgress;
    private volatile boolean polledHere;
    private final MailboxCounters counters = new MailboxCounters();
    private final ProblemMessages problems;
    /** When the current poll began (System.nanoTime()). */
    private volatile long pollStarted;

    private final AtomicLong pollNanos = new AtomicLong();
    /** When the last poll ended well (System.currentTimeMillis()), 0 before the first. */
    private volatile long lastSuccessfulPoll;
    /** When the consumer last started (System.currentTimeMillis()); 0 before. */
    private volatile long pollingSince;
    /** Polls failed in a row since the last good one (a mailbox locked by another client does not count). */
    private volatile int failedPollsInARow;
    /** When the consumer last did something: a poll began, a message was handed over or completed. */
    private volatile long lastActivity = System.nanoTime();
    /** When the current outage began (System.nanoTime()), while {@link #outage} is set. */
    private long outageSince;

    public MailboxStatus(MailboxSettings mailbox) {
        this.mailbox = mailbox;
        this.id = mailbox.id();
        this.problems = new ProblemMessages(id, mailbox.delete());
        this.retries = " Retrying every " + mailbox.pollDelay() + " ms.";
    }

    /** Messages that stay on the server for reasons of their own: broken downloads, parked, kept despite DELE. */
    public ProblemMessages problems() {
        return problems;
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

    /**
     * This instance's consumer of the mailbox started: it polls it from now on. (With clustering,
     * another instance may poll it instead; its checks then say so rather than report it stalled.)
     */
    public void consumerStarted() {
        lastProgress = System.nanoTime();
        pollingSince = System.currentTimeMillis();
        polledHere = true;
    }

    /** When this instance's consumer of the mailbox last started; empty before it has. */
    public Optional<java.time.Instant> pollingSince() {
        long at = pollingSince;
        return at == 0 ? Optional.empty() : Optional.of(java.time.Instant.ofEpochMilli(at));
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
        lastProgress = System.nanoTime();
    }

    /** How long ago the mailbox last made progress (or the run started). */
    public Duration sinceProgress() {
        return Duration.ofNanos(System.nanoTime() - lastProgress);
    }

    /** What the mailbox has done since the start: deliveries, deletions, failures, bytes. */
    public MailboxCounters counters() {
        return counters;
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

    /** Why the last poll failed, while polls fail. */
    public synchronized Optional<String> pollProblem() {
        return Optional.ofNullable(lastProblem);
    }

    /** What is out (a sink, the ledger, the connection), while an outage lasts. */
    public synchronized Optional<String> outage() {
        return Optional.ofNullable(outageDetail);
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        pollStarted = System.nanoTime();
        lastActivity = pollStarted;
        pollInProgress = true;
        return true;
    }

    /** Whether a poll (a POP3 session: connect, login, listing, its batch) is under way. */
    public boolean pollInProgress() {
        return pollInProgress;
    }

    /** Polls ended so far, successful or not; what shows that the consumer is polling at all. */
    public long pollsEnded() {
        return pollsEnded.get();
    }

    /** The consumer read a block from the server, handed a message to the route, or one completed: the poll is not stuck. */
    public void activity() {
        lastActivity = System.nanoTime();
    }

    /** How long ago the consumer last began a poll, handed over a message or saw one complete. */
    public Duration sinceActivity() {
        return Duration.ofNanos(System.nanoTime() - lastActivity);
    }

    /** Total time spent in polls ended so far. */
    public Duration pollTime() {
        return Duration.ofNanos(pollNanos.get());
    }

    /** When the last poll ended without an error (System.currentTimeMillis()); empty before the first. */
    public Optional<java.time.Instant> lastSuccessfulPoll() {
        long at = lastSuccessfulPoll;
        return at == 0 ? Optional.empty() : Optional.of(java.time.Instant.ofEpochMilli(at));
    }

    /** Polls that failed in a row since the last one that worked. */
    public int failedPollsInARow() {
        return failedPollsInARow;
    }

    /** How long the current sink outage has lasted; zero when there is none. */
    public synchronized Duration outageDuration() {
        return outage == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - outageSince);
    }

    /** What is out, by sink name ({@code kafka}, {@code files}, {@code ledger}, ...), while an outage lasts. */
    public synchronized Optional<String> outageSink() {
        return Optional.ofNullable(outage).map(MailboxStatus::sinkOf);
    }

    /** Waits until no poll is under way, at most {@code timeout}; false if one still is. */
    public synchronized boolean awaitNoPoll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pollInProgress) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Called with this status's lock held (commit, rollback). */
    private void pollEnded() {
        notifyAll();
        pollInProgress = false;
        pollsEnded.incrementAndGet();
        pollNanos.addAndGet(System.nanoTime() - pollStarted);
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        synchronized (this) {
            pollEnded();
            lastSuccessfulPoll = System.currentTimeMillis();
            failedPollsInARow = 0;
            if (lastProblem != null) {
                LOG.info("Mailbox {} can be polled again", id);
                lastProblem = null;
            }
        }
        tell(Optional.empty());
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        MailboxFailure.Diagnosis diagnosis;
        synchronized (this) {
            pollEnded();
            lastReported = cause;
            if (MailboxFailure.isMailboxInUse(cause)) {
                // Instances sharing a mailbox take turns; waiting for the lock is normal, not a problem.
                LOG.debug("Mailbox {} is locked by another client; trying again in {} ms", id, mailbox.pollDelay());
                return false;
            }
            failedPollsInARow++;
            diagnosis = MailboxFailure.diagnose(cause, mailbox);
            String problem = diagnosis.description();
            if (!problem.equals(lastProblem)) {
                LOG.error("Mailbox {} cannot be polled: {}.{}", id, problem, retries);
            }
            LOG.debug("Poll of mailbox {} failed", id, cause);
            lastProblem = problem;
        }
        tell(Optional.of(diagnosis));
        return false;
    }

    /**
     * Adds a listener told how each poll ended (empty: it signed in and listed the mailbox), on the
     * polling thread and outside this status's lock.
     */
    public void onPollEnded(java.util.function.Consumer<Optional<MailboxFailure.Diagnosis>> listener) {
        pollListeners.add(listener);
    }

    private void tell(Optional<MailboxFailure.Diagnosis> outcome) {
        for (var listener : pollListeners) {
            try {
                listener.accept(outcome);
            } catch (RuntimeException e) {
                LOG.debug("Mailbox {}: a poll listener failed", id, e);
            }
        }
    }

    /**
     * This mailbox is drained by a one-shot run that ends after {@code maxIdle} without progress: a
     * failed poll's log line says whether the run retries it, instead of promising retries for good.
     */
    public void oneShot(Duration maxIdle) {
        retries = mailbox.pollDelay() < maxIdle.toMillis()
                ? " Retrying every " + mailbox.pollDelay() + " ms until this one-shot run ends."
                : " This one-shot run does not retry it; it ends " + maxIdle.toSeconds()
                        + " s after the last progress.";
    }

    /**
     * A delivery failed for a reason other than the message (a sink, the ledger or the connection is
     * unavailable): reported once per distinct cause; nothing is deleted or dead-lettered meanwhile.
     */
    public synchronized void deliveryOutage(String what, String detail) {
        counters.countFailure(sinkOf(what));
        if (outage == null) {
            outageSince = System.nanoTime();
        }
        if (!what.equals(outage)) {
            LOG.warn(
                    "Mailbox {}: {}. Messages stay on the server and are retried every {} ms; none is deleted or"
                            + " dead-lettered for this.",
                    id,
                    detail,
                    mailbox.pollDelay());
            outage = what;
            outageDetail = detail;
        } else {
            LOG.debug("Mailbox {}: still {}", id, detail);
        }
    }

    /** Whether a sink, the ledger or the connection is out: the consumer then probes instead of draining. */
    public synchronized boolean inOutage() {
        return outage != null;
    }

    /** A message was delivered: any outage is over. */
    public synchronized void deliveryWorks() {
        if (outage != null) {
            LOG.info("Mailbox {}: delivery works again", id);
            outage = null;
            outageDetail = null;
        }
    }

    /** The sink named by an outage's description: its first word ({@code "kafka sink host:9092"} is {@code kafka}). */
    static String sinkOf(String what) {
        int space = what.indexOf(' ');
        return (space < 0 ? what : what.substring(0, space)).toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public synchronized void handleException(String message, Exchange exchange, Throwable exception) {
        if (exception == lastReported) {
            // rollback() has already told the user about this one.
            return;
        }
        LOG.warn(
                "Mailbox {}: {}: {}",
                id,
                message == null ? "error" : message,
                MailboxFailure.describe(exception, mailbox));
        LOG.debug("Details of the error on mailbox {}", id, exception);
    }
}
