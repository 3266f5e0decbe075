package dev.mailpipe.mailbox;

import java.net.URI;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.mail.MailComponentConfigurer;
import org.apache.camel.component.mail.MailConfiguration;
import org.apache.camel.component.mail.MailEndpointConfigurer;
import org.apache.camel.spi.PropertyConfigurer;

/**
 * camel-mail's component with mailpipe's POP3 consumer ({@link Pop3Consumer}). mailpipe binds it
 * under the names {@code pop3} and {@code pop3s}, so routes keep camel-mail's URIs and option names.
 * POP3 only: IMAP and SMTP URIs are refused.
 */
public final class Pop3Component extends MailComponent {

    private static final PropertyConfigurer ENDPOINT_OPTIONS = new MailEndpointConfigurer();
    private static final PropertyConfigurer COMPONENT_OPTIONS = new MailComponentConfigurer();

    private final DeletionListener deletions;
    private final long batchBytes;
    private final int maxInFlight;

    /**
     * @param batchBytes a batch (POP3 session) also ends once it has downloaded this many bytes
     * @param maxInFlight how many downloaded messages may wait for the sinks at once
     */
    public Pop3Component(DeletionListener deletions, long batchBytes, int maxInFlight) {
        this.deletions = deletions;
        this.batchBytes = batchBytes;
        this.maxInFlight = maxInFlight;
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
        configuration.configure(new URI(uri));
        if (!configuration.getProtocol().startsWith("pop3")) {
            throw new IllegalArgumentException(
                    "mailpipe's mail component serves pop3 and pop3s only, not " + configuration.getProtocol());
        }
        Pop3Endpoint endpoint = new Pop3Endpoint(uri, this, configuration, deletions, batchBytes, maxInFlight);
        setProperties(endpoint, parameters);
        if (configuration.getHost() == null || configuration.getHost().isBlank()) {
            throw new IllegalArgumentException("No host in " + uri);
        }
        return endpoint;
    }
}
