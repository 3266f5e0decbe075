package dev.mailpipe.ops;

import dev.mailpipe.mailbox.MailboxSettings;
import dev.mailpipe.mailbox.MailboxStatus;
import dev.mailpipe.runner.Settings;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;

/** Installs a mailbox's metrics and health checks, and the management endpoints when {@code management.port} is set. */
public final class Observability {

    /** Bean name of the {@link MetricsService}. */
    public static final String METRICS = "metrics";

    private Observability() {}

    public static void install(CamelContext context, Settings settings, MailboxSettings mailbox, MailboxStatus status)
            throws Exception {
        ManagementSettings management = ManagementSettings.from(settings);
        MetricsService metrics = new MetricsService();
        new MailboxMetrics(status).bindTo(metrics.registry());
        context.addService(metrics);
        context.getRegistry().bind(METRICS, metrics);

        Duration timeouts = Duration.ofMillis(mailbox.connectTimeout() + (long) mailbox.readTimeout());
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        // A poll may take its timeouts on top of its interval; stalled is three intervals without a poll or progress.
        health.register(new MailboxReadiness(
                status, Duration.ofMillis(3 * mailbox.pollDelay()).plus(timeouts), management.outageGrace()));
        health.register(new MailboxLiveness(status, timeouts.plus(Duration.ofMillis(mailbox.readTimeout()))));
        if (management.enabled()) {
            context.addService(new ManagementServer(context, management, metrics));
        }
    }
}
