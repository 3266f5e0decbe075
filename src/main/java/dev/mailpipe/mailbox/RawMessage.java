package dev.mailpipe.mailbox;

import jakarta.mail.Message;
import jakarta.mail.MessageRemovedException;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.camel.Exchange;
import org.apache.camel.component.mail.MailMessage;

/** Reads an exchange's message from the server, byte for byte, as every step that needs the raw bytes must. */
public final class RawMessage {

    private RawMessage() {}

    /**
     * Streams the message (RETR) into {@code out}: through the session's {@link Pop3Connection} when
     * the consumer put one on the exchange (it may have sent this RETR ahead already), otherwise
     * through Angus Mail's {@code writeTo}.
     */
    public static void writeTo(Exchange exchange, OutputStream out) throws IOException, MessagingException {
        Message mail = exchange.getIn(MailMessage.class).getOriginalMessage();
        Pop3Connection connection = exchange.getProperty(MailpipeHeaders.POP3_CONNECTION, Pop3Connection.class);
        if (connection == null) {
            mail.writeTo(out);
            return;
        }
        int number = mail.getMessageNumber();
        if (!connection.retrieve(number, out)) {
            throw new MessageRemovedException("the server no longer has message " + number + " of this session");
        }
    }
}
