package dev.mailpipe.mailbox;

import dev.mailpipe.oauth.AccessToken;
import dev.mailpipe.oauth.TokenException;
import dev.mailpipe.oauth.TokenSource;
import jakarta.mail.PasswordAuthentication;
import java.util.Optional;
import org.apache.camel.component.mail.MailAuthenticator;

/**
 * Hands the mailbox login to camel-mail from a bean, so the password never appears in a route URI. With
 * {@code mailbox.auth=xoauth2} the "password" is an access token (Angus's XOAUTH2 takes it so): the
 * consumer calls {@link #prepareLogin} before each sign-in, which obtains or refreshes the token, and
 * {@link #renewAfterRejection} once when the server refuses it.
 */
public final class MailboxCredentials extends MailAuthenticator {

    private final MailboxSettings mailbox;
    private final Optional<TokenSource> tokens;
    private volatile AccessToken token;

    /** XOAUTH2 sign-in with tokens from {@code tokens}; password sign-in when empty. */
    public MailboxCredentials(MailboxSettings mailbox, Optional<TokenSource> tokens) {
        this.mailbox = mailbox;
        this.tokens = tokens;
    }

    /**
     * camel-mail asks at start (for the user name only) and at each sign-in: it never waits on the
     * token endpoint here; {@link #prepareLogin} has fetched the token before the sign-in.
     */
    @Override
    public PasswordAuthentication getPasswordAuthentication() {
        if (tokens.isEmpty()) {
            return new PasswordAuthentication(mailbox.username(), mailbox.password());
        }
        AccessToken current = token;
        return new PasswordAuthentication(mailbox.username(), current == null ? "" : current.value());
    }

    /** Obtains the access token for the coming sign-in (cached, or refreshed shortly before it expires). */
    public void prepareLogin() throws TokenException {
        if (tokens.isPresent()) {
            token = tokens.get().token();
        }
    }

    /**
     * The server refused the sign-in: with XOAUTH2, forgets the token and obtains a new one. Returns
     * whether a retry with it is worthwhile (false for passwords, and when no other token is to be had).
     */
    public boolean renewAfterRejection() throws TokenException {
        if (tokens.isEmpty() || token == null) {
            return false;
        }
        Optional<AccessToken> next = tokens.get().renew(token);
        next.ifPresent(renewed -> token = renewed);
        return next.isPresent();
    }

    /** Whether this mailbox signs in with OAuth2 access tokens. */
    public boolean usesTokens() {
        return tokens.isPresent();
    }

    @Override
    public String toString() {
        return "credentials of " + mailbox.id();
    }
}
