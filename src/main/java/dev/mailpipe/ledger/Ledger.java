package dev.mailpipe.ledger;

import dev.mailpipe.imap.AppendRecord;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The durable delivery record of every message, one row per message key, in SQLite (embedded
 * default) or PostgreSQL (shared by several instances) through the same JDBC statements. Every
 * write is committed before the method returns. On SQLite (WAL) claims and delivery records are
 * not fsync'd one by one ({@link #syncToDisk} covers them in one go); every other write is
 * ({@code synchronous=FULL}). Thread-safe; one connection, re-opened after a failure.
 */
public final class Ledger implements AutoCloseable {

    /** The schema version this code writes and understands; a newer ledger stops the start. */
    public static final int SCHEMA_VERSION = 6;

    /** The PostgreSQL advisory lock that lets one instance at a time create or migrate the schema. */
    private static final long MIGRATION_LOCK = 0x6d61696c70697065L;

    /** A claim's holder has no live heartbeat; the one parameter is the current time. */
    private static final String HOLDER_GONE =
            "claimed_by NOT IN (SELECT instance_id FROM mailpipe_instances WHERE alive_until >= ?)";

    private static final String COLUMNS = "message_key, mailbox, uidl, message_id, state, attempts, last_error,"
            + " first_seen, updated, deleted_at, claimed_by, sinks_done, generation, listed_size, header_digest,"
            + " lost_connections, dele_sessions";

    /** Version 4: what tells a message apart besides its UIDL, and how often it broke a download or outlived a DELE. */
    private static final List<String> VERSION_4_COLUMNS = List.of(
            "generation INTEGER NOT NULL DEFAULT 0",
            "listed_size BIGINT",
            "header_digest VARCHAR(64)",
            "lost_connections INTEGER NOT NULL DEFAULT 0",
            "dele_sessions INTEGER NOT NULL DEFAULT 0");

    /** Version 6: the IMAP sink's last APPEND of the message (see {@code AppendRecord}), so a retry looks for it only when it may be there. */
    private static final String VERSION_6_COLUMN = "imap_append TEXT";

    private final String url;
    private final Properties credentials;
    private final Clock clock;
    private Connection connection;
    /** The SQLite connection's current {@code synchronous} setting: true FULL, false NORMAL, null unknown. */
    private Boolean fullSync;

    private Ledger(String url, Properties credentials, Clock clock) {
        this.url = url;
        this.credentials = credentials;
        this.clock = clock;
    }

    /** Opens the ledger at a JDBC URL ({@code jdbc:sqlite:...} or {@code jdbc:postgresql:...}) and creates or migrates its schema. */
    public static Ledger open(String url, String username, String password, Clock clock) throws SQLException {
        createPrivateDatabaseFile(url);
        Ledger ledger = new Ledger(url, credentials(username, password), clock);
        ledger.migrate();
        return ledger;
    }

    /**
     * What a look at the ledger without changing it finds: its schema version (0 for a database
     * mailpipe has not used yet) and how many instances have a live heartbeat in it.
     */
    public record Peek(int schemaVersion, int liveInstances) {}

    /**
     * Looks at the ledger read-only, beside any instance that runs on it: no schema is made or
     * migrated, and an embedded ledger's file must exist (a check does not make it).
     */
    public static Peek peek(String url, String username, String password, Clock clock) throws SQLException {
        Properties properties = credentials(username, password);
        if (url.startsWith("jdbc:sqlite:")) {
            properties.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
        }
        try (Connection c = DriverManager.getConnection(url, properties)) {
            c.setReadOnly(true);
            if (!hasTable(c, "mailpipe_schema")) {
                return new Peek(0, 0);
            }
            int version;
            try (Statement query = c.createStatement();
                    ResultSet rows = query.executeQuery("SELECT MAX(version) FROM mailpipe_schema")) {
                version = rows.next() ? rows.getInt(1) : 0;
            }
            int live = 0;
            if (hasTable(c, "mailpipe_instances")) {
                try (PreparedStatement query =
                        c.prepareStatement("SELECT COUNT(*) FROM mailpipe_instances WHERE alive_until >= ?")) {
                    query.setLong(1, clock.millis());
                    try (ResultSet rows = query.executeQuery()) {
                        live = rows.next() ? rows.getInt(1) : 0;
                    }
                }
            }
            return new Peek(version, live);
        }
    }

    private static boolean hasTable(Connection c, String table) throws SQLException {
        try (ResultSet tables = c.getMetaData().getTables(null, null, table, null)) {
            return tables.next();
        }
    }

