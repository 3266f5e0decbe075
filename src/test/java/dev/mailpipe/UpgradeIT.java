package dev.mailpipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.testing.JarProcess;
import dev.mailpipe.testing.SettingsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrades on the packaged jar: a ledger the previous build wrote (schema version 4, kept as test data
 * in src/test/resources/ledger/schema-4.sqlite, made by that build's own Ledger class at commit
 * 91d6304: two messages delivered, one deleted, one failing) is upgraded in place and keeps every
 * entry; a ledger newer
 * than this mailpipe stops it with exit code 2, naming both versions, and is not written to.
 */
class UpgradeIT {

    private static final Duration LIMIT = Duration.ofMinutes(1);
    private static final String OLD_MAILBOX = "pop3s://alice@pop.example.org:995";

    @TempDir
    Path workDir;

    private Path ledgerFile() throws Exception {
        return Files.createDirectories(workDir.resolve("ledger")).resolve("ledger.sqlite");
    }

    @Test
    void aLedgerOfThePreviousSchemaIsUpgradedInPlaceKeepingItsEntries() throws Exception {
        Files.copy(
                Path.of(UpgradeIT.class.getResource("/ledger/schema-4.sqlite").toURI()), ledgerFile());
        Path settings = SettingsFiles.write(workDir);

        JarProcess status =
                JarProcess.start(workDir, Map.of(), "status", "--json", "--properties", settings.toString());

        assertThat(status.awaitExit(LIMIT)).as(status.stderr()).isZero();
        assertThat(status.stdout())
                .contains("\"mailbox\":\"" + OLD_MAILBOX + "\"")
                .contains("\"delivered\":2");
        assertThat(schemaVersion()).isEqualTo(6);
        JarProcess list = JarProcess.start(workDir, Map.of(), "ledger", "list", "--properties", settings.toString());
        assertThat(list.awaitExit(LIMIT)).isZero();
        assertThat(list.stdout().lines().filter(line -> line.contains(OLD_MAILBOX)))
                .hasSize(3);
    }

    @Test
    void aLedgerNewerThanThisMailpipeStopsItWithExitTwoAndIsNotWrittenTo() throws Exception {
        Files.copy(
                Path.of(UpgradeIT.class.getResource("/ledger/schema-4.sqlite").toURI()), ledgerFile());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + ledgerFile());
                Statement newer = c.createStatement()) {
            newer.execute("INSERT INTO mailpipe_schema (version) VALUES (99)");
        }
        Path settings =
                SettingsFiles.write(workDir, "mailbox.host=localhost", "mailbox.username=a", "mailbox.password=b");
        JarProcess.copyRoutes(workDir);

        JarProcess run = JarProcess.start(workDir, Map.of(), "--properties", settings.toString());

        assertThat(run.awaitExit(LIMIT)).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr())
                .contains("schema version 99, newer than this mailpipe understands (6); upgrade mailpipe");
        assertThat(tableExists("mailpipe_polls"))
                .as("the newer ledger was not migrated")
                .isFalse();
    }

    private int schemaVersion() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + ledgerFile());
                Statement query = c.createStatement();
                ResultSet rows = query.executeQuery("SELECT MAX(version) FROM mailpipe_schema")) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    private boolean tableExists(String table) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + ledgerFile());
                ResultSet tables = c.getMetaData().getTables(null, null, table, null)) {
            return tables.next();
        }
    }
}
