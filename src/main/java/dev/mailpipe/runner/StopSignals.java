package dev.mailpipe.runner;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.MainSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT ask camel-main to stop, and the process then ends with camel-main's exit code
 * (0). Left to the JVM, a signal starts the JVM's shutdown, and camel-main's graceful stop runs inside
 * a shutdown hook, after which the process ends with 128 + the signal (143 for SIGTERM) however
 * cleanly it stopped: scripts and service managers would read a normal stop as a failure. A second
 * signal during the stop goes to the JVM's own handler, for an operator who will not wait.
 */
final class StopSignals implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private static final List<String> SIGNALS = List.of("TERM", "INT");

    private final Map<Signal, SignalHandler> previous = new HashMap<>();
    private volatile boolean stopping;

    private StopSignals(MainSupport main) {
        for (String name : SIGNALS) {
            Signal signal = new Signal(name);
            try {
                previous.put(signal, Signal.handle(signal, received -> stop(main, received)));
            } catch (IllegalArgumentException e) {
                // The JVM keeps the signal to itself (-Xrs, or SIGINT ignored by a parent shell): it then
                // stops mailpipe through camel-main's shutdown hook, as without this class.
                LOG.debug("SIG{} is not handled by mailpipe: {}", name, e.getMessage());
            }
        }
    }

    /** Handles the stop signals until closed; then the previous handlers are back. */
    static StopSignals stopping(MainSupport main) {
        return new StopSignals(main);
    }

    private void stop(MainSupport main, Signal received) {
        if (stopping) {
            previous.get(received).handle(received);
            return;
        }
        stopping = true;
        LOG.info("SIG{} received: stopping gracefully (a second one stops at once)", received.getName());
        main.completed();
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
