package dev.mailpipe.mailbox;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.component.mail.JavaMailSender;
import org.apache.camel.component.mail.MailConfiguration;
import org.apache.camel.component.mail.MailEndpoint;

/** A camel-mail endpoint whose consumer is mailpipe's {@link Pop3Consumer}; every camel-mail option applies. */
public final class Pop3Endpoint extends MailEndpoint {

    private final DeletionListener deletions;
    private final long batchBytes;
    private final int maxInFlight;

    Pop3Endpoint(
            String uri,
            Pop3Component component,
            MailConfiguration configuration,
            DeletionListener deletions,
            long batchBytes,
            int maxInFlight) {
        super(uri, component, configuration);
        this.deletions = deletions;
        this.batchBytes = batchBytes;
        this.maxInFlight = maxInFlight;
    }

    @Override
    public Consumer createConsumer(Processor processor, JavaMailSender sender) throws Exception {
        Pop3Consumer consumer = new Pop3Consumer(this, processor, sender, deletions, batchBytes, maxInFlight);
        consumer.setHandleFailedMessage(getConfiguration().isHandleFailedMessage());
        consumer.setSkipFailedMessage(getConfiguration().isSkipFailedMessage());
        consumer.setMaxMessagesPerPoll(getMaxMessagesPerPoll());
        configureConsumer(consumer);
        return consumer;
    }
}
