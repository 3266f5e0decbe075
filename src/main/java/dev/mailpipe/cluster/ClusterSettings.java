package dev.mailpipe.cluster;

import dev.mailpipe.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code cluster.*} settings: whether several instances share the mailboxes, each mailbox
 * polled by one instance at a time, and where they keep their leases.
 *
 * @param backend {@code ledger} (the shared PostgreSQL ledger's database) or {@code file} (files
 *     under {@code root}, for instances on one host)
 * @param lease how long a lease lasts without renewal: a dead instance's mailboxes move after it
 * @param heartbeat how often leases are renewed and free ones taken
 */
public record ClusterSettings(
        boolean enabled, String backend, Optional<Path> root, Duration lease, Duration heartbeat) {

    public static final String ENABLED = "cluster.enabled";
    public static final String BACKEND = "cluster.backend";
    public static final String ROOT = "cluster.root";
    public static final String LEASE_SECONDS = "cluster.leaseSeconds";
    public static final String HEARTBEAT_SECONDS = "cluster.heartbeatSeconds";

    public static ClusterSettings from(Settings settings) {
        boolean enabled = settings.bool(ENABLED, false);
        String backend = settings.string(BACKEND, "ledger");
        if (!backend.equals("ledger") && !backend.equals("file")) {
            throw Settings.invalid(BACKEND, "must be ledger or file, got '" + backend + "'");
        }
        Optional<Path> root = settings.optional(ROOT).map(Path::of);
        if (enabled && backend.equals("file") && root.isEmpty()) {
            throw Settings.invalid(ROOT, "is not set: the file backend keeps its leases in this folder");
        }
        long heartbeat = settings.number(HEARTBEAT_SECONDS, 5, 1, 300);
        long lease = settings.number(LEASE_SECONDS, 20, 2, 3600);
        if (lease < 2 * heartbeat) {
            throw Settings.invalid(
                    LEASE_SECONDS,
                    "must be at least twice " + HEARTBEAT_SECONDS + " (" + heartbeat + "), got " + lease);
        }
        return new ClusterSettings(enabled, backend, root, Duration.ofSeconds(lease), Duration.ofSeconds(heartbeat));
    }
}
