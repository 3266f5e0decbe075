package dev.mailpipe.runner;

import dev.mailpipe.config.BuildInfo;
import dev.mailpipe.config.ConfigurationException;
import dev.mailpipe.config.FileModes;
import dev.mailpipe.config.Settings;
import dev.mailpipe.files.AtomicFiles;
import dev.mailpipe.files.FilesComponent;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.files.LeftoverParts;
import dev.mailpipe.files.StoreDeadLetter;
import dev.mailpipe.files.StoreRawMessage;
import dev.mailpipe.kafka.KafkaFailures;
import dev.mailpipe.kafka.KafkaRecords;
import dev.mailpipe.kafka.KafkaSettings;
import dev.mailpipe.kafka.KafkaSinkComponent;
import dev.mailpipe.ledger.ClaimMessage;
import dev.mailpipe.ledger.DeliveryFailures;
import dev.mailpipe.ledger.InstanceLease;
import dev.mailpipe.ledger.Ledger;
import dev.mailpipe.ledger.LedgerAppendJournal;
import dev.mailpipe.ledger.LedgerDeletions;
import dev.mailpipe.ledger.LedgerSettings;
import dev.mailpipe.ledger.MarkDeadLettered;
import dev.mailpipe.ledger.MarkDelivered;
import dev.mailpipe.ledger.MarkSinkDone;
import dev.mailpipe.ledger.StepErrorBoundary;
import dev.mailpipe.mailbox.MailboxComponent;
import dev.mailpipe.mailbox.MailboxFailure;
import dev.mailpipe.mailbox.MailboxSettings;
import dev.mailpipe.mailbox.MailboxStatus;
import dev.mailpipe.oauth.OAuthSettings;
import dev.mailpipe.ops.Observability;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates mailpipe's shared properties before any route starts and binds what the YAML routes
 * refer to: the ledger's steps ({@code #claimMessage}, {@code #markDelivered}, ...), the {@code
 * mailbox:} and {@code mailpipe-files:} components, the sink thread pool, Kafka. A bad setting stops
 * the start here, naming the property; each mailbox's own settings are checked when its endpoint is
 * made.
 */
public final class MailpipeBeans implements CamelConfiguration {

    /**
     * For {@code mailpipe check}: the routes load as the runner loads them, but nothing is opened,
     * made or joined (no ledger, no files folder, no cluster, no management port) and no route starts.
     */
    private final boolean checkOnly;

    /** The runner's beans: everything opened, ready to drain. */
    public MailpipeBeans() {
        this(false);
    }

    MailpipeBeans(boolean checkOnly) {
        this.checkOnly = checkOnly;
    }

    private static final Logger LOG = LoggerFactory.getLogger(MailpipeBeans.class);

    private static final String SINK_IMAP_PASSWORD = "sink.imap.password";

    private static final String SINK_IMAP_PASSWORD_BEAN = "sinkImapPassword";

    /** The thread pool of every mailbox's sinks, named by the route template's threads step. */
    public static final String SINK_THREADS_BEAN = "mailpipeSinkThreads";

    /** How many mailboxes may be in a POP3 session at once. */
    public static final String MAX_SESSIONS = "mailbox.maxSessions";

