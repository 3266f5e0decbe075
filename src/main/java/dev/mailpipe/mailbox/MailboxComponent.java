package dev.mailpipe.mailbox;

import dev.mailpipe.config.ConfigurationException;
import dev.mailpipe.config.Settings;
import dev.mailpipe.oauth.TokenSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.camel.Endpoint;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.mail.MailComponentConfigurer;
import org.apache.camel.component.mail.MailConfiguration;
import org.apache.camel.component.mail.MailEndpointConfigurer;
import org.apache.camel.spi.PropertyConfigurer;

/**
 * {@code mailbox:<host>?protocol=pop3s&username=...}: one POP3 or POP3S mailbox per endpoint, drained
 * by camel-mail's consumer with mailpipe's changes ({@link Pop3Consumer}). The mailbox options
 * ({@link #MAILBOX_OPTIONS}: the route template's parameters) are read here, and any left blank takes
 * the global {@code mailbox.<option>} property; other options are camel-mail's. Each endpoint keeps
 * its mailbox's state: credentials, UIDL keys, delivery tracker, deletion listener and {@link
 * MailboxStatus}. Two endpoints for the same mailbox are refused.
 */
public final class MailboxComponent extends MailComponent {

    /** The scheme mailpipe binds this component under. */
    public static final String SCHEME = "mailbox";

    /** Endpoint options that override the {@code mailbox.<option>} property of the same name. */
    public static final List<String> MAILBOX_OPTIONS = List.of(
            "provider",
            "protocol",
            "port",
            "username",
            "password",
            "passwordFile",
            "auth",
            "oauthTokenUrl",
            "oauthTenant",
            "oauthClientId",
            "oauthClientSecret",
            "oauthClientSecretFile",
            "oauthScope",
            "oauthRefreshTokenFile",
            "oauthTokenFile",
            "oauthTwoLine",
            "caFile",
            "starttls",
            "delete",
            "pollDelay",
            "batchSize",
            "batchBytes",
            "maxAttempts",
            "connectTimeout",
            "readTimeout");

    /**
     * The account's own secrets: a mailbox naming one of them takes none of the others from the
     * global settings (a global password beside its own refresh token would be "set together").
     */
    private static final List<String> ACCOUNT_SECRETS =
            List.of("password", "passwordFile", "oauthRefreshTokenFile", "oauthTokenFile");

    /** The secrets that belong to one user: a refresh token or an access token is never another user's. */
    private static final List<String> USER_TOKENS = List.of("oauthRefreshTokenFile", "oauthTokenFile");

    /**
     * The OAuth2 app a mailbox signs in through: a mailbox naming any of these takes none of the
     * others from the global settings (a global client secret must not go to its own token endpoint).
     */
    private static final List<String> OAUTH_APP = MAILBOX_OPTIONS.stream()
            .filter(option -> option.equals("auth") || (option.startsWith("oauth") && !USER_TOKENS.contains(option)))
            .toList();

    /** Endpoint option: the name of an environment variable holding the password. */
    public static final String PASSWORD_ENV = "passwordEnv";

    private static final PropertyConfigurer ENDPOINT_OPTIONS = new MailEndpointConfigurer();
    private static final PropertyConfigurer COMPONENT_OPTIONS = new MailComponentConfigurer();

    private final Settings defaults;
    private Function<String, String> environment = System::getenv;
    private final Function<MailboxId, DeletionListener> deletions;
    private final Consumer<MailboxStatus> observer;
    private final int maxInFlight;
    private final int maxSessions;
    /** The mailboxes' endpoints in the order their routes were created: the order their first polls are spread in. */
    private final List<MailboxEndpoint> mailboxes = new ArrayList<>();

    private ScheduledExecutorService polls;
    /** A one-shot run's idle limit: its mailboxes are polled at once; empty for a service. */
    private volatile Optional<Duration> oneShot = Optional.empty();

    /**
     * @param defaults the global settings, read for every mailbox option an endpoint leaves blank
     * @param deletions where each mailbox reports the deletions it sent (the ledger)
     * @param observer told of each new mailbox (health checks and metrics)
     * @param maxInFlight how many downloaded messages of one mailbox may wait for the sinks at once
     * @param maxSessions how many mailboxes may be in a POP3 session at once (the poll threads)
     */
    public MailboxComponent(
            Settings defaults,
            Function<MailboxId, DeletionListener> deletions,
            Consumer<MailboxStatus> observer,
            int maxInFlight,
            int maxSessions) {
        this.defaults = defaults;
        this.deletions = deletions;
        this.observer = observer;
        this.maxInFlight = maxInFlight;
        this.maxSessions = maxSessions;
    }

    /** Where {@code passwordEnv} looks its variable up (the process environment; tests choose their own). */
    void setEnvironment(Function<String, String> environment) {
        this.environment = environment;
    }

    /** camel-mail's generated option binder; Camel finds configurers by class name, and ours is a subclass. */
    @Override
    public PropertyConfigurer getEndpointPropertyConfigurer() {
        return ENDPOINT_OPTIONS;
    }

