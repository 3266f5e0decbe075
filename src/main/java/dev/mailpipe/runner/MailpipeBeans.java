package dev.mailpipe.runner;

import dev.mailpipe.files.DownloadRawMessage;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.files.StoreDeadLetter;
import dev.mailpipe.files.StoreMailEvent;
import dev.mailpipe.files.StoreRawMessage;
import dev.mailpipe.kafka.KafkaPublisher;
import dev.mailpipe.kafka.KafkaSettings;
import dev.mailpipe.kafka.PublishDeadLetter;
import dev.mailpipe.kafka.PublishMailEvent;
import dev.mailpipe.ledger.ClaimMessage;
import dev.mailpipe.ledger.DeliveryFailures;
import dev.mailpipe.ledger.InstanceLease;
import dev.mailpipe.ledger.Ledger;
import dev.mailpipe.ledger.LedgerDeletions;
import dev.mailpipe.ledger.LedgerSettings;
import dev.mailpipe.ledger.MarkDeadLettered;
import dev.mailpipe.ledger.MarkDelivered;
import dev.mailpipe.ledger.MarkSinkDone;
import dev.mailpipe.mailbox.DeliveryTracker;
import dev.mailpipe.mailbox.IdentifyMessage;
import dev.mailpipe.mailbox.JavaMailProperties;
import dev.mailpipe.mailbox.MailboxCredentials;
import dev.mailpipe.mailbox.MailboxSettings;
import dev.mailpipe.mailbox.MailboxStatus;
import dev.mailpipe.mailbox.Pop3Component;
import dev.mailpipe.mailbox.UidlKeys;
import dev.mailpipe.ops.Observability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates mailpipe's properties before any route starts and binds the beans the YAML routes refer
 * to ({@code #uidlKeys}, {@code #storeRawMessage}, ...). A bad setting stops the start here, naming
 * the property.
 */
public final class MailpipeBeans implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(MailpipeBeans.class);

    private static final String SINK_IMAP_PASSWORD = "sink.imap.password";

    private static final String SINK_IMAP_PASSWORD_BEAN = "sinkImapPassword";

    /**
     * Settings read as written: a generated password may contain {@code {{...}}}, which Camel would
     * otherwise resolve as a property placeholder (and fail on, or worse, substitute).
     */
    private static final Set<String> SECRETS = Set.of(
            MailboxSettings.PASSWORD,
            LedgerSettings.PASSWORD,
            SINK_IMAP_PASSWORD,
            "sink.kafka.saslJaasConfig",
            "sink.kafka.sslTruststorePassword");

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        Settings settings =
                new Settings(key -> properties.resolveProperty(SECRETS.contains(key) ? key + "?nested=false" : key));
        MailboxSettings mailbox = MailboxSettings.from(settings);
        // Routes read the port as a placeholder; fill in the protocol's default when it was left blank.
        properties.addOverrideProperty(MailboxSettings.PORT, Integer.toString(mailbox.port()));
        if (mailbox.protocol().equals("pop3") && !mailbox.starttls()) {
            LOG.warn(
                    "Mailbox {} uses plain POP3 without STARTTLS: the password crosses the network unencrypted."
                            + " Use mailbox.protocol=pop3s or mailbox.starttls=true.",
                    mailbox.id());
        }
        FilesLayout files = new FilesLayout(filesRoot(settings), mailbox.id());
        LedgerSettings ledgerSettings = LedgerSettings.from(settings);
        Ledger ledger = openLedger(ledgerSettings);
        context.addService(new LedgerService(ledger));
        // Stopped before the ledger closes (Camel stops services in reverse order).
        context.addService(InstanceLease.join(ledger, ledgerSettings, context));
        Clock clock = Clock.systemUTC();
        MailboxStatus status = new MailboxStatus(mailbox);

        Registry registry = context.getRegistry();
        // The pop3/pop3s schemes resolve to camel-mail's component with mailpipe's consumer.
        // Downloads may run ahead of the sinks by twice their threads (at least 8): every sink thread
        // stays busy, and an outage stops the download within a few messages.
        int sinkThreads = (int) settings.number(MailboxSettings.SINK_THREADS, 4, 1, 64);
        Pop3Component pop3 = new Pop3Component(
                new LedgerDeletions(ledger, mailbox.id(), ledgerSettings.retention(), clock),
                mailbox.batchBytes(),
                Math.max(8, 2 * sinkThreads));
        registry.bind("pop3", pop3);
        registry.bind("pop3s", pop3);
        registry.bind("mailboxCredentials", new MailboxCredentials(mailbox));
        // The migration route's IMAP password, kept out of the endpoint URI where Camel would parse it.
        registry.bind(SINK_IMAP_PASSWORD_BEAN, settings.string(SINK_IMAP_PASSWORD, ""));
        registry.bind("mailboxJavaMailProperties", JavaMailProperties.of(mailbox));
        registry.bind("mailboxStatus", status);
        Observability.install(context, settings, mailbox, status);
        registry.bind("uidlKeys", new UidlKeys(mailbox.id()));
        registry.bind("deliveryTracker", new DeliveryTracker(mailbox, clock));
        bindStep(registry, "identifyMessage", new IdentifyMessage(mailbox.id()));
        bindStep(registry, "claimMessage", new ClaimMessage(ledger, ledgerSettings, status));
        bindStep(registry, "downloadRawMessage", new DownloadRawMessage(files));
        bindStep(registry, "storeRawMessage", new StoreRawMessage(files));
        bindStep(registry, "storeMailEvent", new StoreMailEvent(files, clock));
        bindStep(registry, "markFilesStored", new MarkSinkDone(ledger, StoreRawMessage.SINK));
        KafkaSettings kafka = KafkaSettings.from(settings);
        KafkaPublisher publisher = null;
        if (kafka.enabled()) {
            publisher = new KafkaPublisher(kafka);
            context.addService(publisher);
        }
        bindStep(
                registry,
                "publishMailEvent",
                new PublishMailEvent(
                        kafka, publisher, ledger, java.time.Duration.ofMillis(mailbox.pollDelay()), clock));
        bindStep(registry, "publishDeadLetter", new PublishDeadLetter(kafka, publisher));
        bindStep(registry, "markDelivered", new MarkDelivered(ledger, status));
        // Not wrapped: the error handler also calls its isFinalAttempt method by name.
        registry.bind("deliveryFailures", new DeliveryFailures(ledger, status, mailbox.maxAttempts()));
        bindStep(registry, "storeDeadLetter", new StoreDeadLetter(files));
        bindStep(registry, "markDeadLettered", new MarkDeadLettered(ledger, status, mailbox.maxAttempts()));
        LOG.info(
                "Draining mailbox {} into {} and {} (ledger {})",
                mailbox,
                files.mailboxFolder().toAbsolutePath(),
                kafka,
                ledgerSettings);
    }

    /** Binds a route step, with an Error it throws turned into the failure of its message. */
    private static void bindStep(Registry registry, String name, Processor step) {
        registry.bind(name, StepErrorBoundary.around(name, step));
    }

    private static Ledger openLedger(LedgerSettings settings) {
        try {
            return Ledger.open(
                    settings.url(),
                    settings.username().orElse(null),
                    settings.password().orElse(null),
                    Clock.systemUTC());
        } catch (java.sql.SQLException e) {
            throw new ConfigurationException(
                    "cannot open the ledger at " + settings + ": " + e.getMessage() + " (check "
                            + LedgerSettings.URL + ", " + LedgerSettings.USERNAME + ", " + LedgerSettings.PASSWORD
                            + " or " + LedgerSettings.DIR + ")",
                    e);
        }
    }

    private static Path filesRoot(Settings settings) {
        Path root = Path.of(settings.string(FilesLayout.DIR, "mailpipe-out"));
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw Settings.invalid(FilesLayout.DIR, "names a folder that cannot be created: " + root + " (" + e + ")");
        }
        if (!Files.isWritable(root)) {
            throw Settings.invalid(FilesLayout.DIR, "names a folder that is not writable: " + root);
        }
        return root;
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
