package dev.mailpipe.common;

/** Names of the exchange headers and properties mailpipe sets on each downloaded message. */
public final class MailpipeHeaders {

    /** The mailbox account, {@code pop3s://user@host:port} (no secrets). */
    public static final String MAILBOX = "MailpipeMailbox";
    /** Exchange property: the {@link MailboxStatus} of the mailbox the message came from (see {@link MailboxStatus#of}). */
    public static final String MAILBOX_STATUS = "MailpipeMailboxStatus";
    /**
     * Exchange property: the files sink's layout for the message's mailbox (a {@code FilesLayout}:
     * its folder and modes) once the download step has used it; for dead letters.
     */
    public static final String FILES_LAYOUT = "MailpipeFilesLayout";
    /** The message's POP3 UIDL (or {@code sha256:...} on servers without UIDL). */
    public static final String UIDL = "MailpipeUidl";
    /** The message key: SHA-256 hex of mailbox and UIDL; names the message in every sink. */
    public static final String KEY = "MailpipeKey";
    /** Path of the stored raw message ({@code .eml}) once the files sink has written it. */
    public static final String EML_FILE = "MailpipeEmlFile";
    /**
     * Exchange property: the downloaded raw message in its temporary file (an {@code
     * AtomicFiles.Pending}), until the files sink commits it as {@link #EML_FILE}.
     */
    public static final String RAW_DOWNLOAD = "MailpipeRawDownload";
    /** Exchange property: the batch's {@link Pop3Connection}, set by the consumer when it has one. */
    public static final String POP3_CONNECTION = "MailpipePop3Connection";
    /** Exchange property: bytes the download step received from the server (a Long). */
    public static final String DOWNLOADED_BYTES = "MailpipeDownloadedBytes";
    /** Path of the stored mail event ({@code .json}) once the files sink has written it. */
    public static final String EVENT_FILE = "MailpipeEventFile";
    /** Size in bytes of the raw message as the server sent it. */
    public static final String SIZE = "MailpipeSize";

    /** The message's Message-ID header as stored, for reference (never used as a key). */
    public static final String MESSAGE_ID = "MailpipeMessageId";

    /**
     * Exchange property: when true, the route completed but the message must stay on the server
     * (another instance is delivering it). The consumer neither deletes it nor counts a failure.
     */
    public static final String LEAVE_ON_SERVER = "MailpipeLeaveOnServer";

    /** Exchange property: when the ledger first recorded the message (an Instant); the event's receivedAt. */
    public static final String FIRST_SEEN = "MailpipeFirstSeen";

    /** Exchange property: the sinks that already have the message from an earlier attempt (a Set of names). */
    public static final String SINKS_DONE = "MailpipeSinksDone";

    /** The first From address's domain, lower case, once the mail event is made; for routing rules. */
    public static final String FROM_DOMAIN = "MailpipeFromDomain";

    /** The decoded Subject, once the mail event is made; for routing rules. */
    public static final String SUBJECT = "MailpipeSubject";

    /** Set by a route to publish the event to this Kafka topic instead of sink.kafka.topic. */
    public static final String KAFKA_TOPIC = "MailpipeKafkaTopic";

    /**
     * Exchange property: true when the ledger has the message delivered or dead-lettered before, so
     * the route only lets the consumer delete it (counted as skipped, not delivered).
     */
    public static final String DELIVERED_BEFORE = "MailpipeDeliveredBefore";

    /** Exchange property: true once the message is recorded dead-lettered (counted apart from deliveries). */
    public static final String DEAD_LETTERED = "MailpipeDeadLettered";

    /** Exchange property: failed attempts recorded for this message before this one. */
    public static final String ATTEMPTS_BEFORE = "MailpipeAttemptsBefore";

    /** Exchange property: the {@link ListedMessage} the consumer made for the exchange's message. */
    public static final String LISTED_MESSAGE = "MailpipeListedMessage";

    /**
     * Exchange property: why a message the route completed stays on the server (a {@link
     * MailboxCounters} skip reason), with {@link #LEAVE_ON_SERVER}.
     */
    public static final String LEAVE_REASON = "MailpipeLeaveReason";

    private MailpipeHeaders() {}
}
