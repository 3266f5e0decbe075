package dev.mailpipe.config;

/** A setting is missing or invalid; the message names the property and how to fix it. */
public final class ConfigurationException extends RuntimeException {

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The configuration error somewhere in a failure's cause chain, or null if there is none. */
    public static ConfigurationException in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConfigurationException bad) {
                return bad;
            }
        }
        return null;
    }
}
