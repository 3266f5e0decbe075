package dev.mailpipe.runner;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;

/**
 * Turns an {@link Error} thrown by a route step (an OutOfMemoryError or StackOverflowError while a
 * hostile message is parsed) into a failure of that message. Camel lets an Error escape the step:
 * on a {@code threads} worker it ends the thread without completing the exchange, and the consumer,
 * which waits for every message of its batch before the QUIT, would wait forever. As a failure, the
 * message is counted, retried and dead-lettered after {@code mailbox.maxAttempts} like any other.
 */
public final class StepErrorBoundary implements InterceptStrategy {

    @Override
    public Processor wrapProcessorInInterceptors(
            CamelContext context, NamedNode definition, Processor target, Processor nextTarget) {
        return new DelegateAsyncProcessor(target) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                try {
                    return super.process(exchange, callback);
                } catch (Error e) {
                    exchange.setException(new StepError(definition.getId(), e));
                    callback.done(true);
                    return true;
                }
            }
        };
    }

    /** The Error of one step, as the failure of the message it was working on. */
    public static final class StepError extends RuntimeException {
        StepError(String step, Error cause) {
            super("step " + step + " failed with " + cause, cause);
        }
    }
}
