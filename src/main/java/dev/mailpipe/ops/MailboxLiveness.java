package dev.mailpipe.ops;

import dev.mailpipe.mailbox.MailboxStatus;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Liveness of one mailbox's consumer: DOWN only when a poll has been under way without reading a
 * block from the server, handing over or completing a message for longer than its timeouts allow, that is when the consumer thread is
 * stuck and a restart is the only way on. Failing polls and outages are readiness matters.
 */
public final class MailboxLiveness extends AbstractHealthCheck {

    private final MailboxStatus status;
    private final Duration stuckAfter;

    /** @param stuckAfter how long a poll may go without any activity (beyond connect and read timeouts) */
    public MailboxLiveness(MailboxStatus status, Duration stuckAfter) {
        super("mailpipe", "consumer-thread:" + status.mailbox());
        this.status = status;
        this.stuckAfter = stuckAfter;
    }

    @Override
    public boolean isLiveness() {
        return true;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("mailbox", status.mailbox().toString());
        Duration quiet = status.polls().sinceActivity();
        if (status.polls().pollInProgress() && quiet.compareTo(stuckAfter) > 0) {
            builder.down()
                    .message("the consumer of mailbox " + status.mailbox() + " has been stuck in a poll for "
                            + quiet.toSeconds() + " s (longer than the connect timeout and twice the read timeout)");
        } else {
            builder.up();
        }
    }
}
