package dev.mailpipe.runner;

import dev.mailpipe.mailbox.MailboxComponent;
import java.time.Duration;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * camel-main with mailpipe's one-shot runs: {@code camel.main.durationMaxIdleSeconds} is taken over
 * by {@link OneShotDrain}, which measures idleness as delivery progress rather than exchanges.
 */
final class MailpipeMain extends Main {

    private OneShotDrain oneShot;

    @Override
    protected void configureLifecycle(CamelContext camelContext) throws Exception {
        int maxIdle = mainConfigurationProperties.getDurationMaxIdleSeconds();
        MailboxComponent mailboxes =
                camelContext.getRegistry().lookupByNameAndType(MailboxComponent.SCHEME, MailboxComponent.class);
        if (maxIdle > 0 && mailboxes != null) {
            mainConfigurationProperties.setDurationMaxIdleSeconds(0);
            // Made before any endpoint: every mailbox is polled at once, and failed polls say how long
            // they are retried.
            mailboxes.oneShot(Duration.ofSeconds(maxIdle));
            oneShot = new OneShotDrain(camelContext, mailboxes::statuses, Duration.ofSeconds(maxIdle), this::completed);
            camelContext.addService(oneShot);
        }
        super.configureLifecycle(camelContext);
    }

    /** The one-shot run's own exit code, when this was one that ended by itself. */
    Optional<Integer> oneShotExitCode() {
        return Optional.ofNullable(oneShot).map(OneShotDrain::exitCode).filter(code -> code != 0);
    }
}
