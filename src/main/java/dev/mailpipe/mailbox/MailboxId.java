package dev.mailpipe.mailbox;

import dev.mailpipe.common.Sha256;
import java.util.Locale;
import java.util.regex.Pattern;

/** Identity of a mailbox account (protocol, host, port, user): the scope in which POP3 UIDLs are unique. */
public record MailboxId(String protocol, String host, int port, String username) {

    private static final Pattern UNSAFE_IN_FOLDER_NAMES = Pattern.compile("[^a-z0-9@._-]");

    /** Stable, secret-free text form used in logs, keys and events: {@code pop3s://user@host:port}. */
    @Override
    public String toString() {
        return protocol + "://" + username + "@" + host.toLowerCase(Locale.ROOT) + ":" + port;
    }

    /**
     * The message key: SHA-256 of this mailbox id and the message's UIDL, in hex. Fixed length and
     * made of [0-9a-f] only, so it is safe as a file name on every file system (UIDLs may hold '/',
     * differ only in case, or be up to 70 characters) and as a Kafka record key.
     */
    public String keyOf(String uidl) {
        return Sha256.hex(this + "\n" + uidl);
    }

    /** A readable, file-system-safe folder name for this mailbox, unique through a short hash suffix. */
    public String slug() {
        String readable = UNSAFE_IN_FOLDER_NAMES
                .matcher((protocol + "_" + username + "_" + host + "_" + port).toLowerCase(Locale.ROOT))
                .replaceAll("_");
        if (readable.length() > 80) {
            readable = readable.substring(0, 80);
        }
        return readable + "-" + Sha256.hex(toString()).substring(0, 8);
    }
}
