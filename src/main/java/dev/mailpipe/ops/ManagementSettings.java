package dev.mailpipe.ops;

import dev.mailpipe.config.Settings;
import java.time.Duration;

/**
 * Settings of the management endpoints: where they listen (off unless {@code management.port} is
 * set) and how long a sink outage may last before the mailbox is not ready.
 *
 * @param port TCP port of the endpoints; 0 turns them off
 * @param host address to listen on; loopback by default, so only the machine (or the pod) reaches them
 * @param outageGrace how long a sink, the ledger or the connection may be out before readiness is DOWN
 */
public record ManagementSettings(int port, String host, Duration outageGrace) {

    public static final String PORT = "management.port";
    public static final String HOST = "management.host";
    public static final String OUTAGE_GRACE_SECONDS = "management.outageGraceSeconds";

    public static ManagementSettings from(Settings settings) {
        return new ManagementSettings(
                (int) settings.number(PORT, 0, 0, 65_535),
                settings.string(HOST, "127.0.0.1"),
                Duration.ofSeconds(settings.number(OUTAGE_GRACE_SECONDS, 300, 0, 86_400)));
    }

    /** Whether the endpoints are on. */
    public boolean enabled() {
        return port > 0;
    }
}
