package dev.mailpipe.mailbox;

/** Names of the exchange headers mailpipe sets on each downloaded message. */
public final class MailpipeHeaders {

    /** The mailbox account, {@code pop3s://user@host:port} (no secrets). */
    public static final String MAILBOX = "MailpipeMailbox";
    /** The message's POP3 UIDL (or {@code sha256:...} on servers without UIDL). */
    public static final String UIDL = "MailpipeUidl";
    /** The message key: SHA-256 hex of mailbox and UIDL; names the message in every sink. */
    public static final String KEY = "MailpipeKey";
    /** Path of the stored raw message ({@code .eml}) once the files sink has written it. */
    public static final String EML_FILE = "MailpipeEmlFile";
    /** Size in bytes of the raw message as the server sent it. */
    public static final String SIZE = "MailpipeSize";

    private MailpipeHeaders() {}
}
