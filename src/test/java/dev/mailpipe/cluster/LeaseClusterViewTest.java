package dev.mailpipe.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.mailpipe.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lease arithmetic of one instance, heartbeat by heartbeat, on a real (file) lease store with
 * clocks the test moves: the share it takes, renewal, hand-over when disabled, and giving a lease up
 * a heartbeat before it runs out when the store cannot be reached.
 */
class LeaseClusterViewTest {

    private static final Duration LEASE = Duration.ofSeconds(20);
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final MutableClock wall = new MutableClock();
    private final AtomicLong nanos = new AtomicLong();
    private FlakyStore store;
    private FileLeaseStore others;
    private LeaseClusterService service;
    private DefaultCamelContext context;
    private final List<LeaseClusterView> views = new ArrayList<>();
    private final List<String> leadershipChanges = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void tenMailboxes() throws Exception {
        store = new FlakyStore(new FileLeaseStore(dir, wall));
        others = new FileLeaseStore(dir, wall);
        context = new DefaultCamelContext();
        service = new LeaseClusterService(store, "a", LEASE, HEARTBEAT, nanos::get);
        service.setCamelContext(context);
        for (int n = 0; n < 10; n++) {
            LeaseClusterView view = (LeaseClusterView) service.getView("mailbox-" + n);
            ServiceHelper.startService(view);
            view.addEventListener((CamelClusterEventListener.Leadership)
                    (v, leader) -> leadershipChanges.add(v.getNamespace() + (leader != null ? " +" : " -")));
            views.add(view);
        }
        // A new listener is told the state at once: no leader yet.
        assertThat(leadershipChanges).hasSize(10).allMatch(change -> change.endsWith(" -"));
        leadershipChanges.clear();
    }

    @AfterEach
    void stop() throws Exception {
        views.forEach(ServiceHelper::stopService);
        context.close();
    }

    @Test
    void theShareIsTheNamespacesOverTheLiveInstancesRoundedUp() {
        assertThat(LeaseClusterService.share(10, 3)).isEqualTo(4);
        assertThat(LeaseClusterService.share(10, 5)).isEqualTo(2);
        assertThat(LeaseClusterService.share(10, 1)).isEqualTo(10);
        assertThat(LeaseClusterService.share(10, 0))
                .as("not yet known alive: counts itself")
                .isEqualTo(10);
        assertThat(LeaseClusterService.share(1, 3)).isEqualTo(1);
        assertThat(LeaseClusterService.share(0, 3)).isZero();
    }

    @Test
    void theFirstHeartbeatOnlyAnnouncesThenAnInstanceTakesItsShareAndNoMore() throws Exception {
        others.heartbeat("b", LEASE);
        others.heartbeat("c", LEASE);
        service.beat();
        assertThat(service.held()).as("the first heartbeat takes nothing").isEmpty();

        service.beat();
        assertThat(service.held()).as("ceil(10 / 3)").hasSize(4);
        service.beat();
        assertThat(service.held())
                .as("a second heartbeat renews, takes no more")
                .hasSize(4);
        assertThat(leadershipChanges).hasSize(4).allMatch(change -> change.endsWith(" +"));
    }

    @Test
    void whenAnInstanceLeavesTheOthersShareGrowsAndItsLeasesAreTakenOnceTheyRunOut() throws Exception {
        others.heartbeat("b", LEASE);
        service.beat();
        service.beat();
        assertThat(service.held()).hasSize(5);
        // b holds the other five.
        for (LeaseClusterView view : views) {
            if (!view.isLeader()) {
                assertThat(others.acquire(view.getNamespace(), "b", LEASE)).isTrue();
            }
        }
        others.leave("b");
        wall.advance(HEARTBEAT);
        nanos.addAndGet(HEARTBEAT.toNanos());
        service.beat();
        assertThat(service.held())
                .as("alone now, but b's leases run until their end: never two pollers of a mailbox")
                .hasSize(5);
        wall.advance(LEASE);
        nanos.addAndGet(LEASE.toNanos());
        service.beat();
        assertThat(service.held()).as("alone: all ten once b's leases ran out").hasSize(10);
    }

    @Test
    void aDisabledViewHandsItsLeaseOverAtOnce() throws Exception {
        service.beat();
        service.beat();
        assertThat(service.held()).hasSize(10);
        LeaseClusterView first = views.get(0);
        assertThat(others.acquire(first.getNamespace(), "b", LEASE))
                .as("held by a")
                .isFalse();

        first.setDisabled(true);
        service.beat();
        assertThat(first.isLeader()).isFalse();
        assertThat(leadershipChanges).contains(first.getNamespace() + " -");
        assertThat(others.acquire(first.getNamespace(), "b", LEASE))
                .as("released, not left to run out")
                .isTrue();
        assertThat(service.held()).hasSize(9);
    }

