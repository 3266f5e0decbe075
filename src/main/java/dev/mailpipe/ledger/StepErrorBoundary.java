package dev.mailpipe.ledger;

import dev.mailpipe.common.OutageException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Wraps each of mailpipe's route steps so that an {@link Error} it throws (an OutOfMemoryError or
 * StackOverflowError while a hostile message is parsed) is the failure of that message. Camel's
 * bridge from a step to the asynchronous engine completes the step in a {@code finally} block, so
 * an Error escaping the step first lets the rest of the route run as if the step had succeeded,
 * then ends the {@code threads} worker; the consumer, which waits for every message of its batch
 * before the QUIT, could wait forever. Thrown as an exception instead, it is counted, retried and
 * dead-lettered after {@code mailbox.maxAttempts} like any other failure of the message.
 */
public final class StepErrorBoundary implements Processor {

    private final String step;
    private final Processor delegate;

    private StepErrorBoundary(String step, Processor delegate) {
        this.step = step;
        this.delegate = delegate;
    }

    public static Processor around(String step, Processor delegate) {
        return new StepErrorBoundary(step, delegate);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        try {
            delegate.process(exchange);
        } catch (LinkageError e) {
            // A class that cannot be loaded is the installation's fault, not the message's: an outage,
            // so nothing is counted or dead-lettered while it lasts.
            throw new OutageException("mailpipe installation (" + step + ")", e);
        } catch (Error e) {
            throw new StepError(step, e);
        }
    }

    /** The Error of one step, as the failure of the message it was working on. */
    public static final class StepError extends RuntimeException {
        StepError(String step, Error cause) {
            super("step " + step + " failed with " + cause, cause);
        }
    }
}
