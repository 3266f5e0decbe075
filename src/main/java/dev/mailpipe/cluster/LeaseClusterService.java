package dev.mailpipe.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.camel.cluster.CamelPreemptiveClusterService;
import org.apache.camel.cluster.CamelPreemptiveClusterView;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Camel cluster service over a {@link LeaseStore}: every heartbeat this instance says it is alive,
 * renews the leases it holds and, for namespaces it is allowed to contend for, takes leases that
 * are free or have run out. Preemptive: Camel's {@code RebalancingCamelClusterService} disables the
 * views above this instance's share, which hands their leases back, so the mailboxes spread over the
 * live instances. A lease that cannot be renewed for its whole duration (the store is out of reach)
 * is given up, since another instance may take it by then.
 */
public final class LeaseClusterService extends AbstractCamelClusterService<LeaseClusterView>
        implements CamelPreemptiveClusterService {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseClusterService.class);

    private final LeaseStore store;
    private final String member;
    private final Duration lease;
    private final Duration heartbeat;
    private final Map<String, LeaseClusterView> views = new ConcurrentHashMap<>();
    private volatile Set<String> members = Set.of();
    private ScheduledExecutorService ticker;
    /** Where the views tell their routes of a lease won or lost (route starts and stops); none: inline. */
    private volatile ExecutorService handOvers;

    private String lastProblem;
    /** Whether this member's first heartbeat has been written (heartbeat thread only). */
    private boolean announced;

    private volatile boolean stopping;
    /** The clock renewal deadlines are measured with; tests move their own. */
    private final LongSupplier nanoTime;

    public LeaseClusterService(LeaseStore store, String member, Duration lease, Duration heartbeat) {
        this(store, member, lease, heartbeat, System::nanoTime);
    }

    LeaseClusterService(LeaseStore store, String member, Duration lease, Duration heartbeat, LongSupplier nanoTime) {
        super("mailpipe-" + store);
        this.store = store;
        this.member = member;
        this.lease = lease;
        this.heartbeat = heartbeat;
        this.nanoTime = nanoTime;
    }

    @Override
    protected LeaseClusterView createView(String namespace) {
        LeaseClusterView view = new LeaseClusterView(this, namespace);
        views.put(namespace, view);
        return view;
    }

    @Override
    public CamelPreemptiveClusterView getView(String namespace) throws Exception {
        return (CamelPreemptiveClusterView) super.getView(namespace);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        handOvers = getCamelContext().getExecutorServiceManager().newCachedThreadPool(this, "MailpipeClusterHandOver");
        ticker =
                getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "MailpipeCluster");
        ticker.scheduleWithFixedDelay(this::tick, 0, heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
        if (ticker != null) {
            // A heartbeat under way finishes first: it must not take a lease the views then release.
            ticker.shutdown();
            if (!ticker.awaitTermination(lease.toMillis(), TimeUnit.MILLISECONDS)) {
                getCamelContext().getExecutorServiceManager().shutdownNow(ticker);
            }
            ticker = null;
        }
        // The views stop their routes and release their leases, waiting for hand-overs under way.
        super.doStop();
        if (handOvers != null) {
            getCamelContext().getExecutorServiceManager().shutdown(handOvers);
            handOvers = null;
        }
        try {
            store.leave(member);
        } catch (Exception e) {
            LOG.debug("Could not leave the cluster cleanly; the heartbeat runs out by itself", e);
        }
        store.close();
    }

    /**
     * One heartbeat: this member is alive, the views holding a lease renew it, and the others may
     * take free ones up to this instance's share of all namespaces (the rebalancing service then
     * evens out what is left). The first heartbeat only announces this member, so instances started
     * together see each other before they take leases.
     */
    private void tick() {
        try {
            beat();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: no more renewals, routes left running.
            LOG.warn("Cluster: heartbeat failed", e);
        }
    }

    /** One heartbeat (the scheduled {@link #tick} runs it; tests call it directly). */
    void beat() {
        if (stopping) {
            return;
        }
        boolean first = !announced;
        try {
            store.heartbeat(member, lease);
            members = store.members();
            announced = true;
            if (lastProblem != null) {
                LOG.info("Cluster: {} can be reached again", store);
                lastProblem = null;
            }
        } catch (Exception e) {
            problem(e);
        }
        List<LeaseClusterView> enabled =
                views.values().stream().filter(view -> !view.isDisabled()).toList();
        int share = share(views.size(), members.size());
        // Renewals first; route stops and starts run on the hand-over threads and never delay them.
        enabled.stream().filter(LeaseClusterView::isLeader).forEach(view -> view.tick(true));
        int held = (int) enabled.stream().filter(LeaseClusterView::isLeader).count();
        for (LeaseClusterView view : enabled) {
            if (!view.isLeader()) {
                view.tick(!first && held < share);
                held += view.isLeader() ? 1 : 0;
            }
        }
        views.values().stream().filter(LeaseClusterView::isDisabled).forEach(view -> view.tick(false));
    }

    /**
     * How many of {@code namespaces} leases one of {@code members} live instances may hold: its fair
     * share, rounded up so that every namespace has a taker (an instance that does not know itself
     * alive yet counts as one).
     */
    static int share(int namespaces, int members) {
        int live = Math.max(1, members);
        return (namespaces + live - 1) / live;
    }

    long nanoTime() {
        return nanoTime.getAsLong();
    }

    void problem(Exception e) {
        String problem = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (!problem.equals(lastProblem)) {
            LOG.warn(
                    "Cluster: {} cannot be reached ({}); leases this instance cannot renew within {} s are given"
                            + " up",
                    store,
                    problem,
                    lease.toSeconds());
            lastProblem = problem;
        }
    }

    LeaseStore store() {
        return store;
    }

    /** The hand-over threads; before the service starts (tests driving {@link #beat}), the caller's. */
    Executor handOvers() {
        Executor executor = handOvers;
        return executor != null ? executor : Runnable::run;
    }

    /** Tests: hand-overs on these threads without starting the heartbeat. */
    void handOversOn(ExecutorService executor) {
        this.handOvers = executor;
    }

    String member() {
        return member;
    }

    Duration lease() {
        return lease;
    }

    /** How long a held lease may go unrenewed before this instance gives it up: a heartbeat short of the lease. */
    Duration renewDeadline() {
        return lease.minus(heartbeat);
    }

    Set<String> members() {
        return members;
    }

    /** The namespaces whose lease this instance holds now. */
    public List<String> held() {
        return views.values().stream()
                .filter(LeaseClusterView::isLeader)
                .map(LeaseClusterView::getNamespace)
                .sorted()
                .toList();
    }
}
