package dev.mailpipe.runner;

import dev.mailpipe.cluster.ClusterSettings;
import dev.mailpipe.cluster.FileLeaseStore;
import dev.mailpipe.cluster.JdbcLeaseStore;
import dev.mailpipe.cluster.LeaseClusterService;
import dev.mailpipe.cluster.LeaseStore;
import dev.mailpipe.config.ConfigurationException;
import dev.mailpipe.config.Settings;
import dev.mailpipe.ledger.LedgerSettings;
import dev.mailpipe.ops.Observability;
import io.micrometer.core.instrument.Gauge;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.cluster.RebalancingCamelClusterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several instances sharing the mailboxes ({@code cluster.enabled}): every mailbox route gets
 * Camel's {@link ClusteredRoutePolicy} for a namespace of its own, so it runs on the one instance
 * holding that namespace's lease, and Camel's {@link RebalancingCamelClusterService} spreads the
 * leases over the live instances. The leases are mailpipe's {@link LeaseClusterService}, in the
 * shared ledger's database or in files.
 */
final class MailboxClustering {

    private static final Logger LOG = LoggerFactory.getLogger(MailboxClustering.class);

    /** Namespaces of mailbox routes: this prefix and the route id, which all instances share. */
    static final String NAMESPACE_PREFIX = "mailbox/";

    private MailboxClustering() {}

    static void install(CamelContext context, Settings settings, LedgerSettings ledger) throws Exception {
        ClusterSettings cluster = ClusterSettings.from(settings);
        if (!cluster.enabled()) {
            return;
        }
        if (ledger.lockFile().isPresent()) {
            throw Settings.invalid(
                    ClusterSettings.ENABLED,
                    "needs the shared PostgreSQL ledger (" + LedgerSettings.URL + "): the embedded ledger serves one"
                            + " process, and a mailbox moving between instances must find its messages' state");
        }
        LeaseStore store = store(cluster, ledger);
        LeaseClusterService leases =
                new LeaseClusterService(store, ledger.instanceId(), cluster.lease(), cluster.heartbeat());
        RebalancingCamelClusterService service = new RebalancingCamelClusterService(
                context, leases, cluster.heartbeat().toMillis());
        context.addService(service);
        context.addRoutePolicyFactory((camel, routeId, route) ->
                route instanceof RouteDefinition definition && MailboxRoutes.isMailbox(definition)
                        ? policy(service, routeId)
                        : null);
        HealthCheckRegistry.get(context).register(new HeldMailboxes(leases));
        Observability.metrics(context)
                .ifPresent(metrics -> Gauge.builder(
                                "mailpipe.cluster.mailboxes.held",
                                leases,
                                held -> held.held().size())
                        .description("Mailboxes this instance polls by the cluster's leases")
                        .register(metrics.registry()));
        LOG.info(
                "Cluster: instance {} shares the mailboxes with the other instances through {} (lease {} s, heartbeat"
                        + " {} s)",
                ledger.instanceId(),
                store,
                cluster.lease().toSeconds(),
                cluster.heartbeat().toSeconds());
    }

    private static ClusteredRoutePolicy policy(RebalancingCamelClusterService service, String routeId) {
        try {
            return ClusteredRoutePolicy.forNamespace(service, NAMESPACE_PREFIX + routeId);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the cluster policy of route " + routeId, e);
        }
    }

    private static LeaseStore store(ClusterSettings cluster, LedgerSettings ledger) {
        try {
            if (cluster.backend().equals("file")) {
                return new FileLeaseStore(cluster.root().orElseThrow(), Clock.systemUTC());
            }
            return JdbcLeaseStore.open(
                    ledger.url(),
                    ledger.username().orElse(null),
                    ledger.password().orElse(null));
        } catch (Exception e) {
            throw new ConfigurationException(
                    "cannot keep the cluster's leases (" + ClusterSettings.BACKEND + "=" + cluster.backend() + "): "
                            + e.getMessage(),
                    e);
        }
    }

    /** Readiness detail: the mailbox routes this instance holds now; always UP (holding none is fine). */
    private static final class HeldMailboxes extends AbstractHealthCheck {
        private final LeaseClusterService leases;

        HeldMailboxes(LeaseClusterService leases) {
            super("mailpipe", "cluster");
            this.leases = leases;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            builder.detail("held", List.copyOf(leases.held()));
            builder.up();
        }
    }
}
