package dev.mailpipe.imap;

import dev.mailpipe.common.OutageException;
import dev.mailpipe.common.Sha256;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.FolderClosedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.StoreClosedException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.ComparisonTerm;
import jakarta.mail.search.HeaderTerm;
import jakarta.mail.search.SearchTerm;
import jakarta.mail.search.SizeTerm;
import jakarta.mail.util.SharedFileInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.support.DefaultProducer;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends raw messages to IMAP folders over one connection, opened on first use and re-opened after
 * a failure. The message is appended as written (its bytes are never changed), with its Date as the
 * IMAP internal date and the configured flags. Before appending, the folder is searched (by
 * Message-ID, or by size when there is none) and a candidate with the same bytes means the message is
 * already there: a retry after a crash never makes a second copy. A lost or refused connection is an
 * {@link OutageException}; a message the server rejects is the message's own failure.
 */
public final class ImapAppendProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(ImapAppendProducer.class);

    private final ImapAppendEndpoint endpoint;
    private final Map<String, Folder> folders = new HashMap<>();
    private Session session;
    private String password;
    private Store store;
    private Expression folderName;

    ImapAppendProducer(ImapAppendEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        session = Session.getInstance(endpoint.sessionProperties());
        password = endpoint.password();
        folderName = endpoint.getCamelContext().resolveLanguage("simple").createExpression(endpoint.getFolder());
    }

    @Override
    protected void doStop() throws Exception {
        disconnect();
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String target = exchange.getMessage().getHeader(ImapAppendConstants.FOLDER, String.class);
        if (target == null) {
            target = folderName.evaluate(exchange, String.class);
        }
        try (InputStream raw = rawMessage(exchange)) {
            MimeMessage message = new OriginalMessage(session, raw);
            synchronized (this) {
                append(exchange, target, message);
            }
        } catch (VirtualMachineError e) {
            // Camel's bridge to a synchronous producer completes it in a finally: an escaping Error
            // would let the route go on as if the APPEND had happened. As an exception it fails the message.
            throw new IllegalStateException("APPEND into " + target + " failed with " + e, e);
        }
    }

    private InputStream rawMessage(Exchange exchange) throws IOException, org.apache.camel.InvalidPayloadException {
        String file = exchange.getMessage().getHeader(ImapAppendConstants.FILE, String.class);
        if (file != null) {
            return new SharedFileInputStream(Path.of(file).toFile());
        }
        byte[] bytes = exchange.getMessage().getMandatoryBody(byte[].class);
        return new ByteArrayInputStream(bytes);
    }

    private void append(Exchange exchange, String target, MimeMessage message) throws Exception {
        try {
            Folder folder = folder(target);
            byte[] digest = digest(message);
            if (alreadyThere(folder, message, digest)) {
                LOG.debug("Message {} is in {} already; not appending it again", message.getMessageID(), target);
                exchange.getMessage().setHeader(ImapAppendConstants.ALREADY_PRESENT, true);
                return;
            }
            message.setFlags(flags(), true);
            if (folder instanceof IMAPFolder imap) {
                AppendUID[] uids = imap.appendUIDMessages(new Message[] {message});
                if (uids.length == 1 && uids[0] != null) {
                    exchange.getMessage().setHeader(ImapAppendConstants.UID, uids[0].uid);
                }
            } else {
                folder.appendMessages(new Message[] {message});
            }
            exchange.getMessage().setHeader(ImapAppendConstants.ALREADY_PRESENT, false);
        } catch (FolderClosedException | StoreClosedException e) {
            disconnect();
            throw new OutageException("imap sink " + endpoint.getHost(), e);
        } catch (MessagingException e) {
            if (isConnectionProblem(e)) {
                disconnect();
                throw new OutageException("imap sink " + endpoint.getHost(), e);
            }
            throw e;
        }
    }

    private static boolean isConnectionProblem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof jakarta.mail.AuthenticationFailedException) {
                return true;
            }
        }
        return failure.getMessage() != null && failure.getMessage().startsWith("Couldn't connect");
    }

    /** The folder, with '/' replaced by the server's hierarchy separator; created and subscribed if missing. */
    private Folder folder(String name) throws MessagingException {
        Folder cached = folders.get(name);
        if (cached != null && cached.isOpen()) {
            return cached;
        }
        Store connected = store();
        char separator = connected.getDefaultFolder().getSeparator();
        Folder folder = connected.getFolder(name.replace('/', separator));
        if (!folder.exists()) {
            if (!endpoint.isCreateFolders()) {
                throw new MessagingException("Folder " + name + " does not exist and createFolders is false");
            }
            folder.create(Folder.HOLDS_MESSAGES);
            folder.setSubscribed(true);
            LOG.info("Created IMAP folder {} on {}", folder.getFullName(), endpoint.getHost());
        }
        folder.open(Folder.READ_ONLY);
        folders.put(name, folder);
        return folder;
    }

    private Store store() throws MessagingException {
        if (store == null || !store.isConnected()) {
            disconnect();
            Store fresh = session.getStore(endpoint.getProtocol());
            fresh.connect(
                    endpoint.getHost(),
                    endpoint.getPort() == 0 ? -1 : endpoint.getPort(),
                    endpoint.getUsername(),
                    password);
            store = fresh;
        }
        return store;
    }

    private boolean alreadyThere(Folder folder, MimeMessage message, byte[] digest)
            throws MessagingException, IOException {
        String messageId = message.getHeader("Message-ID", null);
        SearchTerm term = messageId != null
                ? new HeaderTerm("Message-ID", messageId.strip())
                : new SizeTerm(ComparisonTerm.EQ, message.getSize());
        for (Message candidate : folder.search(term)) {
            if (Arrays.equals(digest(candidate), digest)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] digest(Message message) throws MessagingException, IOException {
        MessageDigest digest = Sha256.newDigest();
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
            message.writeTo(out);
        }
        return digest.digest();
    }

    private Flags flags() {
        Flags flags = new Flags();
        for (String flag : endpoint.getFlags().split(",")) {
            switch (flag.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "" -> {}
                case "\\seen" -> flags.add(Flags.Flag.SEEN);
                case "\\flagged" -> flags.add(Flags.Flag.FLAGGED);
                case "\\answered" -> flags.add(Flags.Flag.ANSWERED);
                case "\\draft" -> flags.add(Flags.Flag.DRAFT);
                default -> flags.add(flag.strip());
            }
        }
        return flags;
    }

    private void disconnect() {
        for (Folder folder : folders.values()) {
            try {
                if (folder.isOpen()) {
                    folder.close(false);
                }
            } catch (MessagingException | IllegalStateException e) {
                LOG.debug("Closing IMAP folder {}: {}", folder.getFullName(), e.toString());
            }
        }
        folders.clear();
        if (store != null) {
            try {
                store.close();
            } catch (MessagingException e) {
                LOG.debug("Closing the IMAP connection to {}: {}", endpoint.getHost(), e.toString());
            }
            store = null;
        }
    }

    /** The message as parsed, whose Date is also its IMAP internal date (APPEND sends the received date). */
    private static final class OriginalMessage extends MimeMessage {
        OriginalMessage(Session session, InputStream raw) throws MessagingException {
            super(session, raw);
        }

        @Override
        public Date getReceivedDate() throws MessagingException {
            return getSentDate();
        }
    }
}
