package dev.mailpipe.mailbox;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a mailbox that cannot be polled in one clear line naming the mailbox and the cause, once
 * per distinct cause (not once per poll, and without a stack trace), and says when it recovers.
 */
public final class MailboxPollStrategy implements PollingConsumerPollStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(MailboxPollStrategy.class);

    private final MailboxSettings mailbox;
    private String lastProblem;

    public MailboxPollStrategy(MailboxSettings mailbox) {
        this.mailbox = mailbox;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public synchronized void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        if (lastProblem != null) {
            LOG.info("Mailbox {} is reachable again", mailbox.id());
            lastProblem = null;
        }
    }

    @Override
    public synchronized boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        String problem = MailboxFailure.describe(cause, mailbox);
        if (!problem.equals(lastProblem)) {
            LOG.error("Mailbox {} cannot be polled: {}. Retrying every {} ms.", mailbox.id(), problem, mailbox.pollDelay());
        } else {
            LOG.debug("Mailbox {} still cannot be polled: {}", mailbox.id(), problem, cause);
        }
        lastProblem = problem;
        return false;
    }

    /** The last unresolved problem, or null when the last poll worked. */
    public synchronized String lastProblem() {
        return lastProblem;
    }
}
