package dev.mailpipe.cluster;

import java.util.List;
import java.util.Optional;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelPreemptiveClusterView;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One namespace (one mailbox route) of a {@link LeaseClusterService}: leader while this instance
 * holds the namespace's lease. Losing or giving up the lead tells Camel's clustered route policy
 * first, which stops the route (waiting for its poll to end), and only then releases the lease, so
 * the next holder never polls while this one still does.
 */
public final class LeaseClusterView extends AbstractCamelClusterView implements CamelPreemptiveClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseClusterView.class);

    private final LeaseClusterService service;
    private final Member local = new Member(null);
    private volatile boolean leader;
    private volatile boolean disabled;
    /** When the lease was last taken or renewed (the service's nanoTime). */
    private long renewedAt;

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
                fireLeadershipChangedEvent(local);
            }
        } else if (leader) {
            lose("another instance took its lease");
        }
    }

    private void lose(String why) {
        leader = false;
        LOG.info("Cluster: this instance ({}) no longer polls {}: {}", service.member(), getNamespace(), why);
        fireLeadershipChangedEvent(Optional.empty());
    }

    /** Stops polling first (the route policy stops the route), then frees the lease for another instance. */
    private void handOver(String why) {
        lose(why);
        try {
            service.store().release(getNamespace(), service.member());
        } catch (Exception e) {
            // The lease runs out by itself within its duration.
            service.problem(e);
        }
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

    @Override
    protected void doStop() throws Exception {
        if (leader) {
            handOver("this instance stops");
        }
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
