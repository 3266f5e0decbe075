package dev.mailpipe.imap;

import java.util.Optional;

/**
 * What is known of the last APPEND of a message: being sent (its outcome unknown until the server
 * answers), appended, or refused. {@code uid} is, while sending, the lowest UID the message can get
 * in {@code folder} (UIDs only grow while {@code uidValidity} stays); once appended, its UID; 0 when
 * the server does not tell (no UIDPLUS).
 */
public record AppendRecord(Outcome outcome, String folder, long uidValidity, long uid) {

    /** Where the APPEND stands. */
    public enum Outcome {
        SENDING,
        APPENDED,
        REFUSED
    }

    /** Stands for every folder in {@link #unknown()}. */
    private static final String ANY_FOLDER = "*";

    public AppendRecord {
        if (folder == null || folder.isEmpty()) {
            throw new IllegalArgumentException("An append record names its folder");
        }
    }

    /**
     * An APPEND may have been sent to any folder, nothing known of it: what a ledger entry from before
     * the journal holds while its message is not yet delivered (the sink then searches for it).
     */
    public static AppendRecord unknown() {
        return new AppendRecord(Outcome.SENDING, ANY_FOLDER, 0, 0);
    }

    /** Whether this record is about APPENDs to {@code target}. */
    public boolean concerns(String target) {
        return folder.equals(target) || folder.equals(ANY_FOLDER);
    }

    /** One line for a ledger column: the outcome, the numbers, and the folder last (it may hold spaces). */
    public String encode() {
        return outcome + " " + uidValidity + " " + uid + " " + folder;
    }

    /** The record {@link #encode} wrote; empty for null, blank or text it did not write. */
    public static Optional<AppendRecord> decode(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String[] fields = text.split(" ", 4);
        try {
            return Optional.of(new AppendRecord(
                    Outcome.valueOf(fields[0]), fields[3], Long.parseLong(fields[1]), Long.parseLong(fields[2])));
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }
}