    /**
     * A new SQLite file is made here, readable by its owner alone; SQLite gives its journal files
     * (WAL, shared memory) the database file's mode. An existing file keeps its mode.
     */
    private static void createPrivateDatabaseFile(String url) throws SQLException {
        if (!url.startsWith("jdbc:sqlite:") || url.contains(":memory:")) {
            return;
        }
        java.nio.file.Path file =
                java.nio.file.Path.of(url.substring("jdbc:sqlite:".length()).split("\\?", 2)[0]);
        try {
            dev.mailpipe.config.FileModes.PRIVATE.createFileIfMissing(file);
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create the ledger file " + file + ": " + e.getMessage(), e);
        }
    }

    /** JDBC connection properties with the login, either part left out when null. */
    public static Properties credentials(String username, String password) {
        Properties credentials = new Properties();
        if (username != null) {
            credentials.setProperty("user", username);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        return credentials;
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = DriverManager.getConnection(url, credentials);
            fullSync = null;
            if (isSqlite()) {
                try (Statement pragma = connection.createStatement()) {
                    pragma.execute("PRAGMA journal_mode=WAL");
                    pragma.execute("PRAGMA busy_timeout=10000");
                }
            }
        }
        return connection;
    }

    private boolean isSqlite() {
        return url.startsWith("jdbc:sqlite:");
    }

