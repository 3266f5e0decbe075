package dev.mailpipe.mailbox;

import dev.mailpipe.common.MailpipeHeaders;
import jakarta.mail.Message;
import jakarta.mail.MessageRemovedException;
import jakarta.mail.MessagingException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.camel.Exchange;
import org.apache.camel.component.mail.MailMessage;
import org.eclipse.angus.mail.pop3.POP3Message;

/** Reads an exchange's message from the server, byte for byte, as every step that needs the raw bytes must. */
public final class RawMessage {

    private RawMessage() {}

    /**
     * Streams the message (RETR) into {@code out}: through the session's {@link Pop3Connection} when
     * the consumer put one on the exchange (it may have sent this RETR ahead already), otherwise
     * through Angus Mail's {@code writeTo}. On the way, the {@link HeaderDigest} of its headers is
     * kept on its {@link ListedMessage}, for the ledger to recognise it by later.
     */
    public static void writeTo(Exchange exchange, OutputStream out) throws IOException, MessagingException {
        Message mail = exchange.getIn(MailMessage.class).getOriginalMessage();
        Pop3Connection connection = exchange.getProperty(MailpipeHeaders.POP3_CONNECTION, Pop3Connection.class);
        HeaderDigest digest = new HeaderDigest();
        OutputStream watched = new TeeToDigest(out, digest);
        if (connection == null) {
            mail.writeTo(watched);
        } else {
            int number = mail.getMessageNumber();
            if (!connection.retrieve(number, watched)) {
                throw new MessageRemovedException("the server no longer has message " + number + " of this session");
            }
        }
        ListedMessage.of(exchange).ifPresent(listed -> listed.downloaded(digest.digest()));
    }

    /** Passes every byte on and shows the header's bytes to the digest, which stops looking after them. */
    private static final class TeeToDigest extends FilterOutputStream {
        private final HeaderDigest digest;

        TeeToDigest(OutputStream out, HeaderDigest digest) {
            super(out);
            this.digest = digest;
        }

        @Override
        public void write(int b) throws IOException {
            digest.write(b);
            out.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            digest.write(bytes, offset, length);
            out.write(bytes, offset, length);
        }
    }

    /**
     * The {@link HeaderDigest} of the message's headers, read from the server with {@code TOP n 0}
     * (through the session's {@link Pop3Connection} when there is one); null when the server no
     * longer has the message.
     */
    static String headerDigest(Exchange exchange) throws IOException, MessagingException {
        Message mail = exchange.getIn(MailMessage.class).getOriginalMessage();
        Pop3Connection connection = exchange.getProperty(MailpipeHeaders.POP3_CONNECTION, Pop3Connection.class);
        if (connection != null) {
            return connection.headerDigest(mail.getMessageNumber());
        }
        if (!(mail instanceof POP3Message pop3)) {
            throw new MessagingException(
                    "not a POP3 message: " + mail.getClass().getName());
        }
        try (InputStream header = pop3.top(0)) {
            return header == null ? null : HeaderDigest.of(header);
        }
    }
}
