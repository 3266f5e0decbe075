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
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.AndTerm;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.support.DefaultProducer;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends raw messages to IMAP folders over one connection, opened on first use and re-opened after
 * a failure. The message is appended as written (its bytes are never changed), with its Date as the
 * IMAP internal date and the configured flags. A message whose earlier APPEND may have reached the
 * server unseen is looked for first (by UID where the journal knows the lowest it could have, else by
 * a SEARCH), and a candidate with the same bytes means it is there already: a retry after a crash
 * never makes a second copy. With a journal, the normal path sends no SEARCH. A lost or refused
 * connection is an {@link OutageException}; a message the server rejects is the message's own
 * failure.
 */
public final class ImapAppendProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(ImapAppendProducer.class);

    /** At most this many messages go in one MULTIAPPEND. */
    static final int MAX_BATCH = 50;

    private final ImapAppendEndpoint endpoint;
    private final Map<String, IMAPFolder> folders = new HashMap<>();
    /** Per target folder: no UID the server hands out from now on is lower (UIDPLUS servers). */
    private final Map<String, Long> nextUids = new HashMap<>();

    private Session session;
    private String password;
    private Store store;
    private Expression folderName;
    private AppendJournal journal;
    /** Whether the server hands out UIDs in APPEND's answers (RFC 4315); asked once per connection. */
    private boolean uidPlus;
    /** Whether the server takes several messages in one APPEND (RFC 3502); asked once per connection. */
    private boolean multiAppend;
    /** Exchanges waiting for the connection; whoever holds it next appends them all. */
    private final Queue<Pending> waiting = new ConcurrentLinkedQueue<>();
    /** The one connection (and its folders) is used by one thread at a time. */
    private final ReentrantLock connection = new ReentrantLock();

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
        journal = endpoint.getJournal();
    }

    @Override
    protected void doStop() throws Exception {
        connection.lock();
        try {
            disconnect();
        } finally {
            connection.unlock();
        }
        super.doStop();
    }

    /**
     * Appends the exchange's message. Exchanges of several sink threads meet here: while one thread
     * holds the connection, the others queue, and the next to take it appends everything queued for
     * a folder in one MULTIAPPEND where the server offers it (group commit: the batch grows with the
     * waiting, never by waiting on purpose).
     */
    @Override
    public void process(Exchange exchange) throws Exception {
        String target = exchange.getMessage().getHeader(ImapAppendConstants.FOLDER, String.class);
        if (target == null) {
            target = folderName.evaluate(exchange, String.class);
        }
        try (InputStream raw = rawMessage(exchange)) {
            Pending pending = new Pending(exchange, target, new OriginalMessage(session, raw));
            waiting.add(pending);
            connection.lock();
            try {
                if (!pending.done()) {
                    appendWaiting();
                }
            } finally {
                connection.unlock();
            }
            pending.rethrow();
        } catch (Error e) {
            // Camel's bridge to a synchronous producer completes it in a finally: an escaping Error
            // would let the route go on as if the APPEND had happened. As an exception it fails the message.
            throw new IllegalStateException("APPEND into " + target + " failed with " + e, e);
        }
    }

    /**
     * Appends every queued message, folder by folder, at most {@link #MAX_BATCH} a command. Every
     * message of a batch leaves appended or failed; one taken off the queue and never reached (an
     * Error before its batch) fails in its own thread ({@link Pending#rethrow}).
     */
    private void appendWaiting() {
        Map<String, List<Pending>> byFolder = new LinkedHashMap<>();
        for (Pending next; (next = waiting.poll()) != null; ) {
            byFolder.computeIfAbsent(next.target, t -> new ArrayList<>()).add(next);
        }
        for (Map.Entry<String, List<Pending>> folder : byFolder.entrySet()) {
            List<Pending> all = folder.getValue();
            for (int first = 0; first < all.size(); first += MAX_BATCH) {
                List<Pending> batch = all.subList(first, Math.min(all.size(), first + MAX_BATCH));
                try {
                    append(folder.getKey(), batch);
                } catch (Exception e) {
                    batch.forEach(pending -> pending.fail(e));
                } catch (Error e) {
                    Exception failure =
                            new IllegalStateException("APPEND into " + folder.getKey() + " failed with " + e, e);
                    batch.forEach(pending -> pending.fail(failure));
                }
            }
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

    /**
     * Appends a batch of one folder's messages: those an earlier APPEND may have put there are looked
     * for first; the rest go in one MULTIAPPEND, or one by one where the server has no MULTIAPPEND or
     * refuses the batch (it appends all or none, and one bad message must not fail the others).
     */
    private void append(String target, List<Pending> batch) throws Exception {
        try {
            IMAPFolder folder = folder(target);
            List<Pending> toSend = new ArrayList<>();
            for (Pending pending : batch) {
                try {
                    if (alreadyThere(folder, target, pending.message, earlierAppend(pending.exchange, target))) {
                        LOG.debug(
                                "Message {} is in {} already; not appending it again",
                                pending.message.getMessageID(),
                                target);
                        pending.appended(true);
                    } else {
                        pending.message.setFlags(flags(), true);
                        toSend.add(pending);
                    }
                } catch (MessagingException e) {
                    // Looking for one message failed; the others of the batch go on.
                    if (isOutage(e)) {
                        throw e;
                    }
                    pending.fail(e);
                }
            }
            if (toSend.size() > 1 && multiAppend) {
                try {
                    appendJournaled(
                            folder,
                            target,
                            toSend,
                            () -> MultiAppend.append(
                                    folder, toSend.stream().map(p -> p.message).toList(), flags()));
                    return;
                } catch (MessagingException e) {
                    if (isOutage(e)) {
                        throw e;
                    }
                    LOG.info(
                            "The server refused {} messages appended together to {} ({}); appending them one by one",
                            toSend.size(),
                            target,
                            e.getMessage());
                }
            }
            for (Pending pending : toSend) {
                try {
                    appendJournaled(folder, target, List.of(pending), () -> appendOne(folder, pending.message));
                } catch (MessagingException e) {
                    if (isOutage(e)) {
                        throw e;
                    }
                    pending.fail(e);
                }
            }
        } catch (MessagingException e) {
            if (isOutage(e)) {
                disconnect();
                throw new OutageException("imap sink " + endpoint.getHost(), e);
            }
            throw e;
        }
    }

    /** One APPEND as Angus sends it; the UIDs when the server tells them. */
    private static MultiAppend.Uids appendOne(IMAPFolder folder, MimeMessage message) throws MessagingException {
        AppendUID[] uids = folder.appendUIDMessages(new Message[] {message});
        return uids.length == 1 && uids[0] != null
                ? new MultiAppend.Uids(uids[0].uidvalidity, List.of(uids[0].uid))
                : null;
    }

    /** Sends an APPEND of one or several messages; returns their UIDs when the server tells them, else null. */
    @FunctionalInterface
    private interface Send {
        MultiAppend.Uids append() throws MessagingException;
    }

    /**
     * Journals the APPEND of {@code batch} (one command) before sending it and its answer after, one
     * record per message. While it is being sent, the record holds the lowest UID a message can get:
     * every UID the server hands out after the folder was selected, or after this connection's last
     * APPEND, is higher (RFC 3501 2.3.1.1).
     */
    private void appendJournaled(IMAPFolder folder, String target, List<Pending> batch, Send send) throws Exception {
        long uidValidity = folder.getUIDValidity();
        long lowest = uidPlus ? nextUids.getOrDefault(target, 0L) : 0;
        if (journal != null) {
            for (Pending pending : batch) {
                journal.sending(
                        pending.exchange, new AppendRecord(AppendRecord.Outcome.SENDING, target, uidValidity, lowest));
            }
        }
        MultiAppend.Uids uids;
        try {
            uids = send.append();
        } catch (MessagingException e) {
            if (journal != null && e.getCause() instanceof CommandFailedException) {
                // A NO: the server took none of them, and a retry need not look for them.
                for (Pending pending : batch) {
                    journal.answered(
                            pending.exchange, new AppendRecord(AppendRecord.Outcome.REFUSED, target, uidValidity, 0));
                }
            }
            throw e;
        }
        for (int i = 0; i < batch.size(); i++) {
            Pending pending = batch.get(i);
            long uid = uids == null ? 0 : uids.uids().get(i);
            if (uid > 0) {
                pending.exchange.getMessage().setHeader(ImapAppendConstants.UID, uid);
                raiseNextUid(target, uidValidity, uids.uidValidity(), uid);
            }
            if (journal != null) {
                journal.answered(
                        pending.exchange,
                        new AppendRecord(
                                AppendRecord.Outcome.APPENDED,
                                target,
                                uids == null ? uidValidity : uids.uidValidity(),
                                uid));
            }
            pending.appended(false);
        }
    }

    /**
     * After an APPENDUID: no later message of the folder gets a lower UID. Only while the folder is
     * the one selected (same UIDVALIDITY); otherwise the bound is dropped and retries search.
     */
    private void raiseNextUid(String target, long selectedUidValidity, long answeredUidValidity, long uid) {
        if (answeredUidValidity == selectedUidValidity) {
            nextUids.merge(target, uid + 1, Math::max);
        } else {
            nextUids.remove(target);
        }
    }

    /**
     * What the journal knows of an earlier APPEND; without a journal, one may have happened unseen (a
     * record of it being sent, nothing known of where).
     */
    private Optional<AppendRecord> earlierAppend(Exchange exchange, String target) throws Exception {
        return journal == null
                ? Optional.of(new AppendRecord(AppendRecord.Outcome.SENDING, target, 0, 0))
                : journal.last(exchange);
    }

    /** The connection, not the message: lost, closed, refused, or the login failed. */
    private static boolean isOutage(MessagingException failure) {
        return failure instanceof FolderClosedException
                || failure instanceof StoreClosedException
                || isConnectionProblem(failure);
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
    private IMAPFolder folder(String name) throws MessagingException {
        IMAPFolder cached = folders.get(name);
        if (cached != null && cached.isOpen()) {
            return cached;
        }
        Store connected = store();
        char separator = connected.getDefaultFolder().getSeparator();
        // imap and imaps stores are Angus's IMAPStore, whose folders are IMAPFolders.
        IMAPFolder folder = (IMAPFolder) connected.getFolder(name.replace('/', separator));
        if (!folder.exists()) {
            if (!endpoint.isCreateFolders()) {
                throw new MessagingException("Folder " + name + " does not exist and createFolders is false");
            }
            folder.create(Folder.HOLDS_MESSAGES);
            folder.setSubscribed(true);
            LOG.info("Created IMAP folder {} on {}", folder.getFullName(), endpoint.getHost());
        }
        folder.open(Folder.READ_ONLY);
        // Asked on the folder's connection: asking the store would open a second one.
        uidPlus = (Boolean) folder.doCommand(protocol -> protocol.hasCapability("UIDPLUS"));
        multiAppend = (Boolean) folder.doCommand(protocol -> protocol.hasCapability("MULTIAPPEND"));
        // The SELECT's UIDNEXT (Angus keeps it as it was; an APPENDUID since raises it). Put, not
        // merged: a folder made again since it was last open starts its UIDs afresh.
        nextUids.remove(name);
        if (folder.getUIDNext() > 0) {
            nextUids.put(name, folder.getUIDNext());
        }
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

    /**
     * Whether an earlier APPEND put the message into the folder: not when none was sent there or the
     * server refused it; yes when the server said it took it and gave no UID to check. Otherwise by
     * its UID, or the UIDs from the lowest it could have, while the folder's UIDVALIDITY is the
     * recorded one; else by a SEARCH (Message-ID, or size when it has none). A candidate counts only
     * with the same bytes.
     */
    private boolean alreadyThere(IMAPFolder folder, String target, MimeMessage message, Optional<AppendRecord> earlier)
            throws MessagingException, IOException {
        if (earlier.isEmpty()
                || !earlier.get().concerns(target)
                || earlier.get().outcome() == AppendRecord.Outcome.REFUSED) {
            return false;
        }
        AppendRecord record = earlier.get();
        boolean sending = record.outcome() == AppendRecord.Outcome.SENDING;
        if (!sending && record.uid() == 0) {
            return true;
        }
        byte[] digest = digest(message);
        if (record.uid() > 0 && record.uidValidity() == folder.getUIDValidity()) {
            LOG.debug("Looking for {} in {} from UID {}", message.getMessageID(), target, record.uid());
            // A NOOP first: messages appended over another connection are known only from its EXISTS.
            folder.doCommand(protocol -> {
                protocol.noop();
                return null;
            });
            if (folder.getMessageCount() == 0) {
                // Nothing to look at (and "UID FETCH n:*" on an empty folder is a BAD on some servers).
                return false;
            }
            if (sameBytesAmong(byUid(folder, record.uid(), sending ? UIDFolder.LASTUID : record.uid()), digest)) {
                return true;
            }
            if (sending) {
                return false;
            }
            // Appended, but no longer at its UID: someone moved it; look for it as if unknown.
        }
        LOG.debug("Searching {} for {}", target, message.getMessageID());
        return sameBytesAmong(folder.search(searchTerm(message)), digest);
    }

    /**
     * By Message-ID; without one, by the whole message's size as the server counts it (RFC822.SIZE):
     * Angus sends no SEARCH for an equal size, so larger than one less and smaller than one more.
     */
    private static SearchTerm searchTerm(MimeMessage message) throws MessagingException, IOException {
        String messageId = message.getHeader("Message-ID", null);
        if (messageId != null) {
            return new HeaderTerm("Message-ID", messageId.strip());
        }
        long size = MultiAppend.crlfSize(message);
        return new AndTerm(
                new SizeTerm(ComparisonTerm.GT, (int) size - 1), new SizeTerm(ComparisonTerm.LT, (int) size + 1));
    }

    /** The folder's messages with UIDs from {@code first} to {@code last}; {@code n:*} may name the last message below n. */
    private static Message[] byUid(IMAPFolder folder, long first, long last) throws MessagingException {
        return Arrays.stream(folder.getMessagesByUID(first, last))
                .filter(m -> m != null && uidOf(folder, m) >= first)
                .toArray(Message[]::new);
    }

    private static long uidOf(IMAPFolder folder, Message message) {
        try {
            return folder.getUID(message);
        } catch (MessagingException e) {
            return -1;
        }
    }

    private static boolean sameBytesAmong(Message[] candidates, byte[] digest) throws MessagingException, IOException {
        for (Message candidate : candidates) {
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
        nextUids.clear();
        if (store != null) {
            try {
                store.close();
            } catch (MessagingException e) {
                LOG.debug("Closing the IMAP connection to {}: {}", endpoint.getHost(), e.toString());
            }
            store = null;
        }
    }

    /** One exchange's message on its way: settled once a thread holding the connection appended it, or failed. */
    private static final class Pending {
        private final Exchange exchange;
        private final String target;
        private final MimeMessage message;
        /** Written under the connection's lock, and read after taking it. */
        private boolean appended;

        private Exception failure;

        Pending(Exchange exchange, String target, MimeMessage message) {
            this.exchange = exchange;
            this.target = target;
            this.message = message;
        }

        void appended(boolean alreadyPresent) {
            appended = true;
            exchange.getMessage().setHeader(ImapAppendConstants.ALREADY_PRESENT, alreadyPresent);
        }

        /** The first failure counts; a message the server has taken cannot fail any more. */
        void fail(Exception e) {
            if (!appended && failure == null) {
                failure = e;
            }
        }

        /** Appended or failed: nothing more to do for it. */
        boolean done() {
            return appended || failure != null;
        }

        void rethrow() throws Exception {
            if (failure != null) {
                throw failure;
            }
            if (!appended) {
                throw new IllegalStateException("The APPEND of this message into " + target + " was not done");
            }
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
