package dev.mailpipe.check;

import dev.mailpipe.imap.ImapAppendEndpoint;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;

/**
 * The IMAP sink's account, as its {@code imap-append:} step would sign in: the target folder exists,
 * or will be made at the first message. Never APPENDs and creates nothing.
 */
final class ImapProbe {

    static final String PART = "imap";

    private final ImapAppendEndpoint endpoint;
    /** The folder as the step names it now ({@code Archive/${date:now:yyyy}} is this year's). */
    private final String folderName;

    /** Made while the routes are loaded: the folder's Simple expression is evaluated with their context. */
    ImapProbe(ImapAppendEndpoint endpoint) {
        this.endpoint = endpoint;
        Exchange now = new DefaultExchange(endpoint.getCamelContext());
        this.folderName = endpoint.getCamelContext()
                .resolveLanguage("simple")
                .createExpression(endpoint.getFolder())
                .evaluate(now, String.class);
    }

    String subject() {
        return endpoint.getProtocol() + "://" + endpoint.getUsername() + "@" + endpoint.getHost()
                + (endpoint.getPort() == 0 ? "" : ":" + endpoint.getPort()) + ", folder " + folderName;
    }

    Finding run() {
        Store store = null;
        try {
            store = Session.getInstance(endpoint.sessionProperties()).getStore(endpoint.getProtocol());
            store.connect(
                    endpoint.getHost(),
                    endpoint.getPort() == 0 ? -1 : endpoint.getPort(),
                    endpoint.getUsername(),
                    endpoint.password());
            Folder folder = store.getFolder(
                    folderName.replace('/', store.getDefaultFolder().getSeparator()));
            if (folder.exists()) {
                return Finding.ok(PART, subject(), "signed in; the folder exists", Map.of("folderExists", true));
            }
            if (endpoint.isCreateFolders()) {
                return Finding.ok(
                        PART,
                        subject(),
                        "signed in; the folder does not exist yet and is made at the first message",
                        Map.of("folderExists", false));
            }
            return Finding.failed(
                    PART, subject(), "signed in, but the folder does not exist and createFolders is false");
        } catch (jakarta.mail.AuthenticationFailedException e) {
            return Finding.failed(
                    PART,
                    subject(),
                    "login rejected (wrong username or password for the IMAP account"
                            + (e.getMessage() == null
                                    ? ""
                                    : "; server said: " + e.getMessage().strip()) + ")");
        } catch (Exception e) {
            return Finding.failed(PART, subject(), "cannot sign in: " + describe(e));
        } finally {
            if (store != null) {
                try {
                    store.close();
                } catch (Exception e) {
                    // The outcome is known.
                }
            }
        }
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return failure.getMessage() + (root == failure ? "" : " (" + root + ")");
    }
}
