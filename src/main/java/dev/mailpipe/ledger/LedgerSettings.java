package dev.mailpipe.ledger;

import dev.mailpipe.config.FileModes;
import dev.mailpipe.config.Settings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the ledger lives ({@code ledger.*} properties): a SQLite file under {@code ledger.dir} by
 * default, or the PostgreSQL database at {@code ledger.url} that several instances share.
 */
public record LedgerSettings(
        String url,
        Optional<String> username,
        Optional<String> password,
        Duration heartbeat,
        Duration retention,
        String instanceId,
        Optional<Path> lockFile) {

    public static final String DIR = "ledger.dir";
    public static final String URL = "ledger.url";
    public static final String USERNAME = "ledger.username";
    public static final String PASSWORD = "ledger.password";
    public static final String HEARTBEAT_SECONDS = "ledger.heartbeatSeconds";
    public static final String RETENTION_DAYS = "ledger.retentionDays";
    public static final String INSTANCE_ID = "ledger.instanceId";

    public static LedgerSettings from(Settings settings) {
        return from(settings, true);
    }

    /** The settings as {@link #from} reads them, without making the embedded ledger's folder (for a check). */
    public static LedgerSettings located(Settings settings) {
        return from(settings, false);
    }

    private static LedgerSettings from(Settings settings, boolean makeFolder) {
        Optional<String> shared = settings.optional(URL);
        if (shared.isPresent() && !shared.get().startsWith("jdbc:postgresql:")) {
            throw Settings.invalid(URL, "must be a jdbc:postgresql: URL (or unset for the embedded SQLite file)");
        }
        Path dir = shared.isPresent()
                ? null
                : makeFolder ? sqliteDir(settings) : Path.of(settings.string(DIR, "mailpipe-data"));
        return new LedgerSettings(
                shared.orElseGet(
                        () -> "jdbc:sqlite:" + dir.resolve("ledger.sqlite").toAbsolutePath()),
                settings.optional(USERNAME),
                settings.optional(PASSWORD),
                Duration.ofSeconds(settings.number(HEARTBEAT_SECONDS, 5, 1, 300)),
                Duration.ofDays(settings.number(RETENTION_DAYS, 30, 1, 36_500)),
                settings.optional(INSTANCE_ID).orElseGet(LedgerSettings::defaultInstanceId),
                Optional.ofNullable(dir).map(d -> d.resolve("ledger.lock").toAbsolutePath()));
    }

    /**
     * How long an instance counts as alive after its last heartbeat: three heartbeats, so one slow
     * write does not hand its messages to another instance.
     */
    public Duration lease() {
        return heartbeat.multipliedBy(3);
    }

    private static Path sqliteDir(Settings settings) {
        Path dir = Path.of(settings.string(DIR, "mailpipe-data"));
        try {
            FileModes.PRIVATE.createFolders(dir);
        } catch (IOException e) {
            throw Settings.invalid(DIR, "names a folder that cannot be created: " + dir + " (" + e + ")");
        }
        return dir;
    }

    /**
     * Host, process and a random part: unique among instances sharing a ledger even where HOSTNAME
     * is not exported (systemd, cron) or containers share a host name and all run as pid 1; a
     * restarted process is a new instance.
     */
    private static String defaultInstanceId() {
        String host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
        return host + "/" + ProcessHandle.current().pid() + "/"
                + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /** The embedded ledger's file; empty for a shared ledger. */
    public Optional<Path> sqliteFile() {
        return url.startsWith("jdbc:sqlite:")
                ? Optional.of(Path.of(url.substring("jdbc:sqlite:".length())))
                : Optional.empty();
    }

    /** Hides the password from accidental logging. */
    @Override
    public String toString() {
        return url.replaceAll("password=[^&]*", "password=xxxxxx");
    }
}