    @Override
    public PropertyConfigurer getComponentPropertyConfigurer() {
        return COMPONENT_OPTIONS;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MailConfiguration configuration = getConfiguration().copy();
        MailboxSettings mailbox = mailboxSettings(remaining, parameters);
        configuration.configureProtocol(mailbox.protocol());
        configuration.setHost(mailbox.host());
        configuration.setPort(mailbox.port());
        configuration.setUsername(mailbox.username());
        configuration.setAuthenticator(new MailboxCredentials(
                mailbox,
                mailbox.oauth()
                        .map(oauth -> TokenSource.of(
                                oauth, Duration.ofMillis(mailbox.connectTimeout()), Clock.systemUTC()))));
        configuration.setAdditionalJavaMailProperties(JavaMailProperties.of(mailbox));
        configuration.setDelete(mailbox.delete());
        configuration.setMapMailMessage(false);
        // Close the store after each poll: each batch is a session of its own anyway, and an open
        // store makes camel-mail's stop ask Angus isConnected(), which logs into every idle mailbox.
        configuration.setDisconnect(true);
        MailboxStatus status = new MailboxStatus(mailbox);
        oneShot.ifPresent(status::oneShot);
        MailboxEndpoint endpoint =
                new MailboxEndpoint(uri, this, configuration, status, deletions.apply(mailbox.id()), maxInFlight);
        endpoint.setDelay(mailbox.pollDelay());
        endpoint.setMaxMessagesPerPoll(mailbox.batchSize());
        // A drained batch is followed at once by the next; an empty poll waits for pollDelay.
        endpoint.setGreedy(true);
        endpoint.setMailUidGenerator(new UidlKeys(mailbox.id()));
        endpoint.setIdempotentRepository(new DeliveryTracker(mailbox, Clock.systemUTC()));
        endpoint.setIdempotentRepositoryRemoveOnCommit(false);
        endpoint.setPollStrategy(status);
        endpoint.setExceptionHandler(status);
        endpoint.setScheduledExecutorService(polls());
        // Whatever camel-mail option is left (a user's own tuning) applies on top.
        setProperties(endpoint, parameters);
        synchronized (mailboxes) {
            // As keys and folders see it: host names are compared ignoring case.
            String id = mailbox.id().toString();
            if (mailboxes.stream()
                    .anyMatch(other -> other.status().mailbox().toString().equals(id))) {
                throw declaredTwice(mailbox.id());
            }
            mailboxes.add(endpoint);
        }
        observer.accept(status);
        return endpoint;
    }

    /**
     * This is a one-shot run that ends after {@code maxIdle} without progress: every mailbox's first
     * poll is at once, not spread over the poll interval, and failed polls do not promise retries the
     * run will not make.
     */
    public void oneShot(Duration maxIdle) {
        oneShot = Optional.of(maxIdle);
    }

    static ConfigurationException declaredTwice(MailboxId mailbox) {
        return new ConfigurationException("Mailbox " + mailbox + " is declared twice: every mailbox may appear in"
                + " one route only (two routes would share its messages and its lock)");
    }

    /** The endpoint's mailbox options over the global {@code mailbox.*} settings, checked. */
    private MailboxSettings mailboxSettings(String host, Map<String, Object> parameters) {
        Map<String, String> own = new HashMap<>();
        own.put("host", host == null ? "" : host.strip());
        for (String option : MAILBOX_OPTIONS) {
            Object value = parameters.remove(option);
            if (value != null) {
                own.put(option, value.toString());
            }
        }
        Object passwordEnv = parameters.remove(PASSWORD_ENV);
        if (passwordEnv != null && !passwordEnv.toString().isBlank()) {
            own.put("password", fromEnvironment(passwordEnv.toString().strip(), describe(own)));
        }
        Set<String> noFallback = withoutFallback(own);
        String prefix = "mailbox.";
        Settings settings = new Settings(key -> {
            String option = key.startsWith(prefix) ? optionName(key.substring(prefix.length())) : "";
            if (given(own, option)) {
                return Optional.of(own.get(option));
            }
            return noFallback.contains(option) ? Optional.empty() : defaults.optional(key);
        });
        try {
            return MailboxSettings.from(settings);
        } catch (ConfigurationException e) {
            throw new ConfigurationException(
                    describe(own) + ": " + e.getMessage()
                            + " (or the parameter of its route, without the 'mailbox.' prefix)",
                    e);
        }
    }

