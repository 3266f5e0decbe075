package dev.mailpipe.mailbox;

import jakarta.mail.AuthenticationFailedException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathValidatorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;

/** Turns a connection or login failure into one sentence a user can act on. */
public final class MailboxFailure {

    /** A locked maildrop in the words of servers without response codes; not "account locked". */
    private static final java.util.regex.Pattern MAILDROP_LOCKED =
            java.util.regex.Pattern.compile("(?is).*\\b(mailbox|maildrop)\\b.*\\b(locked|in use|busy)\\b.*");

    private MailboxFailure() {}

    /**
     * Whether the server refused the login because another client holds the maildrop (RFC 2449
     * {@code [IN-USE]}, or the wording of servers without response codes): another mailpipe instance,
     * or a mail client, is draining the same mailbox. Not an error; the next poll tries again.
     */
    public static boolean isMailboxInUse(Throwable failure) {
        return find(chain(failure), t -> t instanceof AuthenticationFailedException)
                .map(Throwable::getMessage)
                .filter(message -> message != null
                        && (message.contains("[IN-USE]")
                                || MAILDROP_LOCKED.matcher(message).matches()))
                .isPresent();
    }

    /** Describes the most telling cause in the chain; never includes credentials. */
    public static String describe(Throwable failure, MailboxSettings mailbox) {
        List<Throwable> chain = chain(failure);
        String endpoint = mailbox.host() + ":" + mailbox.port();
        Optional<Throwable> login = find(chain, t -> t instanceof AuthenticationFailedException);
        if (login.isPresent()) {
            return "login rejected (wrong username or password, or POP3 access not enabled for the account"
                    + serverSaid(login.get()) + ")";
        }
        if (find(chain, t -> t instanceof UnknownHostException).isPresent()) {
            return "unknown host '" + mailbox.host() + "' (check " + MailboxSettings.HOST + ")";
        }
        if (find(chain, MailboxFailure::isUntrustedPath).isPresent()) {
            return "server certificate of " + endpoint + " is not trusted (set " + MailboxSettings.CA_FILE
                    + " to a PEM file with the CA that signed it)";
        }
        Optional<Throwable> nameMismatch = find(chain, MailboxFailure::isNameMismatch);
        if (nameMismatch.isPresent()) {
            return "server certificate does not match host name '" + mailbox.host() + "' ("
                    + nameMismatch.get().getMessage() + ")";
        }
        Optional<Throwable> refused =
                find(chain, t -> t instanceof ConnectException || t instanceof NoRouteToHostException);
        if (refused.isPresent()) {
            return "cannot connect to " + endpoint + " (" + refused.get().getMessage() + ")";
        }
        if (find(chain, t -> t instanceof SocketTimeoutException).isPresent()) {
            return "no answer from " + endpoint + " (timed out)";
        }
        Optional<Throwable> tls = find(chain, t -> t instanceof SSLException);
        if (tls.isPresent()) {
            return "TLS with " + endpoint + " failed (" + tls.get().getMessage() + ")";
        }
        Throwable root = chain.get(chain.size() - 1);
        return root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage().strip());
    }

    private static boolean isUntrustedPath(Throwable t) {
        // The JDK reports a missing trust anchor through an internal class; its name is stable across versions.
        return t instanceof CertPathValidatorException
                || t.getClass().getName().endsWith("SunCertPathBuilderException");
    }

    private static boolean isNameMismatch(Throwable t) {
        String message = t.getMessage();
        return message != null
                && (message.startsWith("No name matching") || message.startsWith("No subject alternative"));
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t) && chain.size() < 20; t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static Optional<Throwable> find(List<Throwable> chain, Predicate<Throwable> test) {
        return chain.stream().filter(test).findFirst();
    }

    private static String serverSaid(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? "" : "; server said: " + message.strip();
    }
}