    /**
     * SQLite in WAL mode: FULL fsyncs the log at every commit, so the record survives a power cut;
     * NORMAL commits survive a crash of the process (the log is in the OS's cache) and are fsync'd
     * with the next FULL commit. PostgreSQL commits are always durable.
     */
    private void syncMode(Connection c, boolean full) throws SQLException {
        if (isSqlite() && !Boolean.valueOf(full).equals(fullSync)) {
            try (Statement pragma = c.createStatement()) {
                pragma.execute(full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
            }
            fullSync = full;
        }
    }

    /** Runs one unit of work with durable commits; a failed connection is dropped so the next call opens a fresh one. */
    private <T> T withConnection(SqlWork<T> work) throws SQLException {
        return withConnection(true, work);
    }

    private <T> T withConnection(boolean durable, SqlWork<T> work) throws SQLException {
        try {
            Connection c = connection();
            syncMode(c, durable);
            return work.run(c);
        } catch (SQLException e) {
            closeQuietly();
            throw e;
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private synchronized void migrate() throws SQLException {
        withConnection(c -> {
            if (!isSqlite()) {
                // Instances starting together on a fresh PostgreSQL would race on CREATE TABLE IF NOT
                // EXISTS (a unique violation in pg_type); one at a time, the others find the tables.
                // The lock is the session's, released when this connection closes or below.
                try (Statement lock = c.createStatement()) {
                    lock.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
                }
            }
            try {
                return migrate(c);
            } finally {
                if (!isSqlite()) {
                    try (Statement unlock = c.createStatement()) {
                        unlock.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
                    }
                }
            }
        });
    }

    /** One transaction: a migration cut short leaves the schema as it was (both databases have transactional DDL). */
    private Void migrate(Connection c) throws SQLException {
        return inTransaction(c, inside -> {
            migrateSchema(inside);
            return null;
        });
    }

    /** Runs {@code work} as one transaction on {@code c}: committed whole, or rolled back and rethrown. */
    private static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private void migrateSchema(Connection c) throws SQLException {
        try (Statement ddl = c.createStatement()) {
            ddl.execute("CREATE TABLE IF NOT EXISTS mailpipe_schema (version INTEGER NOT NULL)");
            ddl.execute("CREATE TABLE IF NOT EXISTS mailpipe_messages ("
                    + " message_key VARCHAR(64) PRIMARY KEY,"
                    + " mailbox TEXT NOT NULL,"
                    + " uidl TEXT NOT NULL,"
                    + " message_id TEXT,"
                    + " state VARCHAR(16) NOT NULL,"
                    + " attempts INTEGER NOT NULL,"
                    + " last_error TEXT,"
                    + " first_seen BIGINT NOT NULL,"
                    + " updated BIGINT NOT NULL,"
                    + " deleted_at BIGINT,"
                    + " claimed_by TEXT,"
                    // Unused since version 3 (claims last as long as their instance's heartbeat).
                    + " claimed_until BIGINT,"
                    + " sinks_done TEXT, "
                    + String.join(", ", VERSION_4_COLUMNS)
                    + ", "
                    + VERSION_6_COLUMN
                    + ")");
            ddl.execute("CREATE INDEX IF NOT EXISTS mailpipe_messages_deleted ON mailpipe_messages (deleted_at)");
            // Version 3: instances prove they are alive, so a dead instance's claims are free at once.
            ddl.execute("CREATE TABLE IF NOT EXISTS mailpipe_instances ("
                    + " instance_id VARCHAR(255) PRIMARY KEY,"
                    + " alive_until BIGINT NOT NULL)");
            // Version 5: every declared mailbox and how its polls end, so that `status` shows a mailbox
            // that cannot be polled (and one that never delivered anything) without a running instance.
            ddl.execute("CREATE TABLE IF NOT EXISTS mailpipe_polls ("
                    + " mailbox VARCHAR(512) PRIMARY KEY,"
                    + " declared_at BIGINT NOT NULL,"
                    + " last_poll BIGINT,"
                    + " last_success BIGINT,"
                    + " failures_in_row INTEGER NOT NULL DEFAULT 0,"
                    + " last_error TEXT,"
                    + " last_error_at BIGINT)");
        }
        int version = 0;
        try (Statement query = c.createStatement();
                ResultSet rows = query.executeQuery("SELECT MAX(version) FROM mailpipe_schema")) {
            if (rows.next()) {
                version = rows.getInt(1);
            }
        }
        if (version > SCHEMA_VERSION) {
            throw new SQLException("The ledger at " + url + " has schema version " + version
                    + ", newer than this mailpipe understands (" + SCHEMA_VERSION + "); upgrade mailpipe");
        }
        if (version == 1) {
            // Version 2 records which sinks already have a message, so a retry skips them.
            try (Statement alter = c.createStatement()) {
                alter.execute("ALTER TABLE mailpipe_messages ADD COLUMN sinks_done TEXT");
            }
        }
        if (version >= 1 && version < 4) {
            // Version 4: a message is known by its UIDL and a fingerprint (LIST size, header digest),
            // so a UIDL the server reuses or repeats is a message of its own (a new generation).
            try (Statement alter = c.createStatement()) {
                for (String column : VERSION_4_COLUMNS) {
                    alter.execute("ALTER TABLE mailpipe_messages ADD COLUMN " + column);
                }
            }
        }
        if (version >= 1 && version < 6) {
            try (Statement alter = c.createStatement()) {
                alter.execute("ALTER TABLE mailpipe_messages ADD COLUMN " + VERSION_6_COLUMN);
            }
            // A message not yet delivered may have been appended by the IMAP sink of the version
            // before, which kept no journal: its retry searches the folder, as that version did.
            try (PreparedStatement unknown = c.prepareStatement("UPDATE mailpipe_messages SET imap_append = ?"
                    + " WHERE state NOT IN ('DELIVERED', 'DEAD_LETTERED')")) {
                unknown.setString(1, AppendRecord.unknown().encode());
                unknown.executeUpdate();
            }
        }
        if (version < SCHEMA_VERSION) {
            try (Statement index = c.createStatement()) {
                index.execute("CREATE INDEX IF NOT EXISTS mailpipe_messages_uidl ON mailpipe_messages (mailbox, uidl)");
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO mailpipe_schema (version) VALUES (?)")) {
                insert.setInt(1, SCHEMA_VERSION);
                insert.executeUpdate();
            }
        }
    }

    /**
     * Claims a message for delivery by {@code owner}: the first sight of a key records it; a key
     * already delivered or dead-lettered is reported done; a key claimed by another instance that is
     * still alive (see {@link #heartbeat}) is reported as claimed elsewhere. A claim lasts as long as
     * its instance lives, however long the delivery takes, and is free as soon as the instance's
     * lease has run out. On SQLite the claim is not fsync'd on its own (it runs before every
     * download, and a claim lost to a power cut only means the message is claimed afresh); the
     * delivery record that follows is.
     */
    public synchronized Claim claim(String key, String mailbox, String uidl, String owner) throws SQLException {
        Optional<Claim> fresh = claimNew(key, mailbox, uidl, 0, null, owner);
        return fresh.isPresent() ? fresh.get() : claimKnown(key, owner);
    }

    /**
     * Records a message the ledger has never seen, generation {@code generation} of its UIDL with the
     * size the server listed, claimed by {@code owner}; empty when the key is already recorded.
     */
    public synchronized Optional<Claim> claimNew(
            String key, String mailbox, String uidl, int generation, Long listedSize, String owner)
            throws SQLException {
        long now = clock.millis();
        return withConnection(false, c -> {
            try (PreparedStatement insert = bound(
                    c,
                    "INSERT INTO mailpipe_messages (message_key, mailbox, uidl, state, attempts, first_seen,"
                            + " updated, claimed_by, generation, listed_size)"
                            + " VALUES (?, ?, ?, 'SEEN', 0, ?, ?, ?, ?, ?) ON CONFLICT (message_key) DO NOTHING",
                    key,
                    mailbox,
                    uidl,
                    now,
                    now,
                    owner,
                    generation,
                    listedSize)) {
                return insert.executeUpdate() == 1
                        ? Optional.of(Claim.deliver(0, Instant.ofEpochMilli(now), Set.of()))
                        : Optional.empty();
            }
        });
    }

    /** Claims a recorded message for {@code owner}, as {@link #claim} does for a key seen before. */
    public synchronized Claim claimKnown(String key, String owner) throws SQLException {
        long now = clock.millis();
        return withConnection(false, c -> {
            try (PreparedStatement take = bound(
                    c,
                    "UPDATE mailpipe_messages SET claimed_by = ?, claimed_until = NULL, updated = ?"
                            + " WHERE message_key = ? AND state = 'SEEN'"
                            + " AND (claimed_by IS NULL OR claimed_by = ? OR " + HOLDER_GONE + ")",
                    owner,
                    now,
                    key,
                    owner,
                    now)) {
                boolean taken = take.executeUpdate() == 1;
                LedgerEntry entry = find(c, key).orElseThrow(() -> new SQLException("Ledger entry vanished: " + key));
                if (taken) {
                    return Claim.deliver(entry.attempts(), entry.firstSeen(), entry.sinksDone());
                }
                if (entry.state().isFinal()) {
                    return Claim.alreadyDone(entry.state(), entry.deletedAt().isPresent(), entry.deleSessions());
                }
                if (entry.state() == DeliveryState.PARKED) {
                    return Claim.parked();
                }
                return Claim.claimedElsewhere(entry.claimedBy().orElse("?"));
            }
        });
    }

    /** Every generation the ledger has of one UIDL in one mailbox, oldest first. */
    public synchronized List<LedgerEntry> entriesOf(String mailbox, String uidl) throws SQLException {
        return withConnection(false, c -> {
            try (PreparedStatement query = bound(
                    c,
                    "SELECT " + COLUMNS + " FROM mailpipe_messages WHERE mailbox = ? AND uidl = ? ORDER BY generation",
                    mailbox,
                    uidl)) {
                return entries(query);
            }
        });
    }

    /**
     * Records that {@code instance} is alive until {@code lease} from now; its claims hold meanwhile.
     * Not fsync'd on SQLite: a heartbeat lost to a power cut only shortens a lease.
     */
    public synchronized void heartbeat(String instance, Duration lease) throws SQLException {
        long until = clock.millis() + lease.toMillis();
        update(
                false,
                "INSERT INTO mailpipe_instances (instance_id, alive_until) VALUES (?, ?)"
                        + " ON CONFLICT (instance_id) DO UPDATE SET alive_until = excluded.alive_until",
                instance,
                until);
    }

    /**
     * Instances other than {@code instance} that stopped without leaving (killed, or their host
     * died): with {@code onlyInstance} (the embedded ledger's lock is held) every other one, else
     * those whose heartbeat has run out.
     */
    public synchronized List<String> stoppedInstances(String instance, boolean onlyInstance) throws SQLException {
        long now = clock.millis();
        return withConnection(c -> {
            List<String> stopped = new ArrayList<>();
            try (PreparedStatement query = bound(
                            c,
                            "SELECT instance_id FROM mailpipe_instances WHERE instance_id <> ? AND (? OR alive_until < ?)",
                            instance,
                            onlyInstance,
                            now);
                    ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stopped.add(rows.getString(1));
                }
            }
            return stopped;
        });
    }

    /**
     * Frees the claims of instances that are no longer alive and returns how many there were. With
     * {@code onlyInstance} (the embedded ledger, whose folder lock proves no other process uses it)
     * every other instance is known to be gone, whatever its last heartbeat said.
     */
    public synchronized int takeOverClaimsOfStoppedInstances(String instance, boolean onlyInstance)
            throws SQLException {
        long now = clock.millis();
        if (onlyInstance) {
            update("DELETE FROM mailpipe_instances WHERE instance_id <> ?", instance);
        }
        int taken = update(
                "UPDATE mailpipe_messages SET claimed_by = NULL, claimed_until = NULL, updated = ?"
                        + " WHERE state = 'SEEN' AND claimed_by IS NOT NULL AND claimed_by <> ? AND " + HOLDER_GONE,
                now,
                instance,
                now);
        // A dead instance's row says nothing more (claims count only live heartbeats), and a row left
        // would have every later start look for its temporary files again.
        update("DELETE FROM mailpipe_instances WHERE alive_until < ?", now);
        return taken;
    }

    /** A graceful stop: frees this instance's claims and removes its heartbeat. */
    public synchronized void leave(String instance) throws SQLException {
        update(
                "UPDATE mailpipe_messages SET claimed_by = NULL, claimed_until = NULL, updated = ?"
                        + " WHERE claimed_by = ?",
                clock.millis(),
                instance);
        update("DELETE FROM mailpipe_instances WHERE instance_id = ?", instance);
    }

    /**
     * Records that every sink has the message; committed before it returns. On SQLite the commit
     * survives a crash of the process at once, and a power cut after {@link #syncToDisk}, which the
     * consumer calls before the batch's DELEs: one fsync per batch instead of one per message.
     */
    /**
     * With the digest of the message's identifying headers (see {@code HeaderDigest}), or null when
     * its bytes were not read, which later tells it from another message with its UIDL.
     */
    public synchronized void markDelivered(String key, String messageId, String headerDigest) throws SQLException {
        update(
                false,
                "UPDATE mailpipe_messages SET state = 'DELIVERED', message_id = ?, updated = ?,"
                        + " header_digest = COALESCE(?, header_digest), claimed_by = NULL, claimed_until = NULL"
                        + " WHERE message_key = ?",
                messageId,
                clock.millis(),
                headerDigest,
                key);
    }

    /**
     * Records that one sink has the message, so a retry after a later sink failed (or a crash) does
     * not send it there again. {@code durable} false for a mark that only saves work (the sink is
     * idempotent, and a lost mark means doing it again); true for sinks that are not idempotent.
     */
    /**
     * Keeps the message's header digest (see {@code HeaderDigest}; null when unknown) from the first
     * sink on: an entry a sink has taken something for is only ever bound again to a message with
     * these headers.
     */
    public synchronized void markSinkDone(String key, String sink, boolean durable, String headerDigest)
            throws SQLException {
        // One statement, no read first: the files sink marks every message on the drain's hot path.
        int marked = update(
                durable,
                "UPDATE mailpipe_messages SET sinks_done = CASE WHEN sinks_done IS NULL OR sinks_done = ''"
                        + " THEN CAST(? AS TEXT) ELSE sinks_done || ',' || CAST(? AS TEXT) END, updated = ?,"
                        + " header_digest = COALESCE(header_digest, ?)"
                        + " WHERE message_key = ? AND (sinks_done IS NULL OR ',' || sinks_done || ',' NOT LIKE ?)",
                sink,
                sink,
                clock.millis(),
                headerDigest,
                key,
                "%," + sink + ",%");
        if (marked == 0 && find(key).isEmpty()) {
            throw new SQLException("No entry " + key);
        }
    }

    /** The IMAP sink's record of the message's last APPEND, as it wrote it; empty when there is none. */
    public synchronized Optional<String> imapAppend(String key) throws SQLException {
        return withConnection(c -> {
            try (PreparedStatement query =
                            bound(c, "SELECT imap_append FROM mailpipe_messages WHERE message_key = ?", key);
                    ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
            }
        });
    }

    /**
     * Replaces the IMAP sink's record of the message's last APPEND; {@code durable} true when the
     * record must survive a power cut before the APPEND is sent.
     */
    public synchronized void recordImapAppend(String key, String record, boolean durable) throws SQLException {
        if (update(
                        durable,
                        "UPDATE mailpipe_messages SET imap_append = ?, updated = ? WHERE message_key = ?",
                        record,
                        clock.millis(),
                        key)
                == 0) {
            throw new SQLException("No entry " + key);
        }
    }

    /** Counts a failed attempt that was the message's own fault, releases the claim, and returns the attempts so far. */
    public synchronized int recordFailure(String key, String error) throws SQLException {
        update(
                "UPDATE mailpipe_messages SET attempts = attempts + 1, last_error = ?, updated = ?,"
                        + " claimed_by = NULL, claimed_until = NULL WHERE message_key = ?",
                truncate(error),
                clock.millis(),
                key);
        return withConnection(c -> find(c, key).map(LedgerEntry::attempts).orElse(0));
    }

    /** Releases the claim without counting an attempt (the failure was an outage, not the message). */
    public synchronized void release(String key) throws SQLException {
        update(
                "UPDATE mailpipe_messages SET claimed_by = NULL, claimed_until = NULL, updated = ? WHERE message_key = ?",
                clock.millis(),
                key);
    }

    /** Records the message dead-lettered, with its header digest when its bytes were read. */
    public synchronized void markDeadLettered(String key, String error, String headerDigest) throws SQLException {
        update(
                "UPDATE mailpipe_messages SET state = 'DEAD_LETTERED', last_error = ?, updated = ?,"
                        + " header_digest = COALESCE(?, header_digest), claimed_by = NULL, claimed_until = NULL"
                        + " WHERE message_key = ?",
                truncate(error),
                clock.millis(),
                headerDigest,
                key);
    }

    /**
     * Counts a connection the server lost while sending this message, releases the claim, and
     * returns how many such losses the message has had. Not an attempt: its bytes never arrived.
     */
    public synchronized int recordLostConnection(String key, String error) throws SQLException {
        update(
                "UPDATE mailpipe_messages SET lost_connections = lost_connections + 1, last_error = ?, updated = ?,"
                        + " claimed_by = NULL, claimed_until = NULL WHERE message_key = ?",
                truncate(error),
                clock.millis(),
                key);
        return withConnection(
                c -> find(c, key).map(LedgerEntry::lostConnections).orElse(0));
    }

    /** Parks a message that cannot be downloaded: it stays on the server, untouched, until {@link #retry}. */
    public synchronized void park(String key, String reason) throws SQLException {
        update(
                "UPDATE mailpipe_messages SET state = 'PARKED', last_error = ?, updated = ?,"
                        + " claimed_by = NULL, claimed_until = NULL WHERE message_key = ? AND state = 'SEEN'",
                truncate(reason),
                clock.millis(),
                key);
    }

    /** Lets a parked message be tried again at the next poll, with its counts reset; false if it is not parked. */
    public synchronized boolean retry(String key) throws SQLException {
        return update(
                        "UPDATE mailpipe_messages SET state = 'SEEN', attempts = 0, lost_connections = 0, updated = ?"
                                + " WHERE message_key = ? AND state = 'PARKED'",
                        clock.millis(),
                        key)
                == 1;
    }

    /**
     * Of {@code keys}, those the ledger records delivered or dead-lettered: the only messages the
     * consumer may delete from the server, whatever the route did.
     */
    public synchronized Set<String> settled(Collection<String> keys) throws SQLException {
        List<String> all = List.copyOf(keys);
        Set<String> settled = new java.util.HashSet<>();
        int chunk = 500;
        for (int from = 0; from < all.size(); from += chunk) {
            List<String> part = all.subList(from, Math.min(all.size(), from + chunk));
            String marks = String.join(", ", java.util.Collections.nCopies(part.size(), "?"));
            withConnection(false, c -> {
                try (PreparedStatement query = bound(
                        c,
                        "SELECT message_key FROM mailpipe_messages WHERE state IN ('DELIVERED', 'DEAD_LETTERED')"
                                + " AND message_key IN (" + marks + ")",
                        part.toArray())) {
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            settled.add(rows.getString(1));
                        }
                    }
                }
                return null;
            });
        }
        return settled;
    }

