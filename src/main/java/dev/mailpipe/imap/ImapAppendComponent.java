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
        parameters.replaceAll((option, value) -> beanNamed(value));
        setProperties(endpoint, parameters);
        if (endpoint.getHost() == null || endpoint.getHost().isBlank()) {
            throw new IllegalArgumentException(
                    "imap-append needs a host: imap-append:host?options (sink.imap.host in the shipped routes)");
        }
        return endpoint;
    }

    /**
     * A bare {@code #name} naming a bean is that bean, as it was before the options were bound by the
     * generated binder, which takes it as text (Camel's own form is {@code #bean:name}): a route that
     * passes its IMAP password as a bean keeps working instead of failing every login.
     */
    private Object beanNamed(Object value) {
        if (value instanceof String text
                && text.length() > 1
                && text.startsWith("#")
                && text.indexOf(':') < 0
                && getCamelContext().getRegistry().lookupByName(text.substring(1)) != null) {
            return "#bean:" + text.substring(1);
        }
        return value;
    }
}
