package dev.mailpipe.runner;

import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.files.StoreRawMessage;
import dev.mailpipe.mailbox.DeliveryTracker;
import dev.mailpipe.mailbox.IdentifyMessage;
import dev.mailpipe.mailbox.JavaMailProperties;
import dev.mailpipe.mailbox.MailboxCredentials;
import dev.mailpipe.mailbox.MailboxSettings;
import dev.mailpipe.mailbox.MailboxStatus;
import dev.mailpipe.mailbox.UidlKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates mailpipe's properties before any route starts and binds the beans the YAML routes refer
 * to ({@code #uidlKeys}, {@code #storeRawMessage}, ...). A bad setting stops the start here, naming
 * the property.
 */
public final class MailpipeBeans implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(MailpipeBeans.class);

    @Override
    public void configure(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        Settings settings = new Settings(properties::resolveProperty);
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

        Registry registry = context.getRegistry();
        registry.bind("mailboxCredentials", new MailboxCredentials(mailbox));
        registry.bind("mailboxJavaMailProperties", JavaMailProperties.of(mailbox));
        registry.bind("mailboxStatus", new MailboxStatus(mailbox));
        registry.bind("uidlKeys", new UidlKeys(mailbox.id()));
        registry.bind("deliveryTracker", new DeliveryTracker(mailbox, Clock.systemUTC()));
        registry.bind("identifyMessage", new IdentifyMessage(mailbox.id()));
        registry.bind("storeRawMessage", new StoreRawMessage(files));
        LOG.info("Draining mailbox {} into {}", mailbox, files.mailboxFolder().toAbsolutePath());
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
}