    /**
     * Records that these messages' DELEs were accepted and the session ended; a session whose QUIT
     * the server acknowledged counts towards the sessions in which the server was asked to delete them.
     */
    public synchronized void markDeleted(Collection<String> keys, boolean quitAcknowledged) throws SQLException {
        long now = clock.millis();
        int counted = quitAcknowledged ? 1 : 0;
        withConnection(c -> inTransaction(c, inside -> {
            try (PreparedStatement mark = inside.prepareStatement(
                    "UPDATE mailpipe_messages SET deleted_at = ?, updated = ?, dele_sessions = dele_sessions + ?"
                            + " WHERE message_key = ?")) {
                for (String key : keys) {
                    mark.setLong(1, now);
                    mark.setLong(2, now);
                    mark.setInt(3, counted);
                    mark.setString(4, key);
                    mark.addBatch();
                }
                mark.executeBatch();
            }
            return null;
        }));
    }

    /**
     * Removes entries of messages deleted from the server before {@code cutoff}; returns how many.
     * Entries of messages the server kept although it acknowledged their DELE in {@code
     * keptAfterSessions} sessions stay: no DELE refreshes them, and the server still has the message.
     */
    public synchronized int pruneDeletedBefore(Instant cutoff, int keptAfterSessions) throws SQLException {
        return update(
                "DELETE FROM mailpipe_messages WHERE deleted_at IS NOT NULL AND deleted_at < ? AND dele_sessions < ?",
                cutoff.toEpochMilli(),
                keptAfterSessions);
    }

