package dev.mailpipe.mailbox;

import dev.mailpipe.common.TrustedCertificates;
import java.util.Properties;

/**
 * The Angus Mail session properties for a mailbox: verified TLS (certificate and host name), an
 * explicit CA file when given, required STARTTLS when asked, SASL XOAUTH2 for {@code mailbox.auth=xoauth2}
 * (one-line or two-line form), and timeouts ({@code mailbox.connectTimeout},
 * {@code mailbox.readTimeout}) so a silent server cannot hang a poll.
 */
public final class JavaMailProperties {

    private JavaMailProperties() {}

    public static Properties of(MailboxSettings mailbox) {
        String prefix = "mail." + mailbox.protocol() + ".";
        Properties properties = new Properties();
        properties.setProperty(prefix + "connectiontimeout", Integer.toString(mailbox.connectTimeout()));
        properties.setProperty(prefix + "timeout", Integer.toString(mailbox.readTimeout()));
        if (mailbox.protocol().equals("pop3")) {
            // A plain client at a POP3S port waits for a greeting the server never sends (it waits for
            // a TLS hello): without this, that mistake looks like a stalled server after readTimeout.
            properties.put(prefix + "socketFactory", new GreetingTimeoutSocketFactory(mailbox.connectTimeout()));
        }
        properties.setProperty(prefix + "ssl.checkserveridentity", "true");
        if (mailbox.starttls()) {
            properties.setProperty(prefix + "starttls.enable", "true");
            properties.setProperty(prefix + "starttls.required", "true");
        }
        mailbox.oauth().ifPresent(oauth -> {
            // Angus has XOAUTH2 for POP3 but leaves it off; the access token is passed as the password.
            properties.setProperty(prefix + "auth.mechanisms", "XOAUTH2");
            properties.setProperty(prefix + "auth.xoauth2.disable", "false");
            properties.setProperty(
                    prefix + "auth.xoauth2.two.line.authentication.format", Boolean.toString(oauth.twoLine()));
            // Angus reports a refused token only at the next command: this store checks at once.
            properties.setProperty(prefix + "class", XOAuth2Pop3Store.class.getName());
        });
        mailbox.caFile()
                .ifPresent(file -> properties.put(
                        prefix + "ssl.socketFactory",
                        TrustedCertificates.socketFactoryTrusting(file, MailboxSettings.CA_FILE)));
        return properties;
    }
}
