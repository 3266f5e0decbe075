package dev.mailpipe.mailbox;

import java.util.Properties;

/**
 * The Angus Mail session properties for a mailbox: verified TLS (certificate and host name), an
 * explicit CA file when given, required STARTTLS when asked, and timeouts so a silent server cannot
 * hang a poll.
 */
public final class JavaMailProperties {

    static final int CONNECT_TIMEOUT_MILLIS = 30_000;
    static final int READ_TIMEOUT_MILLIS = 120_000;

    private JavaMailProperties() {}

    public static Properties of(MailboxSettings mailbox) {
        String prefix = "mail." + mailbox.protocol() + ".";
        Properties properties = new Properties();
        properties.setProperty(prefix + "connectiontimeout", Integer.toString(CONNECT_TIMEOUT_MILLIS));
        properties.setProperty(prefix + "timeout", Integer.toString(READ_TIMEOUT_MILLIS));
        properties.setProperty(prefix + "ssl.checkserveridentity", "true");
        if (mailbox.starttls()) {
            properties.setProperty(prefix + "starttls.enable", "true");
            properties.setProperty(prefix + "starttls.required", "true");
        }
        mailbox.caFile()
                .ifPresent(file -> properties.put(
                        prefix + "ssl.socketFactory",
                        TrustedCertificates.socketFactoryTrusting(file, MailboxSettings.CA_FILE)));
        return properties;
    }
}