    /**
     * Settings read as written: a generated password may contain {@code {{...}}}, which Camel would
     * otherwise resolve as a property placeholder (and fail on, or worse, substitute).
     */
    private static final Set<String> SECRETS = Set.of(
            MailboxSettings.PASSWORD,
            OAuthSettings.CLIENT_SECRET,
            LedgerSettings.PASSWORD,
            SINK_IMAP_PASSWORD,
            "sink.kafka.saslJaasConfig",
            "sink.kafka.sslTruststorePassword");

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = settings(context);
        FileModes fileModes = FileModes.parse(
                FilesLayout.CHMOD,
                settings.string(FilesLayout.CHMOD, "600"),
                FilesLayout.CHMOD_DIRECTORY,
                settings.string(FilesLayout.CHMOD_DIRECTORY, "700"));
        String filesDir = settings.string(FilesLayout.DIR, "mailpipe-out");
        if (!FileModes.POSIX) {
            LOG.info(
                    "This file system has no POSIX file modes: stored mail and the ledger get the platform's defaults");
        }
        warnIfOpenToOthers("files", Path.of(filesDir), fileModes);
        if (settings.optional(LedgerSettings.URL).isEmpty()) {
            warnIfOpenToOthers(
                    "ledger", Path.of(settings.string(LedgerSettings.DIR, "mailpipe-data")), FileModes.PRIVATE);
        }
        LedgerSettings ledgerSettings = checkOnly ? LedgerSettings.located(settings) : LedgerSettings.from(settings);
        Path filesRoot;
        // In a check, the steps are bound only so that the routes load; none runs, so none needs the ledger.
        Ledger ledger = null;
        if (checkOnly) {
            filesRoot = Path.of(filesDir).toAbsolutePath();
        } else {
            filesRoot = FilesComponent.writableFolder(filesDir, fileModes);
            ledger = openLedger(ledgerSettings);
            context.addService(new LedgerService(ledger));
            // Temporary files name this instance, so that a later start can remove them if it is killed.
            AtomicFiles.ownedBy(ledgerSettings.instanceId());
            // A killed instance's temporary files: with the embedded ledger its process is gone for
            // sure; on a shared ledger an instance counts as stopped when its heartbeat ran out, so
            // its file must also have been still for longer than a download's silence could last.
            Path parts = filesRoot;
            Duration quiet = ledgerSettings.lockFile().isPresent() ? Duration.ZERO : Duration.ofMinutes(10);
            // Stopped before the ledger closes (Camel stops services in reverse order).
            context.addService(InstanceLease.join(
                    ledger, ledgerSettings, context, stopped -> LeftoverParts.remove(parts, stopped, quiet)));
        }
        Clock clock = Clock.systemUTC();

