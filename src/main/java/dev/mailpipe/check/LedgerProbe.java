package dev.mailpipe.check;

import dev.mailpipe.ledger.Ledger;
import dev.mailpipe.ledger.LedgerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ledger, looked at read-only beside any instance running on it: reachable, its schema
 * version, and whether a running mailpipe holds it. Never migrates, locks or writes.
 */
final class LedgerProbe {

    static final String PART = "ledger";

    private final LedgerSettings settings;

    LedgerProbe(LedgerSettings settings) {
        this.settings = settings;
    }

    Finding run() {
        String subject = settings.sqliteFile().map(Path::toString).orElse(settings.toString());
        Map<String, Object> facts = new LinkedHashMap<>();
        if (settings.sqliteFile().isPresent()
                && !Files.exists(settings.sqliteFile().get())) {
            Path file = settings.sqliteFile().get().toAbsolutePath();
            Path existing = FilesProbe.nearestExisting(file.getParent());
            if (existing == null || !Files.isWritable(existing)) {
                return Finding.failed(
                        PART,
                        subject,
                        "does not exist and cannot be made: " + existing + " is not writable" + " (check "
                                + LedgerSettings.DIR + ")");
            }
            facts.put("schemaVersion", 0);
            return Finding.ok(PART, subject, "embedded; does not exist yet and is made at the first run", facts);
        }
        try {
            Ledger.Peek peek = Ledger.peek(
                    settings.url(),
                    settings.username().orElse(null),
                    settings.password().orElse(null),
                    Clock.systemUTC());
            facts.put("schemaVersion", peek.schemaVersion());
            facts.put("liveInstances", peek.liveInstances());
            if (peek.schemaVersion() > Ledger.SCHEMA_VERSION) {
                return new Finding(
                        PART,
                        subject,
                        false,
                        "has schema version " + peek.schemaVersion() + ", newer than this mailpipe understands ("
                                + Ledger.SCHEMA_VERSION + "); upgrade mailpipe",
                        facts);
            }
            String kind = settings.sqliteFile().isPresent() ? "embedded" : "shared";
            String running = peek.liveInstances() == 0
                    ? "no mailpipe runs on it now"
                    : settings.sqliteFile().isPresent()
                            ? "a running mailpipe holds it (the embedded ledger serves one process; the check did not"
                                    + " disturb it)"
                            : peek.liveInstances() + " mailpipe instance(s) run on it now";
            return Finding.ok(
                    PART,
                    subject,
                    kind + "; schema version " + peek.schemaVersion() + (peek.schemaVersion() == 0 ? " (new)" : "")
                            + "; " + running,
                    facts);
        } catch (java.sql.SQLException e) {
            return Finding.failed(
                    PART,
                    subject,
                    "cannot read the ledger: " + e.getMessage() + " (check " + LedgerSettings.URL + ", "
                            + LedgerSettings.USERNAME + ", " + LedgerSettings.PASSWORD + " or " + LedgerSettings.DIR
                            + ")");
        }
    }
}
