package dev.mailpipe.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailpipe.imap.AppendRecord;
import dev.mailpipe.testing.MutableClock;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every state transition of the ledger, on SQLite (the embedded default) and on a real PostgreSQL. */
class LedgerTest {

    private static final String MAILBOX = "pop3s://alice@pop.example.org:995";
    private static final Duration LEASE = Duration.ofMinutes(5);

    private static EmbeddedPostgres postgres;

    @TempDir
    static Path dir;

    private final MutableClock clock = new MutableClock();
    private Ledger ledger;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    static Stream<String> databases() {
        return Stream.of("sqlite", "postgresql");
    }

    private String url;

    /** A fresh, empty ledger on the given database. */
    private Ledger open(String database) throws SQLException {
        if (database.equals("sqlite")) {
            url = "jdbc:sqlite:" + dir.resolve("ledger-" + System.nanoTime() + ".sqlite");
            ledger = Ledger.open(url, null, null, clock);
        } else {
            url = postgres.getJdbcUrl("postgres", "postgres");
            execute(
                    "DROP TABLE IF EXISTS mailpipe_messages",
                    "DROP TABLE IF EXISTS mailpipe_schema",
                    "DROP TABLE IF EXISTS mailpipe_instances",
                    "DROP TABLE IF EXISTS mailpipe_polls");
            ledger = Ledger.open(url, "postgres", null, clock);
        }
        return ledger;
    }

