package dev.mailpipe.check;

import dev.mailpipe.mailbox.JavaMailProperties;
import dev.mailpipe.mailbox.MailboxCredentials;
import dev.mailpipe.mailbox.MailboxEndpoint;
import dev.mailpipe.mailbox.MailboxFailure;
import dev.mailpipe.mailbox.MailboxSettings;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.eclipse.angus.mail.pop3.POP3Folder;
import org.eclipse.angus.mail.pop3.POP3Store;

/**
 * Signs in to one mailbox as its poll would (the same session properties, TLS verification and
 * credentials, an XOAUTH2 token included), asks for its capabilities and {@code STAT}, and quits.
 * Never RETR, TOP or DELE: Angus's folder open sends STAT only, and nothing here reads a message.
 */
final class MailboxProbe {

    static final String PART = "mailbox";

    /** A check waits at most this long for a silent server, whatever the mailbox's readTimeout. */
    static final int MAX_READ_TIMEOUT_MS = 30_000;

    private final String routeId;
    private final MailboxEndpoint endpoint;
    private final List<String> sinks;

    MailboxProbe(String routeId, MailboxEndpoint endpoint, List<String> sinks) {
        this.routeId = routeId;
        this.endpoint = endpoint;
        this.sinks = sinks;
    }

    String routeId() {
        return routeId;
    }

    MailboxSettings mailbox() {
        return endpoint.mailbox();
    }

    String subject() {
        return "route " + routeId + ", " + endpoint.mailbox().id();
    }

    Finding run() {
        MailboxSettings mailbox = endpoint.mailbox();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("route", routeId);
        facts.put("mailbox", mailbox.id().toString());
        facts.put("signIn", mailbox.oauth().isPresent() ? "xoauth2" : "password");
        facts.put("sinks", sinks);
        Store store = null;
        try {
            MailboxCredentials credentials =
                    (MailboxCredentials) endpoint.getConfiguration().getAuthenticator();
            credentials.prepareLogin();
            Properties properties = JavaMailProperties.of(mailbox);
            properties.setProperty(
                    "mail." + mailbox.protocol() + ".timeout",
                    Integer.toString(Math.min(mailbox.readTimeout(), MAX_READ_TIMEOUT_MS)));
            store = Session.getInstance(properties).getStore(mailbox.protocol());
            store.connect(
                    mailbox.host(),
                    mailbox.port(),
                    mailbox.username(),
                    credentials.getPasswordAuthentication().getPassword());
            List<String> capabilities = capabilities((POP3Store) store);
            facts.put("capabilities", capabilities);
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            int messages = inbox.getMessageCount();
            long bytes = ((POP3Folder) inbox).getSize();
            inbox.close(false);
            facts.put("messagesWaiting", messages);
            facts.put("bytesWaiting", bytes);
            return Finding.ok(
                    PART,
                    subject(),
                    "signed in (" + facts.get("signIn") + "); " + messages + " message(s), " + bytes(bytes)
                            + " waiting; server offers "
                            + (capabilities.isEmpty() ? "no CAPA" : String.join(" ", capabilities))
                            + "; sinks: " + String.join(", ", sinks),
                    facts);
        } catch (Exception e) {
            if (MailboxFailure.isMailboxInUse(e)) {
                // The server refused the sign-in because another session holds the maildrop: the
                // password was accepted up to that point, and a running mailpipe is likely draining it.
                facts.put("inUse", true);
                return Finding.ok(
                        PART,
                        subject(),
                        "the server says the mailbox is in use by another session (a running mailpipe's poll?);"
                                + " try again when it is idle to see its capabilities and mail waiting",
                        facts);
            }
            MailboxFailure.Diagnosis diagnosis = MailboxFailure.diagnose(e, mailbox);
            return new Finding(PART, subject(), false, diagnosis.description(), Map.of("cause", diagnosis.cause()));
        } finally {
            closeQuietly(store);
        }
    }

    /** PIPELINING, STLS, SASL with its mechanisms, UIDL, TOP...: what the server's CAPA listed. */
    private static List<String> capabilities(POP3Store store) throws Exception {
        Map<String, String> listed = store.capabilities();
        return listed == null
                ? List.of()
                : listed.values().stream().map(String::strip).sorted().toList();
    }

    static String bytes(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%,d bytes", bytes);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    private static void closeQuietly(Store store) {
        if (store != null) {
            try {
                store.close();
            } catch (Exception e) {
                // The check's outcome is known; a failed QUIT on the way out changes nothing.
            }
        }
    }
}
