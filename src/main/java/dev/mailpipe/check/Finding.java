package dev.mailpipe.check;

import java.util.Map;

/**
 * What one check found.
 *
 * @param part what was checked: {@code mailbox}, {@code files}, {@code kafka}, {@code imap} or {@code ledger}
 * @param subject which one: the mailbox's route and address, the folder, the cluster, the account and folder
 * @param ok whether it will work
 * @param detail what was seen (ok) or what is wrong, in the runner's own words (not ok)
 * @param facts what the check learnt, for {@code --json} (capabilities, messages waiting, free space...)
 */
public record Finding(String part, String subject, boolean ok, String detail, Map<String, Object> facts) {

    static Finding ok(String part, String subject, String detail, Map<String, Object> facts) {
        return new Finding(part, subject, true, detail, facts);
    }

    static Finding failed(String part, String subject, String detail) {
        return new Finding(part, subject, false, detail, Map.of());
    }

    boolean isMailbox() {
        return part.equals(MailboxProbe.PART);
    }
}
