package dev.mailpipe.mailbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a mailbox's polls go. A poll that fails (login, DNS, TLS, network) is reported in one line
 * naming the mailbox and the cause, once per distinct cause rather than once per poll, without a
 * stack trace; recovery is reported too. Serves camel-mail as both its {@code pollStrategy} and its
 * consumer {@code exceptionHandler}, so Camel does not log the same failure a second time.
 */
public final class MailboxPolls implements PollingConsumerPollStrategy, ExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(MailboxPolls.class);

    private final MailboxSettings mailbox;
    private final MailboxId id;
    private final LongSupplier nanoTime;

    private String lastProblem;
    private Throwable lastReported;
    private final AtomicLong pollsEnded = new AtomicLong();
    private final List<java.util.function.Consumer<Optional<MailboxFailure.Diagnosis>>> listeners =
            new CopyOnWriteArrayList<>();
    private volatile String retries;
    private volatile boolean pollInProgress;
    /** When the current poll began (nanoTime). */
    private volatile long pollStarted;

    private final AtomicLong pollNanos = new AtomicLong();
    /** When the last poll ended well (System.currentTimeMillis()), 0 before the first. */
    private volatile long lastSuccessfulPoll;
    /** Polls failed in a row since the last good one (a mailbox locked by another client does not count). */
    private volatile int failedPollsInARow;
    /** When the consumer last did something: a poll began, a message was handed over or completed. */
    private volatile long lastActivity;

    MailboxPolls(MailboxSettings mailbox, LongSupplier nanoTime) {
        this.mailbox = mailbox;
        this.id = mailbox.id();
        this.nanoTime = nanoTime;
        this.lastActivity = nanoTime.getAsLong();
        this.retries = " Retrying every " + mailbox.pollDelay() + " ms.";
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        pollStarted = nanoTime.getAsLong();
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
        lastActivity = nanoTime.getAsLong();
    }

    /** How long ago the consumer last began a poll, handed over a message or saw one complete. */
    public Duration sinceActivity() {
        return Duration.ofNanos(nanoTime.getAsLong() - lastActivity);
    }

    /** Total time spent in polls ended so far. */
    public Duration pollTime() {
        return Duration.ofNanos(pollNanos.get());
    }

    /** When the last poll ended without an error; empty before the first. */
    public Optional<Instant> lastSuccessfulPoll() {
        long at = lastSuccessfulPoll;
        return at == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(at));
    }

    /** Polls that failed in a row since the last one that worked. */
    public int failedPollsInARow() {
        return failedPollsInARow;
    }

    /** Why the last poll failed, while polls fail. */
    public synchronized Optional<String> pollProblem() {
        return Optional.ofNullable(lastProblem);
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

    /** Called with this object's lock held (commit, rollback). */
    private void pollEnded() {
        notifyAll();
        pollInProgress = false;
        pollsEnded.incrementAndGet();
        pollNanos.addAndGet(nanoTime.getAsLong() - pollStarted);
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
     * polling thread and outside this object's lock.
     */
    public void onPollEnded(java.util.function.Consumer<Optional<MailboxFailure.Diagnosis>> listener) {
        listeners.add(listener);
    }

    private void tell(Optional<MailboxFailure.Diagnosis> outcome) {
        for (var listener : listeners) {
            try {
                listener.accept(outcome);
            } catch (RuntimeException e) {
                LOG.debug("Mailbox {}: a poll listener failed", id, e);
            }
        }
    }

    /**
     * The mailbox is drained by a one-shot run that ends after {@code maxIdle} without progress: a
     * failed poll's log line says whether the run retries it, instead of promising retries for good.
     */
    public void oneShot(Duration maxIdle) {
        retries = mailbox.pollDelay() < maxIdle.toMillis()
                ? " Retrying every " + mailbox.pollDelay() + " ms until this one-shot run ends."
                : " This one-shot run does not retry it; it ends " + maxIdle.toSeconds()
                        + " s after the last progress.";
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