        Registry registry = context.getRegistry();
        // mailbox: endpoints are camel-mail's POP3 with one endpoint (and its state) per mailbox.
        // Downloads may run ahead of the sinks by twice their threads (at least 8): every sink thread
        // stays busy, and an outage stops the download within a few messages.
        int sinkThreads = (int) settings.number(MailboxSettings.SINK_THREADS, 4, 1, 256);
        int maxSessions = (int) settings.number(MAX_SESSIONS, 8, 1, 1024);
        Consumer<MailboxStatus> observer = checkOnly ? status -> {} : Observability.install(context, settings);
        if (!checkOnly) {
            MailboxClustering.install(context, settings, ledgerSettings);
        }
        Ledger deliveries = ledger;
        MailboxComponent mailboxes = new MailboxComponent(
                settings,
                mailbox -> new LedgerDeletions(deliveries, mailbox, ledgerSettings.retention(), clock),
                status -> {
                    warnIfPlain(status.settings());
                    observer.accept(status);
                    if (deliveries != null) {
                        recordPolls(deliveries, status);
                    }
                },
                Math.max(8, 2 * sinkThreads),
                maxSessions);
        registry.bind(MailboxComponent.SCHEME, mailboxes);
        registry.bind(FilesComponent.SCHEME, new FilesComponent(clock, fileModes, !checkOnly));
        // One pool stores and publishes for every mailbox; its queue is bounded by each mailbox's
        // downloads in flight.
        registry.bind(SINK_THREADS_BEAN, sinkPool(context, sinkThreads));
        // The IMAP password, kept out of the endpoint URI where Camel would parse it.
        registry.bind(SINK_IMAP_PASSWORD_BEAN, settings.string(SINK_IMAP_PASSWORD, ""));
        // The IMAP sink's APPENDs journaled on each message's ledger entry: no SEARCH on the normal path.
        registry.bind("imapAppendJournal", new LedgerAppendJournal(ledger));
        bindStep(registry, "claimMessage", new ClaimMessage(ledger, ledgerSettings));
        bindStep(registry, "markFilesStored", new MarkSinkDone(ledger, StoreRawMessage.SINK));
        KafkaSettings kafka = KafkaSettings.from(settings);
        registry.bind("kafka", KafkaSinkComponent.of(kafka));
        registry.bind("kafkaRecords", new KafkaRecords(kafka));
        bindStep(registry, "markKafkaPublished", new MarkSinkDone(ledger, KafkaRecords.EVENT, true));
        bindStep(registry, "markKafkaRawPublished", new MarkSinkDone(ledger, KafkaRecords.RAW, true));
        bindStep(registry, "markDelivered", new MarkDelivered(ledger));
        // Not wrapped: the error handler also calls its isFinalAttempt method by name.
        registry.bind("deliveryFailures", new DeliveryFailures(ledger, new KafkaFailures(kafka)::outageIn));
        bindStep(registry, "storeDeadLetter", new StoreDeadLetter(filesRoot, fileModes));
        bindStep(registry, "markDeadLettered", new MarkDeadLettered(ledger));
        if (checkOnly) {
            return;
        }
        LOG.info(
                "Draining mailboxes with {} (ledger {}, {}, {} sink threads, at most {} POP3 sessions at once)",
                BuildInfo.current(),
                ledgerSettings,
                kafka,
                sinkThreads,
                maxSessions);
    }

    /** mailpipe's settings as the loaded context resolves them, secrets taken as written. */
    public static Settings settings(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        return new Settings(key -> properties.resolveProperty(SECRETS.contains(key) ? key + "?nested=false" : key));
    }

    /**
     * The ledger learns of every declared mailbox and of how each poll ends, so that {@code status}
     * shows a mailbox that cannot be polled without the management port. A ledger that cannot take
     * the record costs the record only (the poll's outcome is in the log and the health checks).
     */
    private static void recordPolls(Ledger ledger, MailboxStatus status) {
        String mailbox = status.mailbox().toString();
        try {
            ledger.declareMailbox(mailbox);
        } catch (java.sql.SQLException e) {
            LOG.debug("Mailbox {}: the ledger did not record it: {}", mailbox, e.toString());
        }
        status.polls().onPollEnded(outcome -> {
            try {
                ledger.recordPoll(mailbox, outcome.map(MailboxFailure.Diagnosis::description));
            } catch (java.sql.SQLException e) {
                LOG.debug("Mailbox {}: the ledger did not record the poll: {}", mailbox, e.toString());
            }
        });
    }

    private static void warnIfPlain(MailboxSettings mailbox) {
        if (mailbox.protocol().equals("pop3") && !mailbox.starttls()) {
            LOG.warn(
                    "Mailbox {} uses plain POP3 without STARTTLS: the password crosses the network unencrypted."
                            + " Use protocol pop3s or starttls=true.",
                    mailbox.id());
        }
    }

    private static ExecutorService sinkPool(CamelContext context, int threads) {
        ThreadPoolProfile profile = new ThreadPoolProfileBuilder(SINK_THREADS_BEAN)
                .poolSize(threads)
                .maxPoolSize(threads)
                // Unbounded here (Camel's -1 would mean no queue, and the consumer running sinks
                // itself): each session's downloads in flight bound it.
                .maxQueueSize(Integer.MAX_VALUE)
                .build();
        return context.getExecutorServiceManager().newThreadPool(MailpipeBeans.class, "MailpipeSinks", profile);
    }

    /** Binds a route step, with an Error it throws turned into the failure of its message. */
    private static void bindStep(Registry registry, String name, Processor step) {
        registry.bind(name, StepErrorBoundary.around(name, step));
    }

    /**
     * Folders mailpipe did not make keep their mode; one that other users can open more widely than
     * the configured modes allow is named once at start, with the command that tightens it.
     */
    private static void warnIfOpenToOthers(String what, Path folder, FileModes modes) {
        FileModes.moreOpenThan(folder, modes.folder())
                .ifPresent(mode -> LOG.warn(
                        "The {} folder {} has mode {}: other users can open it. mailpipe makes its own files and"
                                + " folders {} and {} but does not change folders it did not make; to tighten it"
                                + " and what is in it: chmod -R go-rwx {}",
                        what,
                        folder.toAbsolutePath(),
                        mode,
                        FileModes.octal(modes.file()),
                        FileModes.octal(modes.folder()),
                        folder.toAbsolutePath()));
    }

    private static Ledger openLedger(LedgerSettings settings) {
        try {
            return Ledger.open(
                    settings.url(),
                    settings.username().orElse(null),
                    settings.password().orElse(null),
                    Clock.systemUTC());
        } catch (java.sql.SQLException e) {
            String problem = "cannot open the ledger at " + settings + ": " + e.getMessage() + " (check "
                    + LedgerSettings.URL + ", " + LedgerSettings.USERNAME + ", " + LedgerSettings.PASSWORD + " or "
                    + LedgerSettings.DIR + ")";
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                // A database that cannot be reached yet (a reboot, a network coming up late) is not a
                // configuration error: exit 1, which a service manager retries; 2 it would not.
                throw new IllegalStateException(problem, e);
            }
            throw new ConfigurationException(problem, e);
        }
    }

    /** Closes the ledger when Camel stops. */
    private static final class LedgerService extends ServiceSupport {
        private final Ledger ledger;

        LedgerService(Ledger ledger) {
            this.ledger = ledger;
        }

        @Override
        protected void doStop() {
            ledger.close();
        }
    }
}
