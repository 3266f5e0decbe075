package dev.mailpipe.ops;

import dev.mailpipe.mailbox.MailboxStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of one mailbox: DOWN while its polls fail several times in a row (login, TLS, DNS,
 * refused), when it has neither polled successfully nor made progress for several poll intervals
 * (stalled), or when a sink, the ledger or the connection has been out longer than
 * {@code management.outageGraceSeconds}. Reasons name the mailbox and the part, never a secret.
 */
public final class MailboxReadiness extends AbstractHealthCheck {

    /** Failed polls in a row that make the mailbox not ready. */
    public static final int FAILED_POLLS = 3;

    private final MailboxStatus status;
    private final Duration stalledAfter;
    private final Duration outageGrace;

    /**
     * @param stalledAfter how long without a successful poll or any progress counts as stalled
     * @param outageGrace how long an outage may last before the mailbox is not ready
     */
    public MailboxReadiness(MailboxStatus status, Duration stalledAfter, Duration outageGrace) {
        super("mailpipe", "mailbox:" + status.mailbox());
        this.status = status;
        this.stalledAfter = stalledAfter;
        this.outageGrace = outageGrace;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("mailbox", status.mailbox().toString());
        builder.detail("polledHere", status.polledHere());
        if (!status.polledHere()) {
            // Another instance polls it (clustering), or its route is stopped: nothing to judge here.
            builder.up();
            return;
        }
        builder.detail("failedPollsInARow", status.polls().failedPollsInARow());
        builder.detail("parked", status.problems().parkedCount());
        builder.detail("keptByServer", status.problems().keptCount());
        status.outages().sink().ifPresent(sink -> builder.detail("outage", sink));
        Optional<String> problem = problem();
        if (problem.isPresent()) {
            builder.down().message(problem.get());
        } else {
            builder.up();
        }
    }

    private Optional<String> problem() {
        String mailbox = "mailbox " + status.mailbox();
        int failed = status.polls().failedPollsInARow();
        if (failed >= FAILED_POLLS) {
            return Optional.of(mailbox + " cannot be polled, " + failed + " polls failed in a row: "
                    + status.polls().pollProblem().orElse("unknown cause"));
        }
        Duration outage = status.outages().duration();
        if (outage.compareTo(outageGrace) > 0) {
            return Optional.of(mailbox + ": " + status.outages().sink().orElse("a sink") + " has been unavailable for "
                    + outage.toSeconds() + " s (longer than management.outageGraceSeconds=" + outageGrace.toSeconds()
                    + "); nothing is deleted meanwhile");
        }
        Duration quiet = status.polls()
                .lastSuccessfulPoll()
                .map(at -> Duration.between(at, java.time.Instant.now()))
                .filter(sincePoll -> sincePoll.compareTo(status.sinceProgress()) < 0)
                .orElse(status.sinceProgress());
        if (quiet.compareTo(stalledAfter) > 0) {
            return Optional.of(
                    mailbox + " is stalled: no successful poll and no progress for " + quiet.toSeconds() + " s");
        }
        return Optional.empty();
    }
}