    /** Forgets one message, so it is delivered again if it is still on the server; returns whether it existed. */
    public synchronized boolean forget(String key) throws SQLException {
        return update("DELETE FROM mailpipe_messages WHERE message_key = ?", key) == 1;
    }

    public synchronized Optional<LedgerEntry> find(String key) throws SQLException {
        return withConnection(c -> find(c, key));
    }

    /** Number of messages per state. */
    public synchronized Map<DeliveryState, Long> stats() throws SQLException {
        return withConnection(c -> {
            Map<DeliveryState, Long> counts = new EnumMap<>(DeliveryState.class);
            for (DeliveryState state : DeliveryState.values()) {
                counts.put(state, 0L);
            }
            try (Statement query = c.createStatement();
                    ResultSet rows =
                            query.executeQuery("SELECT state, COUNT(*) FROM mailpipe_messages GROUP BY state")) {
                while (rows.next()) {
                    counts.put(DeliveryState.valueOf(rows.getString(1)), rows.getLong(2));
                }
            }
            return counts;
        });
    }

    /** Per mailbox: messages by state, those at risk (final, not deleted), the last delivery and the last error. */
    public synchronized List<MailboxSummary> summaries() throws SQLException {
        return withConnection(c -> {
            Map<String, String[]> lastErrors = new HashMap<>();
            try (Statement query = c.createStatement();
                    ResultSet rows = query.executeQuery("SELECT m.mailbox, m.last_error, m.updated"
                            + " FROM mailpipe_messages m WHERE m.last_error IS NOT NULL AND m.updated ="
                            + " (SELECT MAX(x.updated) FROM mailpipe_messages x"
                            + " WHERE x.mailbox = m.mailbox AND x.last_error IS NOT NULL)")) {
                while (rows.next()) {
                    lastErrors.putIfAbsent(
                            rows.getString(1), new String[] {rows.getString(2), Long.toString(rows.getLong(3))});
                }
            }
            List<MailboxSummary> summaries = new ArrayList<>();
            try (Statement query = c.createStatement();
                    ResultSet rows = query.executeQuery("SELECT mailbox,"
                            + " SUM(CASE WHEN state = 'DELIVERED' THEN 1 ELSE 0 END),"
                            + " SUM(CASE WHEN state = 'SEEN' THEN 1 ELSE 0 END),"
                            + " SUM(CASE WHEN state = 'DEAD_LETTERED' THEN 1 ELSE 0 END),"
                            + " SUM(CASE WHEN state IN ('DELIVERED', 'DEAD_LETTERED') AND deleted_at IS NULL"
                            + " THEN 1 ELSE 0 END),"
                            + " MAX(CASE WHEN state = 'DELIVERED' THEN updated END),"
                            + " SUM(CASE WHEN state = 'PARKED' THEN 1 ELSE 0 END)"
                            + " FROM mailpipe_messages GROUP BY mailbox ORDER BY mailbox")) {
                while (rows.next()) {
                    String mailbox = rows.getString(1);
                    long lastDelivery = rows.getLong(6);
                    Optional<Instant> delivered =
                            rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(lastDelivery));
                    String[] error = lastErrors.get(mailbox);
                    summaries.add(new MailboxSummary(
                            mailbox,
                            rows.getLong(2),
                            rows.getLong(3),
                            rows.getLong(4),
                            rows.getLong(5),
                            rows.getLong(7),
                            delivered,
                            Optional.ofNullable(error).map(e -> e[0]),
                            Optional.ofNullable(error).map(e -> Instant.ofEpochMilli(Long.parseLong(e[1])))));
                }
            }
            return summaries;
        });
    }

    /** Records that the routes declare {@code mailbox}: it shows in {@link #polls} before its first poll. */
    public synchronized void declareMailbox(String mailbox) throws SQLException {
        long now = clock.millis();
        // Not fsync'd on its own (a poll record lost to a power cut costs nothing but a status line).
        withConnection(false, c -> {
            try (PreparedStatement insert = bound(
                    c,
                    "INSERT INTO mailpipe_polls (mailbox, declared_at) VALUES (?, ?) ON CONFLICT (mailbox) DO NOTHING",
                    mailbox,
                    now)) {
                return insert.executeUpdate();
            }
        });
    }

    /**
     * Records how a poll of {@code mailbox} ended: {@code error} empty for a poll that signed in and
     * listed the mailbox, else the diagnosis of why it could not. One statement, not fsync'd on its
     * own: it runs after every poll.
     */
    public synchronized void recordPoll(String mailbox, Optional<String> error) throws SQLException {
        long now = clock.millis();
        withConnection(false, c -> {
            try (PreparedStatement upsert = error.isEmpty()
                    ? bound(
                            c,
                            "INSERT INTO mailpipe_polls (mailbox, declared_at, last_poll, last_success, failures_in_row)"
                                    + " VALUES (?, ?, ?, ?, 0) ON CONFLICT (mailbox) DO UPDATE SET"
                                    + " last_poll = excluded.last_poll, last_success = excluded.last_success,"
                                    + " failures_in_row = 0",
                            mailbox,
                            now,
                            now,
                            now)
                    : bound(
                            c,
                            "INSERT INTO mailpipe_polls (mailbox, declared_at, last_poll, failures_in_row, last_error,"
                                    + " last_error_at) VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT (mailbox) DO UPDATE SET"
                                    + " last_poll = excluded.last_poll,"
                                    + " failures_in_row = mailpipe_polls.failures_in_row + 1,"
                                    + " last_error = excluded.last_error, last_error_at = excluded.last_error_at",
                            mailbox,
                            now,
                            now,
                            error.get(),
                            now)) {
                return upsert.executeUpdate();
            }
        });
    }

    /** Every mailbox declared or polled, by name, with how its polls ended. */
    public synchronized Map<String, PollRecord> polls() throws SQLException {
        return withConnection(c -> {
            Map<String, PollRecord> polls = new java.util.TreeMap<>();
            try (Statement query = c.createStatement();
                    ResultSet rows = query.executeQuery("SELECT mailbox, last_poll, last_success, failures_in_row,"
                            + " last_error, last_error_at FROM mailpipe_polls")) {
                while (rows.next()) {
                    polls.put(
                            rows.getString(1),
                            new PollRecord(
                                    instant(rows, 2),
                                    instant(rows, 3),
                                    rows.getInt(4),
                                    Optional.ofNullable(rows.getString(5)),
                                    instant(rows, 6)));
                }
            }
            return polls;
        });
    }

    private static Optional<Instant> instant(ResultSet row, int column) throws SQLException {
        long millis = row.getLong(column);
        return row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    /** Entries, newest first, optionally of one state, at most {@code limit}. */
    public synchronized List<LedgerEntry> list(Optional<DeliveryState> state, int limit) throws SQLException {
        return list(state, Optional.empty(), limit);
    }

    /** Entries, newest first, optionally of one state and one mailbox, at most {@code limit}. */
    public synchronized List<LedgerEntry> list(Optional<DeliveryState> state, Optional<String> mailbox, int limit)
            throws SQLException {
        return withConnection(c -> {
            List<String> conditions = new ArrayList<>();
            state.ifPresent(s -> conditions.add("state = ?"));
            mailbox.ifPresent(m -> conditions.add("mailbox = ?"));
            String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM mailpipe_messages" + where + " ORDER BY updated DESC LIMIT ?")) {
                int index = 1;
                if (state.isPresent()) {
                    query.setString(index++, state.get().name());
                }
                if (mailbox.isPresent()) {
                    query.setString(index++, mailbox.get());
                }
                query.setInt(index, limit);
                return entries(query);
            }
        });
    }

    private static List<LedgerEntry> entries(PreparedStatement query) throws SQLException {
        List<LedgerEntry> entries = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                entries.add(entry(rows));
            }
        }
        return entries;
    }

    private static Optional<LedgerEntry> find(Connection c, String key) throws SQLException {
        try (PreparedStatement query =
                c.prepareStatement("SELECT " + COLUMNS + " FROM mailpipe_messages WHERE message_key = ?")) {
            query.setString(1, key);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(entry(rows)) : Optional.empty();
            }
        }
    }

    private static LedgerEntry entry(ResultSet row) throws SQLException {
        long deletedAt = row.getLong("deleted_at");
        boolean deleted = !row.wasNull();
        return new LedgerEntry(
                row.getString("message_key"),
                row.getString("mailbox"),
                row.getString("uidl"),
                Optional.ofNullable(row.getString("message_id")),
                DeliveryState.valueOf(row.getString("state")),
                row.getInt("attempts"),
                Optional.ofNullable(row.getString("last_error")),
                Instant.ofEpochMilli(row.getLong("first_seen")),
                Instant.ofEpochMilli(row.getLong("updated")),
                deleted ? Optional.of(Instant.ofEpochMilli(deletedAt)) : Optional.empty(),
                Optional.ofNullable(row.getString("claimed_by")),
                sinks(row.getString("sinks_done")),
                row.getInt("generation"),
                listedSize(row),
                Optional.ofNullable(row.getString("header_digest")),
                row.getInt("lost_connections"),
                row.getInt("dele_sessions"));
    }

    private static Optional<Long> listedSize(ResultSet row) throws SQLException {
        long size = row.getLong("listed_size");
        return row.wasNull() ? Optional.empty() : Optional.of(size);
    }

    private static Set<String> sinks(String column) {
        return column == null || column.isBlank() ? Set.of() : Set.of(column.split(","));
    }

    /**
     * Makes every commit so far durable. On SQLite, a FULL checkpoint fsyncs the write-ahead log
     * and copies it into the database; it fails if another connection keeps it from completing.
     */
    public synchronized void syncToDisk() throws SQLException {
        if (!isSqlite()) {
            return;
        }
        withConnection(c -> {
            try (Statement checkpoint = c.createStatement();
                    ResultSet result = checkpoint.executeQuery("PRAGMA wal_checkpoint(FULL)")) {
                if (result.next() && result.getInt(1) != 0) {
                    throw new SQLException("the ledger's checkpoint was blocked by another connection");
                }
            }
            return null;
        });
    }

    private int update(String sql, Object... parameters) throws SQLException {
        return update(true, sql, parameters);
    }

    /** One statement in its own commit; {@code durable} false leaves the fsync to {@link #syncToDisk}. */
    private int update(boolean durable, String sql, Object... parameters) throws SQLException {
        return withConnection(durable, c -> {
            try (PreparedStatement statement = bound(c, sql, parameters)) {
                return statement.executeUpdate();
            }
        });
    }

    /** A statement with its parameters set, in order. */
    private static PreparedStatement bound(Connection c, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = c.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }

    /** Errors are for people reading the ledger; a few kilobytes say all there is to say. */
    private static String truncate(String error) {
        return error == null || error.length() <= 4000 ? error : error.substring(0, 4000) + "...";
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            // The connection is being dropped because it already failed; its close error adds nothing.
            org.slf4j.LoggerFactory.getLogger(Ledger.class).debug("Closing a failed ledger connection", e);
        }
        connection = null;
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
