package dev.mailpipe.imap;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/** The {@code imap-append} component: APPENDs raw messages into folders of an IMAP or IMAPS server. */
@Component("imap-append")
public final class ImapAppendComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        ImapAppendEndpoint endpoint = new ImapAppendEndpoint(uri, this);
        endpoint.setHost(remaining);
        setProperties(endpoint, parameters);
        if (endpoint.getHost() == null || endpoint.getHost().isBlank()) {
            throw new IllegalArgumentException(
                    "imap-append needs a host: imap-append:host?options (sink.imap.host in the shipped routes)");
        }
        return endpoint;
    }
}
