package dev.mailpipe.mailbox;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import org.eclipse.angus.mail.pop3.POP3Store;

/**
 * Angus Mail's POP3 (and POP3S) store for XOAUTH2 sign-ins, which notices a refused access token when
 * signing in. Angus 2.0.5 takes a server's XOAUTH2 error challenge (Dovecot's {@code + eyJzdGF0dXMi...})
 * for a finished sign-in: {@code connect} returns, and only the next command fails, inside camel-mail's
 * folder open, which logs it and reports an empty mailbox. This store asks for that next command
 * itself (a NOOP, through {@link #isConnected}) and throws {@link AuthenticationFailedException}, so the
 * refusal reaches mailpipe's poll: the token is renewed once and the poll counted as failed.
 */
public class XOAuth2Pop3Store extends POP3Store {

    /** Made by Angus's session for {@code mail.pop3.class} or {@code mail.pop3s.class} (see {@link JavaMailProperties}). */
    public XOAuth2Pop3Store(Session session, URLName url) {
        super(session, url, url.getProtocol(), "pop3s".equals(url.getProtocol()));
    }

    @Override
    public synchronized void connect(String host, int port, String user, String accessToken) throws MessagingException {
        super.connect(host, port, user, accessToken);
        if (!isConnected()) {
            // isConnected() has already closed the session. A NOOP that fails right after AUTH is
            // nearly always the refusal; a server that drops the connection at that moment looks the
            // same, and costs one token renewal.
            throw new AuthenticationFailedException(
                    "the server refused the XOAUTH2 sign-in, or closed the session right after it (the first"
                            + " command after AUTH failed)");
        }
    }
}
