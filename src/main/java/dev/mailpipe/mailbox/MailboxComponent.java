package dev.mailpipe.mailbox;

import dev.mailpipe.config.ConfigurationException;
import dev.mailpipe.config.Settings;
import dev.mailpipe.oauth.TokenSources;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Delayed;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.camel.Endpoint;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.mail.MailConfiguration;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.util.concurrent.SizedScheduledExecutorService;

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

    private final MailboxOptions options;
    private final Function<MailboxId, DeletionListener> deletions;
    private final Consumer<MailboxStatus> observer;
    private final int maxInFlight;
    private final int maxSessions;
    /** The mailboxes' endpoints in the order their routes were created: the order their first polls are spread in. */
    private final List<MailboxEndpoint> mailboxes = new ArrayList<>();
    /** One token per app and user, shared by the mailboxes that sign in as them. */
    private final TokenSources tokens = new TokenSources(Clock.systemUTC());

    private volatile ScheduledExecutorService polls;
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
        this.options = new MailboxOptions(defaults);
        this.deletions = deletions;
        this.observer = observer;
        this.maxInFlight = maxInFlight;
        this.maxSessions = maxSessions;
    }

    /** Where {@code passwordEnv} looks its variable up (the process environment; tests choose their own). */
    void setEnvironment(Function<String, String> environment) {
        options.setEnvironment(environment);
    }

    /**
     * The default mailbox's route names neither host nor options (all come from the global settings),
     * and {@code mailbox://} alone is not a URI Java parses: it is read as {@code mailbox://?}.
     */
    @Override
    public Endpoint createEndpoint(String uri, Map<String, Object> properties) throws Exception {
        return super.createEndpoint(parseable(uri), properties);
    }

    @Override
    public Endpoint createEndpoint(String uri) throws Exception {
        return super.createEndpoint(parseable(uri));
    }

    private static String parseable(String uri) {
        return uri.equals(SCHEME + "://") ? uri + "?" : uri;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MailConfiguration configuration = getConfiguration().copy();
        MailboxConfiguration own = options.take(getCamelContext(), parameters);
        MailboxSettings mailbox = options.settings(getCamelContext(), remaining, own);
        configuration.configureProtocol(mailbox.protocol());
        configuration.setHost(mailbox.host());
        configuration.setPort(mailbox.port());
        configuration.setUsername(mailbox.username());
        configuration.setAuthenticator(new MailboxCredentials(
                mailbox,
                mailbox.oauth()
                        .map(oauth ->
                                tokens.of(oauth, mailbox.username(), Duration.ofMillis(mailbox.connectTimeout())))));
        configuration.setAdditionalJavaMailProperties(JavaMailProperties.of(mailbox));
        configuration.setDelete(mailbox.delete());
        configuration.setMapMailMessage(false);
        // Close the store after each poll: each batch is a session of its own anyway, and an open
        // store makes camel-mail's stop ask Angus isConnected(), which logs into every idle mailbox.
        configuration.setDisconnect(true);
        MailboxStatus status = new MailboxStatus(mailbox);
        oneShot.ifPresent(status.polls()::oneShot);
        MailboxEndpoint endpoint =
                new MailboxEndpoint(uri, this, configuration, status, deletions.apply(mailbox.id()), maxInFlight);
        endpoint.setDelay(mailbox.pollDelay());
        endpoint.setMaxMessagesPerPoll(mailbox.batchSize());
        // A drained batch is followed at once by the next; an empty poll waits for pollDelay.
        endpoint.setGreedy(true);
        endpoint.setMailUidGenerator(new UidlKeys(mailbox.id()));
        endpoint.setIdempotentRepository(new DeliveryTracker(mailbox, Clock.systemUTC()));
        endpoint.setIdempotentRepositoryRemoveOnCommit(false);
        endpoint.setPollStrategy(status.polls());
        endpoint.setExceptionHandler(status.polls());
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

    /**
     * Whether a mailbox's poll is due and waits for a free poll thread. A mailbox with more mail then
     * ends its greedy draining after the batch instead of holding the thread batch after batch, and
     * is polled again behind the waiting ones ({@link #pollAgain}): with more backlogs than threads,
     * every mailbox still gets its turn within a batch's time of being due.
     */
    boolean pollsWaiting() {
        ScheduledExecutorService executor = polls;
        // Camel hands out its pools wrapped in a SizedScheduledExecutorService.
        ScheduledThreadPoolExecutor pool = executor instanceof SizedScheduledExecutorService sized
                ? sized.getScheduledThreadPoolExecutor()
                : executor instanceof ScheduledThreadPoolExecutor plain ? plain : null;
        if (pool == null) {
            return false;
        }
        // The queue's iterator walks a copy: safe while threads take and add tasks.
        for (Runnable task : pool.getQueue()) {
            if (task instanceof Delayed due && due.getDelay(TimeUnit.NANOSECONDS) <= 0) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code poll} as soon as a poll thread is free, after the polls that were due before it. */
    void pollAgain(Runnable poll) {
        ScheduledExecutorService executor = polls;
        if (executor == null) {
            return;
        }
        try {
            executor.execute(poll);
        } catch (RejectedExecutionException stopping) {
            // The component is stopping: there is no next poll to make.
        }
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
