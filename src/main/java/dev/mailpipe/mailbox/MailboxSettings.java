package dev.mailpipe.mailbox;

import dev.mailpipe.config.ConfigurationException;
import dev.mailpipe.config.Settings;
import dev.mailpipe.oauth.OAuthSettings;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The mailbox account to drain, read from the {@code mailbox.*} properties (over the defaults of the
 * {@code mailbox.provider} named, if any) and validated before any route starts. {@code password} is
 * empty when the mailbox signs in with OAuth2 ({@code oauth}).
 */
public record MailboxSettings(
        String protocol,
        String host,
        int port,
        String username,
        String password,
        Optional<OAuthSettings> oauth,
        boolean starttls,
        Optional<Path> caFile,
        boolean delete,
        long pollDelay,
        int batchSize,
        long batchBytes,
        int maxAttempts,
        int connectTimeout,
        int readTimeout) {

    public static final String PROTOCOL = "mailbox.protocol";
    public static final String PROVIDER = MailboxProvider.PROVIDER;
    public static final String HOST = "mailbox.host";
    public static final String PORT = "mailbox.port";
    public static final String USERNAME = "mailbox.username";
    public static final String PASSWORD = "mailbox.password";
    public static final String PASSWORD_FILE = "mailbox.passwordFile";
    public static final String STARTTLS = "mailbox.starttls";
    public static final String CA_FILE = "mailbox.caFile";
    public static final String DELETE = "mailbox.delete";
    public static final String POLL_DELAY = "mailbox.pollDelay";
    public static final String BATCH_SIZE = "mailbox.batchSize";
    public static final String BATCH_BYTES = "mailbox.batchBytes";
    public static final String MAX_ATTEMPTS = "mailbox.maxAttempts";
    /** Milliseconds to connect and to receive the server's greeting. */
    public static final String CONNECT_TIMEOUT = "mailbox.connectTimeout";
    /** Milliseconds of silence from the server, once connected, before the session is given up. */
    public static final String READ_TIMEOUT = "mailbox.readTimeout";
    /** The size of the sink thread pool all mailboxes share (checked where the pool is made). */
    public static final String SINK_THREADS = "mailbox.sinkThreads";

    /** Reads and checks every mailbox property; throws a {@link ConfigurationException} naming the first bad one. */
    public static MailboxSettings from(Settings given) {
        Optional<MailboxProvider> provider = MailboxProvider.of(given);
        Settings settings = provider.map(preset -> preset.beneath(given)).orElse(given);
        String protocol = settings.string(PROTOCOL, "pop3s");
        if (!protocol.equals("pop3") && !protocol.equals("pop3s")) {
            throw Settings.invalid(PROTOCOL, "must be pop3 or pop3s, got '" + protocol + "'");
        }
        String host = settings.required(HOST);
        int port = (int) settings.number(PORT, protocol.equals("pop3s") ? 995 : 110, 1, 65535);
        String username = settings.required(USERNAME);
        Optional<OAuthSettings> oauth = OAuthSettings.from(settings);
        provider.ifPresent(preset -> preset.check(oauth));
        Optional<String> secret = settings.secret(PASSWORD, PASSWORD_FILE);
        if (oauth.isPresent() && secret.isPresent()) {
            throw Settings.invalid(
                    PASSWORD, "is set, but " + OAuthSettings.AUTH + "=xoauth2 signs in with access tokens; remove it");
        }
        String password = oauth.isPresent()
                ? ""
                : secret.orElseThrow(() ->
                        Settings.invalid(PASSWORD, "is not set (or set " + PASSWORD_FILE + " to a file holding it)"));
        boolean starttls = settings.bool(STARTTLS, false);
        if (starttls && protocol.equals("pop3s")) {
            throw Settings.invalid(STARTTLS, "applies to pop3 only; pop3s is TLS from the first byte");
        }
        Optional<Path> caFile = settings.readableFile(CA_FILE);
        boolean delete = settings.bool(DELETE, true);
        long pollDelay = settings.number(POLL_DELAY, 60_000, 1, Long.MAX_VALUE);
        int batchSize = (int) settings.number(BATCH_SIZE, 500, 1, 10_000);
        long batchBytes = settings.number(BATCH_BYTES, 256L * 1024 * 1024, 1, Long.MAX_VALUE);
        int maxAttempts = (int) settings.number(MAX_ATTEMPTS, 5, 1, 1_000);
        int connectTimeout = (int) settings.number(CONNECT_TIMEOUT, 30_000, 100, 600_000);
        int readTimeout = (int) settings.number(READ_TIMEOUT, 120_000, 100, 3_600_000);
        return new MailboxSettings(
                protocol,
                host,
                port,
                username,
                password,
                oauth,
                starttls,
                caFile,
                delete,
                pollDelay,
                batchSize,
                batchBytes,
                maxAttempts,
                connectTimeout,
                readTimeout);
    }

    /** The account this mailbox is, without secrets: {@code pop3s://user@host:port}. */
    public MailboxId id() {
        return new MailboxId(protocol, host, port, username);
    }

    /** Hides the password from accidental logging. */
    @Override
    public String toString() {
        return id()
                + (starttls ? " (STARTTLS)" : "")
                + oauth.map(o -> " (" + o + ")").orElse("");
    }
}
