package dev.mailpipe.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.testing.MutableClock;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Both lease stores keep a lease to one member until it runs out or is released, and know who is alive. */
class LeaseStoreTest {

    private static final Duration TTL = Duration.ofSeconds(10);

    private static EmbeddedPostgres postgres;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    static Stream<Arguments> stores() {
        Function<MutableClock, LeaseStore> files = clock -> {
            try {
                return new FileLeaseStore(dir.resolve("cluster-" + System.nanoTime()), clock);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Function<MutableClock, LeaseStore> ledger = clock -> {
            try {
                JdbcLeaseStore store =
                        JdbcLeaseStore.open(postgres.getJdbcUrl("postgres", "postgres"), "postgres", null, clock);
                // Each test starts from empty tables.
                try (var connection = postgres.getPostgresDatabase().getConnection();
                        var statement = connection.createStatement()) {
                    statement.execute("DELETE FROM mailpipe_cluster_leases");
                    statement.execute("DELETE FROM mailpipe_cluster_members");
                }
                return store;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        return Stream.of(Arguments.of("file", files), Arguments.of("ledger", ledger));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aLeaseIsOneMembersUntilItRunsOutOrIsReleased(String name, Function<MutableClock, LeaseStore> open)
            throws Exception {
        MutableClock clock = new MutableClock();
        try (LeaseStore store = open.apply(clock)) {
            assertThat(store.acquire("mailbox/a", "one", TTL)).isTrue();
            assertThat(store.acquire("mailbox/a", "two", TTL)).as("held by one").isFalse();
            assertThat(store.acquire("mailbox/a", "one", TTL))
                    .as("renewed by its holder")
                    .isTrue();
            assertThat(store.acquire("mailbox/b", "two", TTL))
                    .as("another namespace")
                    .isTrue();

            clock.advance(TTL.plusSeconds(1));
            assertThat(store.acquire("mailbox/a", "two", TTL))
                    .as("run out: another member takes it")
                    .isTrue();
            assertThat(store.acquire("mailbox/a", "one", TTL)).isFalse();

            store.release("mailbox/a", "one");
            assertThat(store.acquire("mailbox/a", "one", TTL))
                    .as("only its holder releases it")
                    .isFalse();
            store.release("mailbox/a", "two");
            assertThat(store.acquire("mailbox/a", "one", TTL)).as("released").isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void membersAreThoseWhoseHeartbeatHasNotRunOut(String name, Function<MutableClock, LeaseStore> open)
            throws Exception {
        MutableClock clock = new MutableClock();
        try (LeaseStore store = open.apply(clock)) {
            store.heartbeat("one", TTL);
            clock.advance(Duration.ofSeconds(5));
            store.heartbeat("two", TTL);
            assertThat(store.members()).containsExactlyInAnyOrder("one", "two");

            clock.advance(Duration.ofSeconds(6));
            assertThat(store.members()).containsExactly("two");

            store.leave("two");
            assertThat(store.members()).isEmpty();
        }
    }
}