    private void execute(String... statements) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(url, "postgres", null);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    @AfterEach
    void close() {
        if (ledger != null) {
            ledger.close();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void firstSightClaimsForDeliveryAndRecordsTheMessage(String database) throws Exception {
        Ledger ledger = open(database);
        Claim claim = ledger.claim("k1", MAILBOX, "uidl-1", "me");

        assertThat(claim.outcome()).isEqualTo(Claim.Outcome.DELIVER);
        assertThat(claim.attempts()).isZero();
        LedgerEntry entry = ledger.find("k1").orElseThrow();
        assertThat(entry.state()).isEqualTo(DeliveryState.SEEN);
        assertThat(entry.uidl()).isEqualTo("uidl-1");
        assertThat(entry.mailbox()).isEqualTo(MAILBOX);
        assertThat(entry.claimedBy()).contains("me");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void deliveredMessageIsNeverDeliveredAgainOnlyDeleted(String database) throws Exception {
        Ledger ledger = open(database);
        ledger.claim("k1", MAILBOX, "uidl-1", "me");
        ledger.markDelivered("k1", "<m1@example.org>", null);

        Claim again = ledger.claim("k1", MAILBOX, "uidl-1", "me");
        assertThat(again.outcome()).isEqualTo(Claim.Outcome.ALREADY_DONE);
        assertThat(again.state()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(again.deletionCommitted()).isFalse();
        LedgerEntry entry = ledger.find("k1").orElseThrow();
        assertThat(entry.messageId()).contains("<m1@example.org>");
        assertThat(entry.claimedBy()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void failuresCountAttemptsAndReleaseTheClaim(String database) throws Exception {
        Ledger ledger = open(database);
        ledger.claim("k1", MAILBOX, "u", "me");
        assertThat(ledger.recordFailure("k1", "sink rejected it")).isEqualTo(1);
        assertThat(ledger.claim("k1", MAILBOX, "u", "other").attempts()).isEqualTo(1);
        assertThat(ledger.recordFailure("k1", "sink rejected it again")).isEqualTo(2);

        LedgerEntry entry = ledger.find("k1").orElseThrow();
        assertThat(entry.attempts()).isEqualTo(2);
        assertThat(entry.lastError()).contains("sink rejected it again");
        assertThat(entry.state()).isEqualTo(DeliveryState.SEEN);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void outageReleasesTheClaimWithoutCountingAnAttempt(String database) throws Exception {
        Ledger ledger = open(database);
        ledger.claim("k1", MAILBOX, "u", "me");
        ledger.release("k1");
        Claim next = ledger.claim("k1", MAILBOX, "u", "other");
        assertThat(next.outcome()).isEqualTo(Claim.Outcome.DELIVER);
        assertThat(next.attempts()).isZero();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void deadLetteredMessageIsDoneAndKeepsItsReason(String database) throws Exception {
        Ledger ledger = open(database);
        ledger.claim("k1", MAILBOX, "u", "me");
        ledger.markDeadLettered("k1", "rejected 5 times", null);

        Claim again = ledger.claim("k1", MAILBOX, "u", "me");
        assertThat(again.outcome()).isEqualTo(Claim.Outcome.ALREADY_DONE);
        assertThat(again.state()).isEqualTo(DeliveryState.DEAD_LETTERED);
        assertThat(ledger.find("k1").orElseThrow().lastError()).contains("rejected 5 times");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void anotherInstancesClaimHoldsWhileItsHeartbeatLastsAndIsFreeWhenItStops(String database) throws Exception {
        Ledger ledger = open(database);
        ledger.heartbeat("instance-a", LEASE);
        ledger.claim("k1", MAILBOX, "u", "instance-a");

        Claim blocked = ledger.claim("k1", MAILBOX, "u", "instance-b");
        assertThat(blocked.outcome()).isEqualTo(Claim.Outcome.CLAIMED_ELSEWHERE);
        assertThat(blocked.holder()).isEqualTo("instance-a");
        assertThat(ledger.claim("k1", MAILBOX, "u", "instance-a").outcome())
                .as("the holder may take it again")
                .isEqualTo(Claim.Outcome.DELIVER);

        clock.advance(LEASE.minusSeconds(1));
        ledger.heartbeat("instance-a", LEASE);
        clock.advance(LEASE.minusSeconds(1));
        assertThat(ledger.claim("k1", MAILBOX, "u", "instance-b").outcome())
                .as("a claim outlives the first lease while heartbeats renew it (a long delivery)")
                .isEqualTo(Claim.Outcome.CLAIMED_ELSEWHERE);

        clock.advance(Duration.ofSeconds(2));
        assertThat(ledger.claim("k1", MAILBOX, "u", "instance-b").outcome())
                .as("the holder's heartbeat ran out (it died): the claim is free")
                .isEqualTo(Claim.Outcome.DELIVER);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void claimOfAnInstanceWithoutHeartbeatIsFreeAtOnce(String database) throws Exception {
        Ledger ledger = open(database);
        ledger.claim("k1", MAILBOX, "u", "killed-instance");
        assertThat(ledger.claim("k1", MAILBOX, "u", "restarted-instance").outcome())
                .isEqualTo(Claim.Outcome.DELIVER);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void soleInstanceTakesOverEveryClaimOfEarlierInstancesAtStart(String database) throws Exception {
        Ledger ledger = open(database);
        ledger.heartbeat("killed", LEASE);
        ledger.claim("k1", MAILBOX, "u1", "killed");
        ledger.claim("k2", MAILBOX, "u2", "killed");
        ledger.claim("k3", MAILBOX, "u3", "killed");
        ledger.markDelivered("k3", null, null);

        assertThat(ledger.takeOverClaimsOfStoppedInstances("shared-peer", false))
                .as("on a shared ledger a live heartbeat protects the claims")
                .isZero();
        assertThat(ledger.takeOverClaimsOfStoppedInstances("sole", true))
                .as("the holder of the embedded ledger's lock knows the others are gone")
                .isEqualTo(2);
        assertThat(ledger.find("k1").orElseThrow().claimedBy()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void everyDeclaredMailboxAndHowItsPollsEndedAreKept(String database) throws Exception {
        Ledger ledger = open(database);
        ledger.declareMailbox("pop3s://never@pop.example.org:995");
        ledger.recordPoll(MAILBOX, java.util.Optional.of("login rejected"));
        ledger.recordPoll(MAILBOX, java.util.Optional.of("login rejected"));

        PollRecord failing = ledger.polls().get(MAILBOX);
        assertThat(failing.failuresInRow()).isEqualTo(2);
        assertThat(failing.lastError()).hasValue("login rejected");
        assertThat(failing.lastSuccess()).isEmpty();
        assertThat(ledger.polls().get("pop3s://never@pop.example.org:995").lastPoll())
                .isEmpty();

        ledger.recordPoll(MAILBOX, java.util.Optional.empty());
        PollRecord working = ledger.polls().get(MAILBOX);
        assertThat(working.failing()).isFalse();
        assertThat(working.lastSuccess()).isPresent();
        assertThat(working.lastError())
                .as("kept, with its time, after a success")
                .hasValue("login rejected");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void anInstanceThatStoppedWithoutLeavingIsCountedOnceAndItsRowGoes(String database) throws Exception {
        Ledger ledger = open(database);
        ledger.heartbeat("killed", LEASE);

        assertThat(ledger.stoppedInstances("peer", false))
                .as("its heartbeat still lasts")
                .isEmpty();
        assertThat(ledger.stoppedInstances("sole", true))
                .as("the embedded ledger's lock holder")
                .containsExactly("killed");
        clock.advance(LEASE.plusSeconds(1));
        ledger.heartbeat("peer", LEASE);
        assertThat(ledger.stoppedInstances("peer", false)).containsExactly("killed");

        ledger.takeOverClaimsOfStoppedInstances("peer", false);
        assertThat(ledger.stoppedInstances("peer", false)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void leavingFreesTheInstancesClaims(String database) throws Exception {
        Ledger ledger = open(database);
        ledger.heartbeat("a", LEASE);
        ledger.claim("k1", MAILBOX, "u", "a");
        ledger.leave("a");
        assertThat(ledger.find("k1").orElseThrow().claimedBy()).isEmpty();
        assertThat(ledger.claim("k1", MAILBOX, "u", "b").outcome()).isEqualTo(Claim.Outcome.DELIVER);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void deletedEntriesArePrunedAfterTheRetention(String database) throws Exception {
        Ledger ledger = open(database);
        for (String key : List.of("k1", "k2", "k3")) {
            ledger.claim(key, MAILBOX, key, "me");
            ledger.markDelivered(key, null, null);
        }
        ledger.markDeleted(List.of("k1", "k2"), true);
        assertThat(ledger.claim("k1", MAILBOX, "k1", "me").deletionCommitted()).isTrue();

        clock.advance(Duration.ofDays(31));
        assertThat(ledger.pruneDeletedBefore(clock.instant().minus(Duration.ofDays(30)), 3))
                .isEqualTo(2);
        assertThat(ledger.find("k1")).isEmpty();
        assertThat(ledger.find("k3"))
                .as("never deleted: may still be on the server")
                .isPresent();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void statsListAndForget(String database) throws Exception {
        Ledger ledger = open(database);
        ledger.claim("k1", MAILBOX, "u1", "me");
        ledger.claim("k2", MAILBOX, "u2", "me");
        ledger.markDelivered("k2", null, null);

        assertThat(ledger.stats())
                .containsEntry(DeliveryState.SEEN, 1L)
                .containsEntry(DeliveryState.DELIVERED, 1L)
                .containsEntry(DeliveryState.DEAD_LETTERED, 0L);
        assertThat(ledger.list(Optional.of(DeliveryState.DELIVERED), 10))
                .extracting(LedgerEntry::key)
                .containsExactly("k2");
        assertThat(ledger.forget("k2")).isTrue();
        assertThat(ledger.forget("k2")).isFalse();
        assertThat(ledger.claim("k2", MAILBOX, "u2", "me").outcome()).isEqualTo(Claim.Outcome.DELIVER);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void keysOfAnyLengthAreStored(String database) throws Exception {
        Ledger ledger = open(database);
        String longUidl = "u".repeat(5_000);
        ledger.claim("k1", MAILBOX, longUidl, "me");
        ledger.markDelivered("k1", "<" + "m".repeat(10_000) + "@example.org>", null);
        assertThat(ledger.find("k1").orElseThrow().uidl()).isEqualTo(longUidl);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void reopeningKeepsEverythingAndRefusesANewerSchema(String database) throws Exception {
        Ledger first = open(database);
        first.claim("k1", MAILBOX, "u", "me");
        first.markDelivered("k1", null, null);
        first.close();

        try (Ledger reopened = Ledger.open(url, "postgres", null, clock)) {
            assertThat(reopened.find("k1").orElseThrow().state()).isEqualTo(DeliveryState.DELIVERED);
        }
        execute("INSERT INTO mailpipe_schema (version) VALUES (99)");
        assertThatThrownBy(() -> Ledger.open(url, "postgres", null, clock)).hasMessageContaining("schema version 99");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void sinkProgressIsKeptForTheNextAttempt(String database) throws Exception {
        Ledger ledger = open(database);
        Claim first = ledger.claim("k1", MAILBOX, "u", "me");
        assertThat(first.sinksDone()).isEmpty();
        ledger.markSinkDone("k1", "files", false, null);
        ledger.markSinkDone("k1", "kafka", true, null);
        ledger.markSinkDone("k1", "kafka", true, null);
        ledger.markSinkDone("k1", "kafka-raw", true, null);
        ledger.recordFailure("k1", "imap rejected it");

        Claim retry = ledger.claim("k1", MAILBOX, "u", "me");
        assertThat(retry.sinksDone()).containsExactlyInAnyOrder("files", "kafka", "kafka-raw");
        assertThatThrownBy(() -> ledger.markSinkDone("no-such-key", "files", false, null))
                .isInstanceOf(SQLException.class);
        assertThat(retry.firstSeen()).isEqualTo(first.firstSeen());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void generationsOfOneUidlAreEntriesOfTheirOwnAndOnlySettledOnesMayBeDeleted(String database) throws Exception {
        Ledger ledger = open(database);
        assertThat(ledger.claimNew("k0", MAILBOX, "u", 0, 100L, "me")).isPresent();
        assertThat(ledger.claimNew("k0", MAILBOX, "u", 0, 100L, "me")).isEmpty();
        assertThat(ledger.claimNew("k1", MAILBOX, "u", 1, 250L, "me")).isPresent();
        ledger.markDelivered("k0", "<a@example.org>", "digest-a");
        ledger.claimNew("k2", MAILBOX, "u", 2, 300L, "me");
        ledger.claimNew("k3", MAILBOX, "u", 3, 300L, "me");
        ledger.markDeadLettered("k3", "broken", null);

        assertThat(ledger.entriesOf(MAILBOX, "u"))
                .extracting(
                        LedgerEntry::key,
                        LedgerEntry::generation,
                        e -> e.listedSize().orElseThrow())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("k0", 0, 100L),
                        org.assertj.core.groups.Tuple.tuple("k1", 1, 250L),
                        org.assertj.core.groups.Tuple.tuple("k2", 2, 300L),
                        org.assertj.core.groups.Tuple.tuple("k3", 3, 300L));
        assertThat(ledger.find("k0").orElseThrow().headerDigest()).contains("digest-a");
        assertThat(ledger.entriesOf(MAILBOX, "other")).isEmpty();
        assertThat(ledger.settled(List.of("k0", "k1", "k2", "k3", "unknown"))).containsExactlyInAnyOrder("k0", "k3");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aParkedMessageIsLeftAloneUntilRetried(String database) throws Exception {
        Ledger ledger = open(database);
        ledger.claim("k1", MAILBOX, "u1", "me");
        assertThat(ledger.recordLostConnection("k1", "EOF")).isEqualTo(1);
        assertThat(ledger.recordLostConnection("k1", "EOF")).isEqualTo(2);
        ledger.park("k1", "broke the connection twice");

        assertThat(ledger.claimKnown("k1", "me").outcome()).isEqualTo(Claim.Outcome.PARKED);
        assertThat(ledger.settled(List.of("k1"))).isEmpty();
        assertThat(ledger.summaries()).singleElement().satisfies(summary -> {
            assertThat(summary.parked()).isEqualTo(1);
            assertThat(summary.waiting()).isZero();
        });
        assertThat(ledger.retry("k1")).isTrue();
        assertThat(ledger.retry("k1")).as("no longer parked").isFalse();
        LedgerEntry retried = ledger.find("k1").orElseThrow();
        assertThat(retried.state()).isEqualTo(DeliveryState.SEEN);
        assertThat(retried.lostConnections()).isZero();
        assertThat(ledger.claimKnown("k1", "me").outcome()).isEqualTo(Claim.Outcome.DELIVER);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void eachSessionThatDeletesAMessageIsCounted(String database) throws Exception {
        Ledger ledger = open(database);
        ledger.claim("k1", MAILBOX, "u1", "me");
        ledger.markDelivered("k1", null, null);
        ledger.markDeleted(List.of("k1"), true);
        ledger.markDeleted(List.of("k1"), true);

        Claim again = ledger.claimKnown("k1", "me");
        assertThat(again.outcome()).isEqualTo(Claim.Outcome.ALREADY_DONE);
        assertThat(again.deletionCommitted()).isTrue();
        assertThat(again.deleSessions()).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void migratesAVersionOneLedger(String database) throws Exception {
        open(database).close();
        execute(withoutColumnsSinceVersionFour(
                "ALTER TABLE mailpipe_messages DROP COLUMN sinks_done",
                "DROP TABLE mailpipe_instances",
                "DELETE FROM mailpipe_schema",
                "INSERT INTO mailpipe_schema (version) VALUES (1)"));

        try (Ledger migrated = Ledger.open(url, "postgres", null, clock)) {
            migrated.claim("k1", MAILBOX, "u", "me");
            migrated.markSinkDone("k1", "kafka", true, null);
            assertThat(migrated.find("k1").orElseThrow().sinksDone()).containsExactly("kafka");
        }
    }

    /** A version 5 ledger gets the IMAP sink's column: "unknown" for messages not yet delivered, whose retries search as before. */
    @ParameterizedTest
    @MethodSource("databases")
    void migratesAVersionFiveLedger(String database) throws Exception {
        Ledger ledger = open(database);
        ledger.claim("k1", MAILBOX, "u1", "me");
        ledger.claim("k2", MAILBOX, "u2", "me");
        ledger.markDelivered("k2", "<a@example.org>", null);
        ledger.close();
        execute(
                "ALTER TABLE mailpipe_messages DROP COLUMN imap_append",
                "DELETE FROM mailpipe_schema",
                "INSERT INTO mailpipe_schema (version) VALUES (5)");

        try (Ledger migrated = Ledger.open(url, "postgres", null, clock)) {
            // Not delivered yet: the version before may have appended it without a journal.
            assertThat(migrated.imapAppend("k1"))
                    .contains(AppendRecord.unknown().encode());
            assertThat(migrated.imapAppend("k2")).isEmpty();
            migrated.recordImapAppend("k1", "SENDING 7 12 Archive/2026", true);
            assertThat(migrated.imapAppend("k1")).contains("SENDING 7 12 Archive/2026");
        }
    }

    /** The IMAP sink's journal keeps the last record per entry; an entry it does not know is an error, not a silent no-op. */
    @ParameterizedTest
    @MethodSource("databases")
    void keepsTheImapSinksLastAppendPerEntry(String database) throws Exception {
        try (Ledger ledger = open(database)) {
            ledger.claim("k1", MAILBOX, "u1", "me");
            ledger.claim("k2", MAILBOX, "u2", "me");
            ledger.recordImapAppend("k1", "SENDING 7 12 My Folder", true);
            ledger.recordImapAppend("k1", "APPENDED 7 12 My Folder", false);

            assertThat(ledger.imapAppend("k1")).contains("APPENDED 7 12 My Folder");
            assertThat(ledger.imapAppend("k2")).isEmpty();
            assertThat(ledger.imapAppend("unknown")).isEmpty();
            assertThatThrownBy(() -> ledger.recordImapAppend("unknown", "SENDING 1 1 x", true))
                    .isInstanceOf(java.sql.SQLException.class);
        }
    }

    /** A version 3 ledger's rows keep their state and get no size or digest: the identity rules treat them as before. */
    @ParameterizedTest
    @MethodSource("databases")
    void migratesAVersionThreeLedger(String database) throws Exception {
        Ledger ledger = open(database);
        ledger.claim("k1", MAILBOX, "u1", "me");
        ledger.markDelivered("k1", "<a@example.org>", null);
        ledger.close();
        execute(withoutColumnsSinceVersionFour(
                "DELETE FROM mailpipe_schema", "INSERT INTO mailpipe_schema (version) VALUES (3)"));

        try (Ledger migrated = Ledger.open(url, "postgres", null, clock)) {
            LedgerEntry entry = migrated.find("k1").orElseThrow();
            assertThat(entry.state()).isEqualTo(DeliveryState.DELIVERED);
            assertThat(entry.generation()).isZero();
            assertThat(entry.listedSize()).isEmpty();
            assertThat(entry.headerDigest()).isEmpty();
            assertThat(migrated.entriesOf(MAILBOX, "u1"))
                    .extracting(LedgerEntry::key)
                    .containsExactly("k1");
            migrated.markDeleted(List.of("k1"), true);
            assertThat(migrated.find("k1").orElseThrow().deleSessions()).isEqualTo(1);
        }
        try (Connection c = java.sql.DriverManager.getConnection(url, "postgres", null);
                Statement s = c.createStatement();
                java.sql.ResultSet rows = s.executeQuery("SELECT MAX(version) FROM mailpipe_schema")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(Ledger.SCHEMA_VERSION);
        }
    }

    private static String[] withoutColumnsSinceVersionFour(String... more) {
        List<String> statements = new java.util.ArrayList<>();
        for (String column : List.of(
                "generation", "listed_size", "header_digest", "lost_connections", "dele_sessions", "imap_append")) {
            statements.add("ALTER TABLE mailpipe_messages DROP COLUMN " + column);
        }
        statements.addAll(List.of(more));
        return statements.toArray(String[]::new);
    }

    /**
     * Delivery records are committed into SQLite's write-ahead log without an fsync each; syncToDisk
     * checkpoints them into the database file itself, which alone (no -wal beside it) then has them.
     */
    @org.junit.jupiter.api.Test
    void syncToDiskPutsDeliveryRecordsIntoTheDatabaseFile() throws Exception {
        Ledger ledger = open("sqlite");
        Path file = Path.of(url.substring("jdbc:sqlite:".length()));
        ledger.claim("k1", MAILBOX, "u", "me");
        ledger.markDelivered("k1", "<id@example.org>", null);
        assertThat(stateInDatabaseFileAlone(file)).as("still only in the log").isNull();

        ledger.syncToDisk();

        assertThat(stateInDatabaseFileAlone(file)).isEqualTo("DELIVERED");
    }

    private static String stateInDatabaseFileAlone(Path file) throws Exception {
        Path copy = dir.resolve("copy-" + System.nanoTime() + ".sqlite");
        java.nio.file.Files.copy(file, copy);
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + copy);
                Statement s = c.createStatement();
                java.sql.ResultSet rows =
                        s.executeQuery("SELECT state FROM mailpipe_messages WHERE message_key = 'k1'")) {
            return rows.next() ? rows.getString(1) : null;
        } catch (java.sql.SQLException e) {
            return null; // the copied file has no table yet: the schema itself is still in the log
        }
    }
}
