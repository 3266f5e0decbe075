package dev.mailpipe.cluster;

import dev.mailpipe.ledger.Ledger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;

/**
 * Leases in the shared ledger's PostgreSQL database, so a deployment over several hosts needs
 * nothing beyond the ledger it already has. Two tables of its own beside the ledger's. Every time
 * is the database's clock ({@code clock_timestamp()}, epoch milliseconds): whether a lease or a
 * heartbeat has run out is decided where it is stored, so instances whose clocks disagree still
 * agree on who holds what. A lease changes hands in one conditional UPDATE: of two instances taking
 * an expired lease at once, the database lets one win.
 */
public final class JdbcLeaseStore implements LeaseStore {

    /** The database's time now, in epoch milliseconds. */
    private static final String NOW = "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT";

    private final String url;
    private final Properties credentials;
    /** Opened on first use and again after a failure (the database restarted, the network broke). */
    private Connection connection;

    private JdbcLeaseStore(String url, Properties credentials) {
        this.url = url;
        this.credentials = credentials;
    }

    /** Connects to the ledger's database and creates the cluster's tables if missing. */
    public static JdbcLeaseStore open(String url, String username, String password) throws SQLException {
        Properties properties = Ledger.credentials(username, password);
        // A half-open connection must fail a heartbeat, not hang it: the lease deadline depends on it.
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "10");
        JdbcLeaseStore store = new JdbcLeaseStore(url, properties);
        try {
            store.createTables();
        } catch (SQLException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = DriverManager.getConnection(url, credentials);
            connection.setAutoCommit(true);
        }
        return connection;
    }

    /** Runs one statement's work; a failure drops the connection so the next heartbeat reconnects. */
    private <T> T withConnection(Work<T> work) throws SQLException {
        try {
            return work.run(connection());
        } catch (SQLException e) {
            close();
            connection = null;
            throw e;
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private synchronized void createTables() throws SQLException {
        String[] tables = {
            "CREATE TABLE IF NOT EXISTS mailpipe_cluster_members ("
                    + "member_id VARCHAR(300) PRIMARY KEY, alive_until BIGINT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS mailpipe_cluster_leases ("
                    + "namespace VARCHAR(500) PRIMARY KEY, holder VARCHAR(300) NOT NULL, expires_at BIGINT NOT NULL)"
        };
        for (String table : tables) {
            try (Statement statement = connection().createStatement()) {
                statement.execute(table);
            } catch (SQLException e) {
                // Instances starting together race to create the table; the loser's table exists now.
                try (Statement again = connection().createStatement()) {
                    again.execute(table);
                }
            }
        }
    }

    @Override
    public synchronized void heartbeat(String member, Duration ttl) throws SQLException {
        withConnection(connection -> heartbeat(connection, member, ttl));
    }

    private Void heartbeat(Connection connection, String member, Duration ttl) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(
                "INSERT INTO mailpipe_cluster_members (member_id, alive_until) VALUES (?, " + NOW + " + ?)"
                        + " ON CONFLICT (member_id) DO UPDATE SET alive_until = excluded.alive_until")) {
            upsert.setString(1, member);
            upsert.setLong(2, ttl.toMillis());
            upsert.executeUpdate();
        }
        return null;
    }

    @Override
    public synchronized Set<String> members() throws SQLException {
        return withConnection(this::members);
    }

    private Set<String> members(Connection connection) throws SQLException {
        Set<String> members = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT member_id FROM mailpipe_cluster_members WHERE alive_until >= " + NOW)) {
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    members.add(rows.getString(1));
                }
            }
        }
        return members;
    }

    @Override
    public synchronized boolean acquire(String namespace, String member, Duration ttl) throws SQLException {
        return withConnection(connection -> acquire(connection, namespace, member, ttl));
    }

    private boolean acquire(Connection connection, String namespace, String member, Duration ttl) throws SQLException {
        try (PreparedStatement take = connection.prepareStatement("UPDATE mailpipe_cluster_leases SET holder = ?,"
                + " expires_at = " + NOW + " + ? WHERE namespace = ? AND (holder = ? OR expires_at < " + NOW + ")")) {
            take.setString(1, member);
            take.setLong(2, ttl.toMillis());
            take.setString(3, namespace);
            take.setString(4, member);
            if (take.executeUpdate() == 1) {
                return true;
            }
        }
        try (PreparedStatement first = connection.prepareStatement(
                "INSERT INTO mailpipe_cluster_leases (namespace, holder, expires_at) VALUES (?, ?, " + NOW + " + ?)"
                        + " ON CONFLICT (namespace) DO NOTHING")) {
            first.setString(1, namespace);
            first.setString(2, member);
            first.setLong(3, ttl.toMillis());
            return first.executeUpdate() == 1;
        }
    }

    @Override
    public synchronized void release(String namespace, String member) throws SQLException {
        withConnection(connection -> delete(
                connection,
                "DELETE FROM mailpipe_cluster_leases WHERE namespace = ? AND holder = ?",
                namespace,
                member));
    }

    @Override
    public synchronized void leave(String member) throws SQLException {
        withConnection(
                connection -> delete(connection, "DELETE FROM mailpipe_cluster_members WHERE member_id = ?", member));
    }

    private static Void delete(Connection connection, String sql, String... keys) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            for (int i = 0; i < keys.length; i++) {
                delete.setString(i + 1, keys[i]);
            }
            delete.executeUpdate();
        }
        return null;
    }

    @Override
    public synchronized void close() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            // Closing on the way out; the leases run out by themselves.
        }
    }

    @Override
    public String toString() {
        return "the ledger's database";
    }
}
