package dev.mailpipe.mailbox;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.component.mail.JavaMailSender;
import org.apache.camel.component.mail.MailConfiguration;
import org.apache.camel.component.mail.MailEndpoint;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

/**
 * One mailbox: a camel-mail endpoint whose consumer is mailpipe's {@link Pop3Consumer}, with the
 * mailbox's own state (status, UIDL keys, delivery tracker, deletion listener). Serves one route.
 */
@UriEndpoint(
        firstVersion = "0.1.0",
        scheme = MailboxComponent.SCHEME,
        extendsScheme = "pop3s",
        title = "Mailbox (POP3)",
        syntax = "mailbox:host",
        consumerOnly = true,
        category = {Category.MAIL})
public final class MailboxEndpoint extends MailEndpoint {

    /** The endpoint's own mailbox options, as its URI gives them (the defaults are the component's). */
    @UriParam
    private MailboxConfiguration mailboxConfiguration = new MailboxConfiguration();

    private final MailboxStatus status;
    private final DeletionListener deletions;
    private final int maxInFlight;
    /** The route this mailbox serves (its processor): a route stopped and started again keeps it. */
    private Processor route;

    MailboxEndpoint(
            String uri,
            MailboxComponent component,
            MailConfiguration configuration,
            MailboxStatus status,
            DeletionListener deletions,
            int maxInFlight) {
        super(uri, component, configuration);
        this.status = status;
        this.deletions = deletions;
        this.maxInFlight = maxInFlight;
    }

    public MailboxConfiguration getMailboxConfiguration() {
        return mailboxConfiguration;
    }

    public void setMailboxConfiguration(MailboxConfiguration mailboxConfiguration) {
        this.mailboxConfiguration = mailboxConfiguration;
    }

    public MailboxStatus status() {
        return status;
    }

    public MailboxSettings mailbox() {
        return status.settings();
    }

    @Override
    public MailboxComponent getComponent() {
        return (MailboxComponent) super.getComponent();
    }

    @Override
    public synchronized Consumer createConsumer(Processor processor, JavaMailSender sender) throws Exception {
        if (route != null && route != processor) {
            // Camel gives routes with the same URI the same endpoint.
            throw MailboxComponent.declaredTwice(status.mailbox());
        }
        route = processor;
        // Jakarta Mail's Service.connect signs in a second time through the session's Authenticator
        // after any AuthenticationFailedException, and Angus reports a missing greeting (a plain client
        // at a POP3S port) as one: a second connection and a second timeout per poll, and two failed
        // logins per poll towards an account's lockout. camel-mail passes the login to connect itself.
        sender.setSession(jakarta.mail.Session.getInstance(sender.getJavaMailProperties(), null));
        Pop3Consumer consumer = new Pop3Consumer(this, processor, sender, deletions, maxInFlight);
        consumer.setHandleFailedMessage(getConfiguration().isHandleFailedMessage());
        consumer.setSkipFailedMessage(getConfiguration().isSkipFailedMessage());
        consumer.setMaxMessagesPerPoll(getMaxMessagesPerPoll());
        configureConsumer(consumer);
        return consumer;
    }
}