    /**
     * Options that must not fall back to the global settings one by one, because they belong
     * together: a mailbox naming one of its account secrets names all it has; one naming a password
     * takes no OAuth2 app, and one naming any of its OAuth2 app's options names all of them; one
     * naming its user takes no global refresh token or token file (they are another user's); one
     * naming its protocol gets that protocol's port and STARTTLS; one naming its server gets no
     * global provider; one naming a provider gets that provider's settings, and if it differs from
     * the global provider, none of the global sign-in; and one on another server than the default
     * mailbox's ({@code mailbox.host}, else the global provider's) never gets the default mailbox's
     * user or sign-in.
     */
    private Set<String> withoutFallback(Map<String, String> own) {
        Set<String> noFallback = new HashSet<>();
        if (ACCOUNT_SECRETS.stream().anyMatch(option -> given(own, option))) {
            noFallback.addAll(ACCOUNT_SECRETS);
        }
        if (given(own, "password") || given(own, "passwordFile")) {
            // A password needs no OAuth2 app; a global mailbox.auth=xoauth2 would refuse it.
            noFallback.addAll(OAUTH_APP);
        }
        if (OAUTH_APP.stream().anyMatch(option -> given(own, option))) {
            noFallback.addAll(OAUTH_APP);
        }
        if (given(own, "username")) {
            noFallback.addAll(USER_TOKENS);
        }
        if (given(own, "protocol")) {
            noFallback.addAll(List.of("port", "starttls"));
        }
        Optional<MailboxProvider> globalProvider = MailboxProvider.of(defaults);
        Optional<MailboxProvider> provider =
                given(own, "provider") ? Optional.of(MailboxProvider.named(own.get("provider"))) : Optional.empty();
        if (given(own, "host")) {
            // Its own server: no provider's preset unless it names one.
            noFallback.add("provider");
        }
        provider.ifPresent(preset -> noFallback.addAll(preset.suppliedOptions()));
        if (provider.isPresent() && !provider.equals(globalProvider)) {
            noFallback.addAll(ACCOUNT_SECRETS);
            noFallback.addAll(OAUTH_APP);
        }
        // The default mailbox's server: mailbox.host, else the global provider's.
        Optional<String> defaultHost =
                defaults.optional(MailboxSettings.HOST).or(() -> globalProvider.map(MailboxProvider::host));
        String host = given(own, "host")
                ? own.get("host")
                : provider.map(MailboxProvider::host).orElse(null);
        if (host != null && defaultHost.isPresent() && !defaultHost.get().equalsIgnoreCase(host)) {
            noFallback.add("username");
            noFallback.addAll(ACCOUNT_SECRETS);
            noFallback.addAll(OAUTH_APP);
        }
        return noFallback;
    }

    /** The endpoint option of a {@code mailbox.} key: {@code oauth.tokenUrl -> oauthTokenUrl}. */
    static String optionName(String key) {
        int dot = key.indexOf('.');
        if (dot < 0 || dot == key.length() - 1) {
            return key;
        }
        return key.substring(0, dot) + Character.toUpperCase(key.charAt(dot + 1)) + optionName(key.substring(dot + 2));
    }

    private static boolean given(Map<String, String> own, String option) {
        String value = own.get(option);
        return value != null && !value.isBlank();
    }

    /**
     * The password from the environment variable a mailbox names ({@code passwordEnv}), taken as
     * written: unlike a {@code {{env:NAME}}} placeholder, its value never passes through the
     * endpoint URI, where characters such as {@code &} or {@code {{} would change its meaning.
     */
    private String fromEnvironment(String variable, String mailbox) {
        String value = environment.apply(variable);
        if (value == null || value.isBlank()) {
            throw new ConfigurationException(mailbox + ": " + PASSWORD_ENV + " names the environment" + " variable "
                    + variable + ", which is not set");
        }
        return value;
    }

    /** The mailbox as its route declares it: several mailboxes may share a host, so the user too. */
    private static String describe(Map<String, String> own) {
        String user = given(own, "username") ? own.get("username") + "@" : "";
        String server = given(own, "host") ? own.get("host") : given(own, "provider") ? own.get("provider") : "";
        return server.isEmpty() && user.isEmpty() ? "Mailbox" : "Mailbox " + user + server;
    }

    /**
     * The mailbox's first poll, spread over the poll interval by its place among all mailboxes:
     * hundreds of mailboxes do not log in in the same second, and their later polls keep the offsets.
     */
    long firstPollDelay(MailboxEndpoint endpoint) {
        synchronized (mailboxes) {
            int index = mailboxes.indexOf(endpoint);
            return index <= 0 || oneShot.isPresent() ? 0 : endpoint.getDelay() * index / mailboxes.size();
        }
    }

    /** Every mailbox's status, for a one-shot run's end. */
    public List<MailboxStatus> statuses() {
        synchronized (mailboxes) {
            return mailboxes.stream().map(MailboxEndpoint::status).toList();
        }
    }

    /**
     * The threads that poll: one per session at most {@code maxSessions}, shared by every mailbox. A
     * mailbox whose poll is due waits for a free thread, so a large fleet holds at most this many
     * sessions and threads.
     */
    private synchronized ScheduledExecutorService polls() {
        if (polls == null) {
            polls = getCamelContext()
                    .getExecutorServiceManager()
                    .newScheduledThreadPool(this, "MailboxPolls", maxSessions);
        }
        return polls;
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        synchronized (this) {
            if (polls != null) {
                getCamelContext().getExecutorServiceManager().shutdownNow(polls);
                polls = null;
            }
        }
    }
}
