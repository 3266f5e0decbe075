package dev.mailpipe.benchmark;

import dev.mailpipe.common.TrustedCertificates;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Contender (a), the practical limit with the same library: one POP3S session that RETRs every
 * message, writes its raw bytes to a file and flags it; the DELEs go at the QUIT. No ledger, no
 * parsing, no fsync.
 *
 * <p>{@code AngusDrain HOST PORT USER PASSWORD_FILE CA_FILE OUT_DIR}
 */
public final class AngusDrain {

    private AngusDrain() {}

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String user = args[2];
        String password = Files.readString(Path.of(args[3])).strip();
        Path out = Files.createDirectories(Path.of(args[5]));
        Properties properties = new Properties();
        properties.put(
                "mail.pop3s.ssl.socketFactory", TrustedCertificates.socketFactoryTrusting(Path.of(args[4]), "ca"));
        properties.put("mail.pop3s.ssl.checkserveridentity", "true");
        try (Store store = Session.getInstance(properties).getStore("pop3s")) {
            store.connect(host, port, user, password);
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message[] messages = inbox.getMessages();
            for (Message message : messages) {
                Path file = out.resolve(message.getMessageNumber() + ".eml");
                try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                    message.writeTo(stream);
                }
                message.setFlag(Flags.Flag.DELETED, true);
            }
            inbox.close(true);
            System.out.println("drained " + messages.length + " messages");
        }
    }
}
