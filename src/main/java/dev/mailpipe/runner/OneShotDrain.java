package dev.mailpipe.runner;

import dev.mailpipe.mailbox.MailboxStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-shot run ({@code camel.main.durationMaxIdleSeconds}): ends once every mailbox has made no
 * delivery progress (a message delivered, dead-lettered or deleted) for that long, and says how it
 * ended in the exit code. camel-main's own idle timer counts every exchange as activity, so a run
 * whose sink is down never ended (each retry was activity) and a run that could not log in ended
 * with 0 (no exchange, no problem seen).
 */
public final class OneShotDrain extends ServiceSupport {

    /** Exit code: the mailbox could not be polled when the run ended (login, TLS, DNS, network). */
    public static final int MAILBOX_NOT_POLLED = 3;
    /** Exit code: messages are still on the server, undelivered (an outage, or messages failing). */
    public static final int UNDELIVERED = 4;

    private static final Logger LOG = LoggerFactory.getLogger(OneShotDrain.class);

    private final CamelContext context;
    private final Supplier<List<MailboxStatus>> mailboxes;
    private final Duration maxIdle;
    private final Runnable stop;
    private ScheduledExecutorService checks;
    private volatile int exitCode;
    /** The run is idle and its mailboxes take no new polls; it ends once the polls under way have. */
    private boolean ending;
    /** When the polls were suspended (System.nanoTime()). */
    private long endingSince;

    OneShotDrain(CamelContext context, Supplier<List<MailboxStatus>> mailboxes, Duration maxIdle, Runnable stop) {
        this.context = context;
        this.mailboxes = mailboxes;
        this.maxIdle = maxIdle;
        this.stop = stop;
    }

    @Override
    protected void doStart() {
        checks = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "one-shot-drain");
        checks.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    protected void doStop() {
        if (checks != null) {
            context.getExecutorServiceManager().shutdownNow(checks);
            checks = null;
        }
    }

    /**
     * Ends in two steps. Idle: every mailbox has had a poll end and none has made progress for the
     * idle limit; its consumers then take no new poll. Done: the polls under way then (a slow server,
     * a batch waiting for its sinks) have ended without progress, and no message is in flight; only
     * an ended poll says what state a mailbox is in. A poll under way that made progress after all
     * (its batch's deletions) resumes the polls, and idleness is measured again. So the run ends within the idle limit and one poll, however often
     * its mailboxes poll (waiting for an instant with no poll under way could take minutes).
     */
    private void check() {
        // Mailboxes this instance does not poll (another instance of a cluster does) have nothing to say.
        List<MailboxStatus> all = mailboxes.get().stream()
                .filter(status -> status.polledHere() || ending)
                .toList();
        if (all.isEmpty()) {
            return;
        }
        if (!ending) {
            for (MailboxStatus status : all) {
                if (status.polls().pollsEnded() == 0 || status.sinceProgress().compareTo(maxIdle) < 0) {
                    return;
                }
            }
            ending = true;
            endingSince = System.nanoTime();
            setPolls(true);
            return;
        }
        if (context.getInflightRepository().size() > 0
                || all.stream().anyMatch(s -> s.polls().pollInProgress())) {
            return;
        }
        Duration suspended = Duration.ofNanos(System.nanoTime() - endingSince);
        if (all.stream().anyMatch(status -> status.sinceProgress().compareTo(suspended) < 0)) {
            // A poll under way made progress after all (it delivered or deleted mail): not idle.
            ending = false;
            setPolls(false);
            return;
        }
        exitCode = all.stream().mapToInt(this::outcome).max().orElse(0);
        stop.run();
        context.getExecutorServiceManager().shutdownNow(checks);
    }

    /**
     * Suspended: no mailbox starts another poll (a greedy follow-up included), and polls under way go
     * on to their end. Resumed: they poll again.
     */
    private void setPolls(boolean suspended) {
        for (org.apache.camel.Route route : context.getRoutes()) {
            if (route.getConsumer() instanceof org.apache.camel.Suspendable consumer
                    && route.getEndpoint() instanceof dev.mailpipe.mailbox.MailboxEndpoint) {
                try {
                    if (suspended) {
                        org.apache.camel.support.service.ServiceHelper.suspendService(consumer);
                    } else {
                        org.apache.camel.support.service.ServiceHelper.resumeService(consumer);
                    }
                } catch (RuntimeException e) {
                    LOG.debug("Route {}: its consumer did not change: {}", route.getRouteId(), e.toString());
                }
            }
        }
    }

    /** The mailbox's exit code; the run's is the worst of its mailboxes'. */
    private int outcome(MailboxStatus status) {
        if (status.polls().pollProblem().isPresent()) {
            LOG.error(
                    "One-shot run ends: mailbox {} could not be polled for {} s ({})",
                    status.mailbox(),
                    maxIdle.toSeconds(),
                    status.polls().pollProblem().get());
            return MAILBOX_NOT_POLLED;
        }
        if (status.outages().detail().isPresent() || status.failingMessages() > 0) {
            LOG.error(
                    "One-shot run ends with messages undelivered on {}: {}; they stay on the server for the next run",
                    status.mailbox(),
                    status.outages().detail().orElse(status.failingMessages() + " message(s) failing"));
            return UNDELIVERED;
        }
        LOG.info(
                "One-shot run ends: mailbox {} drained ({} s without new mail)", status.mailbox(), maxIdle.toSeconds());
        return 0;
    }

    /** The run's exit code once it has ended by itself; 0 before that. */
    public int exitCode() {
        return exitCode;
    }
}
