package dev.mailpipe.mailbox;

import dev.mailpipe.oauth.TokenException;
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

    /** The JDK's message when a socket read exceeds its SO_TIMEOUT. */
    private static final String READ_TIMED_OUT = "Read timed out";

    private static final String PORTS_HINT = " (usually pop3s on 995, pop3 + starttls on 110)";

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

    /** Whether the server sent no greeting (Angus reports it as a failed login): no token is to blame. */
    static boolean isMissingGreeting(Throwable failure) {
        return says(chain(failure), GreetingTimeoutSocketFactory.NoGreetingException.MESSAGE);
    }

    /**
     * Why a poll failed: {@code cause} is a short word for metrics and scripts ({@code login},
     * {@code token}, {@code tls-mismatch}, {@code starttls}, {@code stalled}, {@code unknown-host},
     * {@code certificate}, {@code host-name}, {@code refused}, {@code connect-timeout}, {@code tls},
     * {@code other}); {@code description} is one sentence a user can act on.
     */
    public record Diagnosis(String cause, String description) {}

    /** Describes the most telling cause in the chain; never includes credentials. */
    public static String describe(Throwable failure, MailboxSettings mailbox) {
        return diagnose(failure, mailbox).description();
    }

    /** The most telling cause in the chain, named and described; never includes credentials. */
    public static Diagnosis diagnose(Throwable failure, MailboxSettings mailbox) {
        List<Throwable> chain = chain(failure);
        Optional<Throwable> token = find(chain, t -> t instanceof TokenException);
        if (token.isPresent()) {
            return new Diagnosis("token", "no access token: " + token.get().getMessage());
        }
        String endpoint = mailbox.host() + ":" + mailbox.port();
        Optional<Throwable> login = find(chain, t -> t instanceof AuthenticationFailedException);
        Optional<String> starttls = login.map(Throwable::getMessage).flatMap(m -> starttls(m, endpoint));
        if (starttls.isPresent()) {
            return new Diagnosis("starttls", starttls.get());
        }
        // Angus turns a timed-out read into an EOFException, and that into a failed login, keeping only
        // the message: the words are all that is left to tell a silent server from a refused password.
        if (says(chain, GreetingTimeoutSocketFactory.NoGreetingException.MESSAGE)) {
            return new Diagnosis(
                    "tls-mismatch",
                    "no POP3 greeting from " + endpoint + " within " + MailboxSettings.CONNECT_TIMEOUT + " ("
                            + mailbox.connectTimeout() + " ms): a POP3S port waits silently for TLS, so if this is one,"
                            + " set " + MailboxSettings.PROTOCOL + "=pop3s" + PORTS_HINT);
        }
        if (says(chain, READ_TIMED_OUT)) {
            return new Diagnosis(
                    "stalled",
                    "server " + endpoint + " stalled: no answer within " + MailboxSettings.READ_TIMEOUT + " ("
                            + mailbox.readTimeout() + " ms)");
        }
        if (login.isPresent() && mailbox.oauth().isPresent()) {
            return new Diagnosis(
                    "login",
                    "login rejected: the server refused the XOAUTH2 access token (after one renewal when a new one"
                            + " could be had; check that"
                            + " the token's scope allows POP3, that it was issued for " + mailbox.username()
                            + ", and that POP3"
                            + " access is enabled for the account" + serverSaid(login.get()) + ")");
        }
        if (login.isPresent()) {
            return new Diagnosis(
                    "login",
                    "login rejected (wrong username or password, or POP3 access not enabled for the account"
                            + serverSaid(login.get()) + ")");
        }
        if (find(chain, t -> t instanceof UnknownHostException).isPresent()) {
            return new Diagnosis(
                    "unknown-host", "unknown host '" + mailbox.host() + "' (check " + MailboxSettings.HOST + ")");
        }
        if (find(chain, MailboxFailure::isUntrustedPath).isPresent()) {
            return new Diagnosis(
                    "certificate",
                    "server certificate of " + endpoint + " is not trusted (set " + MailboxSettings.CA_FILE
                            + " to a PEM file with the CA that signed it)");
        }
        Optional<Throwable> nameMismatch = find(chain, MailboxFailure::isNameMismatch);
        if (nameMismatch.isPresent()) {
            return new Diagnosis(
                    "host-name",
                    "server certificate does not match host name '" + mailbox.host() + "' ("
                            + nameMismatch.get().getMessage() + ")");
        }
        if (find(chain, MailboxFailure::isPlainReplyToTls).isPresent()) {
            return new Diagnosis(
                    "tls-mismatch",
                    endpoint + " answered in plain text, not TLS: it is a plain POP3 port, so set "
                            + MailboxSettings.PROTOCOL + "=pop3 with " + MailboxSettings.STARTTLS + "=true, or use the"
                            + " server's POP3S port" + PORTS_HINT);
        }
        Optional<Throwable> refused =
                find(chain, t -> t instanceof ConnectException || t instanceof NoRouteToHostException);
        if (refused.isPresent()) {
            return new Diagnosis(
                    "refused",
                    "cannot connect to " + endpoint + " (" + refused.get().getMessage() + ")");
        }
        if (find(chain, t -> t instanceof SocketTimeoutException).isPresent()) {
            return new Diagnosis(
                    "connect-timeout",
                    "cannot connect to " + endpoint + " within " + MailboxSettings.CONNECT_TIMEOUT + " ("
                            + mailbox.connectTimeout() + " ms)");
        }
        Optional<Throwable> tls = find(chain, t -> t instanceof SSLException);
        if (tls.isPresent()) {
            return new Diagnosis(
                    "tls", "TLS with " + endpoint + " failed (" + tls.get().getMessage() + ")");
        }
        Throwable root = chain.get(chain.size() - 1);
        return new Diagnosis(
                "other",
                root.getClass().getSimpleName()
                        + (root.getMessage() == null
                                ? ""
                                : ": " + root.getMessage().strip()));
    }

    /** Angus reports STARTTLS trouble as a failed login; it is a server or settings problem, not a password. */
    private static Optional<String> starttls(String message, String endpoint) {
        if (message == null || !message.startsWith("STLS required")) {
            return Optional.empty();
        }
        if (message.contains("not supported")) {
            return Optional.of(endpoint + " does not offer STARTTLS (" + MailboxSettings.STARTTLS
                    + "=true requires it): use the server's POP3S port with " + MailboxSettings.PROTOCOL + "=pop3s"
                    + PORTS_HINT);
        }
        return Optional.of("STARTTLS with " + endpoint + " failed (" + message + ")");
    }

    /** The JDK's words for a TLS client that received something other than a TLS record. */
    private static boolean isPlainReplyToTls(Throwable t) {
        return t instanceof SSLException
                && t.getMessage() != null
                && t.getMessage().contains("Unsupported or unrecognized SSL message");
    }

    private static boolean says(List<Throwable> chain, String words) {
        return find(chain, t -> t.getMessage() != null && t.getMessage().contains(words))
                .isPresent();
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
