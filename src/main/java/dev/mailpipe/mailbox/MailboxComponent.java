package dev.mailpipe.mailbox;

import dev.mailpipe.config.ConfigurationException;
import dev.mailpipe.config.Settings;
import dev.mailpipe.oauth.TokenSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.camel.Endpoint;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.mail.MailConfiguration;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.PluginHelper;

/**
 * {@code mailbox:<host>?protocol=pop3s&username=...}: one POP3 or POP3S mailbox per endpoint, drained
 * by camel-mail's consumer with mailpipe's changes ({@link Pop3Consumer}). The mailbox options are
 * declared once, in {@link MailboxConfiguration}; the component's defaults are the global {@code
 * mailbox.*} settings, and an endpoint copies them and applies its own options (as camel-kafka's
 * component does), by the rules of {@link MailboxOptionGroups}. Other options are camel-mail's. Each
 * endpoint keeps its mailbox's state: credentials, UIDL keys, delivery tracker, deletion listener and
 * {@link MailboxStatus}. Two endpoints for the same mailbox are refused.
 */
@Component(MailboxComponent.SCHEME)
public final class MailboxComponent extends MailComponent {

    /** The scheme mailpipe binds this component under. */
    public static final String SCHEME = "mailbox";

    /** Endpoint option: the name of an environment variable holding the password. */
    public static final String PASSWORD_ENV = "passwordEnv";

    private final Settings defaults;
    private Function<String, String> environment = System::getenv;
    private final Function<MailboxId, DeletionListener> deletions;
    private final Consumer<MailboxStatus> observer;
    private final int maxInFlight;
    private final int maxSessions;
    /** The mailboxes' endpoints in the order their routes were created: the order their first polls are spread in. */
    private final List<MailboxEndpoint> mailboxes = new ArrayList<>();

    private ScheduledExecutorService polls;
    private MailboxConfiguration globalOptions;
    private PropertyConfigurer optionBinder;
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

    /**
     * The default mailbox's route names neither host nor options (all come from the global settings),
     * and {@code mailbox://} alone is not a URI Java parses: it is read as {@code mailbox://?}.
     */
    @Override
    public Endpoint createEndpoint(String uri, Map<String, Object> properties) throws Exception {
        return super.createEndpoint(uri.equals(SCHEME + "://") ? uri + "?" : uri, properties);
    }

    @Override
    public Endpoint createEndpoint(String uri) throws Exception {
        return super.createEndpoint(uri.equals(SCHEME + "://") ? uri + "?" : uri);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MailConfiguration configuration = getConfiguration().copy();
        MailboxConfiguration own = ownOptions(parameters);
        MailboxSettings mailbox = mailboxSettings(remaining, own);
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
        endpoint.setMailboxConfiguration(own);
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

    /** The component's defaults: the global {@code mailbox.*} settings, read once. */
    public synchronized MailboxConfiguration getMailboxConfiguration() {
        if (globalOptions == null) {
            MailboxConfiguration options = new MailboxConfiguration();
            for (String option : MailboxConfiguration.OPTIONS) {
                if (!MailboxOptionGroups.PER_MAILBOX_ONLY.contains(option)) {
                    defaults.optional(MailboxConfiguration.settingOf(option))
                            .ifPresent(value -> set(options, option, value));
                }
            }
            globalOptions = options;
        }
        return globalOptions;
    }

    /** Takes the endpoint's mailbox options out of its parameters; what is left is camel-mail's. */
    private MailboxConfiguration ownOptions(Map<String, Object> parameters) {
        MailboxConfiguration own = new MailboxConfiguration();
        for (String option : MailboxConfiguration.OPTIONS) {
            Object value = parameters.remove(option);
            if (value != null) {
                set(own, option, value.toString());
            }
        }
        return own;
    }

    /**
     * The endpoint's mailbox settings, checked: a copy of the component's defaults without those that
     * must not fall back ({@link MailboxOptionGroups}), with the endpoint's own options applied.
     */
    private MailboxSettings mailboxSettings(String host, MailboxConfiguration ownOptions) {
        Map<String, String> own = new HashMap<>();
        if (host != null && !host.isBlank()) {
            own.put("host", host.strip());
        }
        for (String option : MailboxConfiguration.OPTIONS) {
            String value = get(ownOptions, option);
            if (value != null && !value.isBlank()) {
                own.put(option, value);
            }
        }
        if (own.containsKey(PASSWORD_ENV)) {
            own.put("password", fromEnvironment(own.get(PASSWORD_ENV).strip(), describe(own)));
        }
        Optional<MailboxProvider> globalProvider = MailboxProvider.of(defaults);
        // The default mailbox's server: mailbox.host, else the global provider's.
        Optional<String> defaultHost =
                defaults.optional(MailboxSettings.HOST).or(() -> globalProvider.map(MailboxProvider::host));
        Set<String> noFallback = MailboxOptionGroups.withoutFallback(own, globalProvider, defaultHost);
        MailboxConfiguration options = getMailboxConfiguration().copy();
        for (String option : noFallback) {
            if (MailboxConfiguration.OPTIONS.contains(option)) {
                set(options, option, null);
            }
        }
        own.forEach((option, value) -> {
            if (MailboxConfiguration.OPTIONS.contains(option)) {
                set(options, option, value);
            }
        });
        Settings settings = new Settings(key -> {
            if (key.equals(MailboxSettings.HOST)) {
                // The path, not an option: a provider's preset supplies it when the endpoint names none.
                return Optional.ofNullable(own.get("host"))
                        .or(() -> noFallback.contains("host") ? Optional.empty() : defaults.optional(key));
            }
            String option = MailboxConfiguration.optionOf(key);
            return MailboxConfiguration.OPTIONS.contains(option)
                    ? Optional.ofNullable(get(options, option))
                    : defaults.optional(key);
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

    /** Sets an option through the binder Camel's tooling generates from {@link MailboxConfiguration}. */
    private void set(MailboxConfiguration options, String option, String value) {
        optionBinder().configure(getCamelContext(), options, option, value, false);
    }

    private String get(MailboxConfiguration options, String option) {
        return (String) ((PropertyConfigurerGetter) optionBinder()).getOptionValue(options, option, false);
    }

    /** The generated binder of {@link MailboxConfiguration}, found as Camel finds every configurer. */
    private synchronized PropertyConfigurer optionBinder() {
        if (optionBinder == null) {
            PropertyConfigurer found = PluginHelper.getConfigurerResolver(getCamelContext())
                    .resolvePropertyConfigurer(MailboxConfiguration.class.getName(), getCamelContext());
            if (!(found instanceof PropertyConfigurerGetter)) {
                throw new IllegalStateException("The generated configurer of " + MailboxConfiguration.class.getName()
                        + " is missing: build with mvn, which runs camel-package-maven-plugin");
            }
            optionBinder = found;
        }
        return optionBinder;
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
        String user = own.containsKey("username") ? own.get("username") + "@" : "";
        String server =
                own.containsKey("host") ? own.get("host") : own.containsKey("provider") ? own.get("provider") : "";
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
