package dev.mailpipe.mailbox;

import dev.mailpipe.common.Sha256;
import jakarta.mail.FetchProfile;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.component.mail.MailEndpoint;
import org.apache.camel.component.mail.MailUidGenerator;
import org.eclipse.angus.mail.pop3.POP3Folder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identifies POP3 messages by their UIDL, read with one {@code UIDL} command per session instead of
 * camel-mail's default Message-ID lookup (one {@code TOP} per message, not unique, sometimes absent).
 * A server without UIDL falls back to the SHA-256 of the raw message, with a warning. The same
 * session's one {@code LIST} gives each message's size, which with the listing's UIDLs makes its
 * {@link ListedMessage}: what the ledger needs to tell a reused or repeated UIDL's messages apart.
 */
public final class UidlKeys implements MailUidGenerator {

    /** Prefix of a content-hash identity, so it never collides with a real UIDL. */
    public static final String CONTENT_HASH_PREFIX = "sha256:";

    private static final Logger LOG = LoggerFactory.getLogger(UidlKeys.class);

    private final MailboxId mailbox;
    /** Messages of the current POP3 session whose UIDL is known; Angus makes new objects per session. */
    private final Set<Message> listed = Collections.newSetFromMap(new WeakHashMap<>());

    private final Map<Message, String> contentHashes = new WeakHashMap<>();
    /** The current session's LIST sizes (by message number - 1), or null when the server gave none. */
    private int[] sizes;
    /** How many messages of the current session's listing have each UIDL. */
    private Map<String, Integer> uidlCounts = Map.of();
    /** Keys bound to messages of the current session (see {@link ListedMessage}). */
    private Set<String> boundInSession = new java.util.HashSet<>();

    private boolean warnedAboutMissingUidl;

    public UidlKeys(MailboxId mailbox) {
        this.mailbox = mailbox;
    }

    @Override
    public synchronized String generateUuid(MailEndpoint endpoint, Message message) {
        try {
            if (!(message.getFolder() instanceof POP3Folder folder)) {
                throw new IllegalStateException("mailpipe keys POP3 messages only, got " + message.getClass());
            }
            listOnce(folder, message);
            String uidl = folder.getUID(message);
            return uidl != null ? uidl : contentHash(message);
        } catch (MessagingException | IOException e) {
            throw new RuntimeCamelException(
                    "Cannot read the UIDL of message " + message.getMessageNumber() + " in " + mailbox + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * camel-mail asks for the key of each message it looks at; without a listing, every answer would
     * be a {@code UIDL n} round trip. One listing per session answers them all (Angus sends a single
     * UIDL for the whole folder and caches the result).
     */
    private void listOnce(POP3Folder folder, Message message) throws MessagingException {
        if (listed.contains(message)) {
            return;
        }
        Message[] all = folder.getMessages();
        FetchProfile uids = new FetchProfile();
        uids.add(UIDFolder.FetchProfileItem.UID);
        folder.fetch(all, uids);
        listed.clear();
        listed.addAll(Arrays.asList(all));
        Map<String, Integer> counts = new java.util.HashMap<>();
        for (Message each : all) {
            String uidl = folder.getUID(each);
            if (uidl != null) {
                counts.merge(uidl, 1, Integer::sum);
            }
        }
        uidlCounts = counts;
        boundInSession = new java.util.HashSet<>();
        try {
            sizes = folder.getSizes();
        } catch (MessagingException e) {
            // Without sizes a known UIDL is told apart by its headers alone.
            LOG.debug(
                    "Mailbox {}: LIST failed ({}); comparing known UIDLs by their headers only", mailbox, e.toString());
            sizes = null;
        }
    }

    /** The listing's view of {@code message}, whose key {@link #generateUuid} gave as {@code uidl}. */
    synchronized ListedMessage listed(Message message, String uidl) {
        int number = message.getMessageNumber();
        // Angus leaves 0 where the LIST reply had no line for a number (seen from GreenMail after a
        // connection cut): unknown, not empty.
        Long size = sizes != null && number >= 1 && number <= sizes.length && sizes[number - 1] > 0
                ? Long.valueOf(sizes[number - 1])
                : null;
        boolean shared = uidlCounts.getOrDefault(uidl, 1) > 1;
        return new ListedMessage(mailbox, uidl, number, size, shared, boundInSession);
    }

    private String contentHash(Message message) throws MessagingException, IOException {
        String known = contentHashes.get(message);
        if (known != null) {
            return known;
        }
        if (!warnedAboutMissingUidl) {
            warnedAboutMissingUidl = true;
            LOG.warn(
                    "Mailbox {} does not support UIDL; identifying messages by the SHA-256 of their content instead",
                    mailbox);
        }
        MessageDigest digest = Sha256.newDigest();
        try (OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
            message.writeTo(sink);
        }
        String hash = CONTENT_HASH_PREFIX + Sha256.hex(digest.digest());
        contentHashes.put(message, hash);
        return hash;
    }
}
