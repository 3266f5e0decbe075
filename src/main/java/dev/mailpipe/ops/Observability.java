package dev.mailpipe.ops;

import dev.mailpipe.config.Settings;
import dev.mailpipe.mailbox.MailboxSettings;
import dev.mailpipe.mailbox.MailboxStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * Installs the metrics registry and the management endpoints when {@code management.port} is set, and
 * gives each mailbox its health checks (and its meters, when there is a registry) as its endpoint is
 * created.
 */
public final class Observability {

    /** Bean name of the {@link MetricsService}. */
    public static final String METRICS = "metrics";

    private Observability() {}

    /** Returns what to call for each mailbox, with its status. */
    public static Consumer<MailboxStatus> install(CamelContext context, Settings settings) throws Exception {
        ManagementSettings management = ManagementSettings.from(settings);
        if (!management.enabled()) {
            // Nobody can read the meters without the endpoints; Micrometer's start (0.15 s) is saved.
            return status -> observe(context, management, Optional.empty(), status);
        }
        MetricsService metrics = new MetricsService();
        context.addService(metrics);
        context.getRegistry().bind(METRICS, metrics);
        context.addService(new ManagementServer(context, management, metrics));
        return status -> observe(context, management, Optional.of(metrics), status);
    }

    /** The metrics registry: present when the management endpoints are on. */
    public static Optional<MetricsService> metrics(CamelContext context) {
        return Optional.ofNullable(context.getRegistry().lookupByNameAndType(METRICS, MetricsService.class));
    }

    private static void observe(
            CamelContext context,
            ManagementSettings management,
            Optional<MetricsService> metrics,
            MailboxStatus status) {
        MailboxSettings mailbox = status.settings();
        Duration timeouts = Duration.ofMillis(mailbox.connectTimeout() + (long) mailbox.readTimeout());
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        // A poll may take its timeouts on top of its interval; stalled is three intervals without a poll or progress.
        MailboxReadiness readiness = new MailboxReadiness(
                status, Duration.ofMillis(3 * mailbox.pollDelay()).plus(timeouts), management.outageGrace());
        metrics.ifPresent(registry -> new MailboxMetrics(status, readiness).bindTo(registry.registry()));
        health.register(readiness);
        health.register(new MailboxLiveness(status, timeouts.plus(Duration.ofMillis(mailbox.readTimeout()))));
    }
}
