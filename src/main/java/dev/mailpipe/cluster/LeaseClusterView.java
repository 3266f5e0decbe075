package dev.mailpipe.cluster;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelPreemptiveClusterView;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One namespace (one mailbox route) of a {@link LeaseClusterService}: leader while this instance
 * holds the namespace's lease. Losing or giving up the lead tells Camel's clustered route policy
 * first, which stops the route (waiting for its poll to end), and only then releases the lease, so
 * the next holder never polls while this one still does. Those notices run off the heartbeat thread
 * (on the service's hand-over threads, in order per view): a route stop that waits half a minute for
 * its POP3 session never holds up the renewal of any lease, its own included, which is renewed
 * until the stop is done and the lease released.
 */
public final class LeaseClusterView extends AbstractCamelClusterView implements CamelPreemptiveClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseClusterView.class);

    private final LeaseClusterService service;
    private final Member local = new Member(null);
    private volatile boolean leader;
    private volatile boolean disabled;
    /** When the lease was last taken or renewed (the service's nanoTime). */
    private long renewedAt;
    /** The notices to the route policy, in order; each runs after the one before it. */
    private CompletableFuture<Void> notices = CompletableFuture.completedFuture(null);
    /** A hand-over is under way: the route stops, then the lease is released; until then it is renewed. */
    private volatile boolean handingOver;

    LeaseClusterView(LeaseClusterService service, String namespace) {
        super(service, namespace);
        this.service = service;
    }

    /**
     * Renews this view's lease, or takes it when {@code mayTake} and it is free; called on the
     * service's heartbeat thread only.
     */
    void tick(boolean mayTake) {
        if (!isRunAllowed()) {
            return;
        }
        if (handingOver) {
            renewWhileHandingOver();
            return;
        }
        if (disabled) {
            if (leader) {
                handOver("this instance holds more than its share");
            }
            return;
        }
        if (!leader && !mayTake) {
            return;
        }
        boolean held;
        // Taken before the round trip: the lease the store writes runs from about now.
        long asked = service.nanoTime();
        try {
            held = service.store().acquire(getNamespace(), service.member(), service.lease());
        } catch (Exception e) {
            service.problem(e);
            // Given up a heartbeat before the lease runs out, while no other instance may take it yet.
            if (leader
                    && service.nanoTime() - renewedAt > service.renewDeadline().toNanos()) {
                lose("its lease could not be renewed in time");
            }
            return;
        }
        if (held) {
            renewedAt = asked;
            if (!leader) {
                leader = true;
                LOG.info("Cluster: this instance ({}) now polls {}", service.member(), getNamespace());
                notify(() -> fireLeadershipChangedEvent(local));
            }
        } else if (leader) {
            lose("another instance took its lease");
        }
    }

    private void lose(String why) {
        leader = false;
        LOG.info("Cluster: this instance ({}) no longer polls {}: {}", service.member(), getNamespace(), why);
        notify(() -> fireLeadershipChangedEvent(Optional.empty()));
    }

    /**
     * Stops polling first (the route policy stops the route), then frees the lease for another
     * instance; the heartbeat renews the lease meanwhile, so no other instance takes it while the
     * route's last session is still open.
     */
    private void handOver(String why) {
        handingOver = true;
        lose(why);
        notify(() -> {
            try {
                service.store().release(getNamespace(), service.member());
            } catch (Exception e) {
                // The lease runs out by itself within its duration.
                service.problem(e);
            } finally {
                handingOver = false;
            }
        });
    }

    private void renewWhileHandingOver() {
        try {
            service.store().acquire(getNamespace(), service.member(), service.lease());
        } catch (Exception e) {
            service.problem(e);
        }
    }

    /** Runs {@code notice} on the hand-over threads once the notices before it have run. */
    private synchronized void notify(Runnable notice) {
        notices = notices.thenRunAsync(notice, service.handOvers()).exceptionally(failure -> {
            LOG.warn("Cluster: telling the route of {} about its lease failed", getNamespace(), failure);
            return null;
        });
    }

    @Override
    public void setDisabled(boolean disabled) {
        this.disabled = disabled;
    }

    @Override
    public boolean isDisabled() {
        return disabled;
    }

    boolean isLeader() {
        return leader;
    }

    /** Stopping: the route is stopped and the lease released before this returns. */
    @Override
    protected void doStop() throws Exception {
        if (leader) {
            handOver("this instance stops");
        }
        CompletableFuture<Void> pending;
        synchronized (this) {
            pending = notices;
        }
        pending.join();
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        return leader ? Optional.of(local) : Optional.empty();
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return local;
    }

    @Override
    public List<CamelClusterMember> getMembers() {
        return service.members().stream()
                .sorted()
                .<CamelClusterMember>map(Member::new)
                .toList();
    }

    /** A member of the cluster: this instance (id null here) or another, by its instance id. */
    private final class Member implements CamelClusterMember {
        private final String id;

        Member(String id) {
            this.id = id;
        }

        @Override
        public boolean isLeader() {
            return isLocal() && leader;
        }

        @Override
        public boolean isLocal() {
            return id == null || id.equals(service.member());
        }

        @Override
        public String getId() {
            return id == null ? service.member() : id;
        }
    }
}
