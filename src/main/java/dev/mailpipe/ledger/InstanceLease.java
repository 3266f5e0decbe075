package dev.mailpipe.ledger;

import dev.mailpipe.config.ConfigurationException;
import dev.mailpipe.config.FileModes;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this instance's claims valid while it lives, so that a claim never runs out under a long
 * delivery and a crashed instance's claims are free at once. The embedded ledger is locked to one
 * process (a file lock beside it, released by the OS when the process dies): whoever holds the
 * lock knows every earlier holder is gone and takes their claims over at start. A shared ledger
 * gets a heartbeat every {@code ledger.heartbeatSeconds}; an instance whose heartbeat is three
 * periods old counts as dead, and its claims are taken by whoever sees the messages next.
 */
public final class InstanceLease extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceLease.class);

    private final Ledger ledger;
    private final LedgerSettings settings;
    private final CamelContext context;
    private FileChannel lockChannel;
    private FileLock lock;
    private ScheduledExecutorService heartbeats;
    private volatile boolean heartbeatFailing;

    private InstanceLease(Ledger ledger, LedgerSettings settings, CamelContext context) {
        this.ledger = ledger;
        this.settings = settings;
        this.context = context;
    }

    /**
     * Joins the ledger as a live instance before any route starts: locks the embedded ledger, writes
     * the first heartbeat, and frees the claims of instances that stopped. When some stopped without
     * leaving (killed), {@code leftovers} removes the temporary files they left (given their instance
     * ids) and says how many. Fails the start when another process holds the embedded ledger.
     */
    public static InstanceLease join(
            Ledger ledger, LedgerSettings settings, CamelContext context, ToIntFunction<List<String>> leftovers) {
        InstanceLease lease = new InstanceLease(ledger, settings, context);
        settings.lockFile().ifPresent(lease::lock);
        try {
            ledger.heartbeat(settings.instanceId(), settings.lease());
            boolean onlyInstance = lease.lock != null;
            List<String> stopped = ledger.stoppedInstances(settings.instanceId(), onlyInstance);
            int taken = ledger.takeOverClaimsOfStoppedInstances(settings.instanceId(), onlyInstance);
            int removed = stopped.isEmpty() ? 0 : leftovers.applyAsInt(stopped);
            if (taken > 0 || removed > 0) {
                LOG.info(
                        "Taking over from {} stopped instance(s): {} message(s) they claimed are delivered at the"
                                + " next poll; {} temporary file(s) they left were removed",
                        stopped.size(),
                        taken,
                        removed);
            }
        } catch (SQLException e) {
            lease.unlock();
            throw new ConfigurationException("cannot join the ledger at " + settings + ": " + e.getMessage(), e);
        }
        return lease;
    }

    private void lock(Path file) {
        try {
            FileModes.PRIVATE.createFileIfMissing(file);
            lockChannel = FileChannel.open(file, StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            unlock();
            throw new ConfigurationException("cannot lock the ledger (" + file + ": " + e.getMessage() + "); "
                    + LedgerSettings.DIR + " must be a writable local folder that supports file locks");
        }
        if (lock == null) {
            unlock();
            throw new ConfigurationException("the ledger in " + file.getParent()
                    + " is in use by another mailpipe process. The embedded ledger serves one process;"
                    + " stop the other one, give this one its own " + LedgerSettings.DIR + ", or share a"
                    + " PostgreSQL ledger (" + LedgerSettings.URL + ")");
        }
    }

    @Override
    protected void doStart() {
        long period = settings.heartbeat().toMillis();
        heartbeats = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "ledger-heartbeat");
        heartbeats.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try {
            ledger.heartbeat(settings.instanceId(), settings.lease());
            if (heartbeatFailing) {
                LOG.info("The ledger takes this instance's heartbeat again");
                heartbeatFailing = false;
            }
        } catch (SQLException e) {
            if (!heartbeatFailing) {
                LOG.warn(
                        "Cannot write this instance's heartbeat to the ledger ({}); after {} s other instances may"
                                + " take over the messages it is delivering",
                        e.getMessage(),
                        settings.lease().toSeconds());
                heartbeatFailing = true;
            }
        }
    }

    @Override
    protected void doStop() {
        if (heartbeats != null) {
            context.getExecutorServiceManager().shutdownNow(heartbeats);
            heartbeats = null;
        }
        try {
            ledger.leave(settings.instanceId());
        } catch (SQLException e) {
            LOG.debug("Could not free this instance's claims at stop; they expire with its heartbeat", e);
        }
        unlock();
    }

    private void unlock() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.debug("Releasing the ledger lock failed; the OS releases it when the process ends", e);
        }
        lock = null;
        lockChannel = null;
    }
}
