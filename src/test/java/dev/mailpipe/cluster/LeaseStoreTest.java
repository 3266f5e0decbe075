package dev.mailpipe.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.testing.MutableClock;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
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

    /** A store under test, and how time passes for it: its own clock, or the database's, moved back. */
    record Subject(LeaseStore store, Consumer<Duration> timePasses) {}

    static Stream<Arguments> stores() {
        Supplier<Subject> files = () -> {
            try {
                MutableClock clock = new MutableClock();
                return new Subject(
                        new FileLeaseStore(dir.resolve("cluster-" + System.nanoTime()), clock), clock::advance);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Supplier<Subject> ledger = () -> {
            try {
                JdbcLeaseStore store =
                        JdbcLeaseStore.open(postgres.getJdbcUrl("postgres", "postgres"), "postgres", null);
                // Each test starts from empty tables.
                sql("DELETE FROM mailpipe_cluster_leases", "DELETE FROM mailpipe_cluster_members");
                // The database's clock decides: time passing is every stored time moving back by as much.
                return new Subject(
                        store,
                        passed -> sql(
                                "UPDATE mailpipe_cluster_leases SET expires_at = expires_at - " + passed.toMillis(),
                                "UPDATE mailpipe_cluster_members SET alive_until = alive_until - "
                                        + passed.toMillis()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        return Stream.of(Arguments.of("file", files), Arguments.of("ledger", ledger));
    }

    private static void sql(String... statements) {
        try (var connection = postgres.getPostgresDatabase().getConnection();
                var statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aLeaseIsOneMembersUntilItRunsOutOrIsReleased(String name, Supplier<Subject> open) throws Exception {
        Subject subject = open.get();
        try (LeaseStore store = subject.store()) {
            assertThat(store.acquire("mailbox/a", "one", TTL)).isTrue();
            assertThat(store.acquire("mailbox/a", "two", TTL)).as("held by one").isFalse();
            assertThat(store.acquire("mailbox/a", "one", TTL))
                    .as("renewed by its holder")
                    .isTrue();
            assertThat(store.acquire("mailbox/b", "two", TTL))
                    .as("another namespace")
                    .isTrue();

            subject.timePasses().accept(TTL.plusSeconds(1));
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
    void membersAreThoseWhoseHeartbeatHasNotRunOut(String name, Supplier<Subject> open) throws Exception {
        Subject subject = open.get();
        try (LeaseStore store = subject.store()) {
            store.heartbeat("one", TTL);
            subject.timePasses().accept(Duration.ofSeconds(5));
            store.heartbeat("two", TTL);
            assertThat(store.members()).containsExactlyInAnyOrder("one", "two");

            subject.timePasses().accept(Duration.ofSeconds(6));
            assertThat(store.members()).containsExactly("two");

            store.leave("two");
            assertThat(store.members()).isEmpty();
        }
    }
}