    @Test
    void aLeaseThatCannotBeRenewedIsGivenUpAHeartbeatBeforeItRunsOut() throws Exception {
        service.beat();
        service.beat();
        assertThat(service.held()).hasSize(10);

        store.down = true;
        Duration deadline = LEASE.minus(HEARTBEAT);
        nanos.addAndGet(deadline.toNanos());
        service.beat();
        assertThat(service.held()).as("exactly at the deadline: still held").hasSize(10);

        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        service.beat();
        assertThat(service.held())
                .as("past it: given up, no route polls without a lease")
                .isEmpty();
        assertThat(leadershipChanges)
                .filteredOn(change -> change.endsWith(" -"))
                .hasSize(10);

        store.down = false;
        service.beat();
        assertThat(service.held())
                .as("the store back: its own leases are taken again")
                .hasSize(10);
    }

    @Test
    void aLeaseAnotherInstanceTookIsLostAtTheNextHeartbeat() throws Exception {
        service.beat();
        service.beat();
        LeaseClusterView first = views.get(0);
        assertThat(first.isLeader()).isTrue();
        // a's lease ran out (say a was paused) and b took it.
        wall.advance(LEASE.plusSeconds(1));
        assertThat(others.acquire(first.getNamespace(), "b", LEASE)).isTrue();

        first.tick(true);
        assertThat(first.isLeader()).isFalse();
        assertThat(first.getLeader()).isEmpty();
    }

    /**
     * A hand-over whose route stop takes longer than the lease (the route waits for its POP3 session)
     * blocks no heartbeat: the other leases are renewed, and so is the one handed over, until the stop
     * is done; only then is it released, so no other instance polls the mailbox while this one does.
     */
    @Test
    void aRouteStopThatTakesLongerThanTheLeaseBlocksNoHeartbeatAndKeepsTheLeaseUntilItIsDone() throws Exception {
        ExecutorService handOvers = Executors.newCachedThreadPool();
        service.handOversOn(handOvers);
        try {
            service.beat();
            service.beat();
            LeaseClusterView first = views.get(0);
            await().until(() -> leadershipChanges.size() == 10);
            CountDownLatch sessionEnded = new CountDownLatch(1);
            CountDownLatch stopping = new CountDownLatch(1);
            first.addEventListener((CamelClusterEventListener.Leadership) (v, leader) -> {
                if (leader == null && stopping.getCount() == 1) {
                    stopping.countDown();
                    try {
                        // The clustered route policy stopping the route: its poll's session is still open.
                        sessionEnded.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });

            first.setDisabled(true);
            assertTimeoutPreemptively(
                    Duration.ofSeconds(10), service::beat, "the heartbeat hands over without waiting");
            assertThat(stopping.await(10, TimeUnit.SECONDS))
                    .as("the route is being stopped")
                    .isTrue();
            for (int n = 0; n < 6; n++) {
                wall.advance(HEARTBEAT);
                nanos.addAndGet(HEARTBEAT.toNanos());
                assertTimeoutPreemptively(Duration.ofSeconds(10), service::beat);
            }
            assertThat(service.held()).as("the others renewed throughout").hasSize(9);
            assertThat(others.acquire(first.getNamespace(), "b", LEASE))
                    .as("30 s later, its lease is still renewed while the route stops")
                    .isFalse();

            sessionEnded.countDown();
            await().until(() -> others.acquire(first.getNamespace(), "b", LEASE));
            assertThat(first.isLeader()).isFalse();
        } finally {
            handOvers.shutdownNow();
        }
    }

    /** A lease store that can be made unreachable. */
    private static final class FlakyStore implements LeaseStore {
        private final LeaseStore store;
        volatile boolean down;

        FlakyStore(LeaseStore store) {
            this.store = store;
        }

        private void check() throws java.io.IOException {
            if (down) {
                throw new java.io.IOException("store unreachable");
            }
        }

        @Override
        public void heartbeat(String member, Duration ttl) throws Exception {
            check();
            store.heartbeat(member, ttl);
        }

        @Override
        public Set<String> members() throws Exception {
            check();
            return store.members();
        }

        @Override
        public boolean acquire(String namespace, String member, Duration ttl) throws Exception {
            check();
            return store.acquire(namespace, member, ttl);
        }

        @Override
        public void release(String namespace, String member) throws Exception {
            check();
            store.release(namespace, member);
        }

        @Override
        public void leave(String member) throws Exception {
            check();
            store.leave(member);
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
