package dev.mailpipe.files;

import dev.mailpipe.config.FileModes;
import dev.mailpipe.mailbox.MailboxId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where the files sink puts things, under {@code <sink.files.dir>/<mailbox slug>/}: {@code <key>.eml}
 * (raw), {@code <key>.json} (event), {@code <key>/<n>-<safe name>} (attachments); dead letters under
 * {@code <sink.files.dir>/dead-letter/<mailbox slug>/}. Keys are SHA-256 hex and attachment names are
 * sanitized, so no message content can place a file outside its folder.
 */
public final class FilesLayout {

    public static final String DIR = "sink.files.dir";
    /** The files' mode, octal (camel-file's name); the same as the endpoint parameter {@code chmod}. */
    public static final String CHMOD = "sink.files.chmod";
    /** The folders' mode, octal; the same as the endpoint parameter {@code chmodDirectory}. */
    public static final String CHMOD_DIRECTORY = "sink.files.chmodDirectory";

    public static final String DEAD_LETTER_FOLDER = "dead-letter";

    private static final Pattern MESSAGE_KEY = Pattern.compile("[0-9a-f]{64}");

    private final Path root;
    private final Path mailboxFolder;
    private final Path deadLetterFolder;
    private final FileModes modes;

    /** The layout with private modes ({@link FileModes#PRIVATE}), as the files sink has by default. */
    public FilesLayout(Path root, MailboxId mailbox) {
        this(root, mailbox, FileModes.PRIVATE);
    }

    public FilesLayout(Path root, MailboxId mailbox, FileModes modes) {
        this.root = root;
        this.modes = modes;
        this.mailboxFolder = root.resolve(mailbox.slug());
        this.deadLetterFolder = root.resolve(DEAD_LETTER_FOLDER).resolve(mailbox.slug());
    }

    public Path mailboxFolder() {
        return mailboxFolder;
    }

    /** The modes of the files and folders the sink makes. */
    public FileModes modes() {
        return modes;
    }

    public Path emlFile(String key) {
        return mailboxFolder.resolve(checked(key) + ".eml");
    }

    /** The mail event, beside the raw message. */
    public Path eventFile(String key) {
        return mailboxFolder.resolve(checked(key) + ".json");
    }

    /**
     * Attachment {@code index} of a message, under a folder of its own, with a safe name. Where the
     * file system's encoding cannot hold the name (a JVM started under {@code LC_ALL=C} encodes file
     * names as ASCII), the name is written in ASCII instead: the same bytes are stored whatever the
     * locale, and the event's {@code ref} says where.
     */
    public Path attachmentFile(String key, int index, String filename) {
        Path folder = mailboxFolder.resolve(checked(key));
        try {
            return folder.resolve(SafeFileNames.of(index, filename));
        } catch (InvalidPathException e) {
            return folder.resolve(SafeFileNames.ascii(index, filename));
        }
    }

    /** A path as the event refers to it: relative to {@code sink.files.dir}, with forward slashes. */
    public String reference(Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    public Path deadLetterEml(String key) {
        return deadLetterFolder.resolve(checked(key) + ".eml");
    }

    /** Why a message was dead-lettered, in plain text beside its raw bytes. */
    public Path deadLetterReason(String key) {
        return deadLetterFolder.resolve(checked(key) + ".reason.txt");
    }

    /**
     * Whether the mailbox folder takes new files right now: tells an unusable sink (an outage) from a
     * write that failed for one message only.
     */
    public boolean acceptsWrites() {
        try {
            modes.createFolders(mailboxFolder);
            Path probe = Files.createTempFile(mailboxFolder, ".probe-", AtomicFiles.PART_SUFFIX);
            Files.delete(probe);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String checked(String key) {
        if (!MESSAGE_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("Not a message key: " + key);
        }
        return key;
    }
}
