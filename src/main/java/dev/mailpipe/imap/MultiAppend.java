package dev.mailpipe.imap;

import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.Literal;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.util.CRLFOutputStream;

/**
 * One APPEND command carrying several messages (MULTIAPPEND, RFC 3502), which Angus Mail does not
 * send: one round trip for the batch instead of one per message (measured in docs/benchmarks.md).
 * Each message goes as Angus sends one (its flags, its Date as the internal date, its bytes with
 * CRLF line ends, a LITERAL+ literal where the server offers it). The server appends all or none.
 */
final class MultiAppend {

    private static final Pattern APPENDUID =
            Pattern.compile("\\[APPENDUID (\\d+) ([0-9:,]+)]", Pattern.CASE_INSENSITIVE);

    private MultiAppend() {}

    /**
     * Appends {@code messages} to the open {@code folder} in one command; returns the UIDVALIDITY and
     * the messages' UIDs in order when the server tells them (UIDPLUS), else null. A NO or BAD fails
     * with a {@link MessagingException} whose cause is Angus's protocol exception, as a single APPEND does.
     */
    static Uids append(IMAPFolder folder, List<? extends Message> messages, Flags flags) throws MessagingException {
        String name = folder.getFullName();
        List<Date> dates = new ArrayList<>();
        for (Message message : messages) {
            dates.add(message.getReceivedDate());
        }
        Response answer = (Response) folder.doCommand(protocol -> {
            Argument args = new Argument();
            args.writeString(BASE64MailboxEncoder.encode(name));
            String flagList = flagList(flags);
            for (int i = 0; i < messages.size(); i++) {
                if (!flagList.isEmpty()) {
                    // As Angus writes a flag list: unquoted, as it is.
                    args.writeAtom(flagList);
                }
                if (dates.get(i) != null) {
                    args.writeString(INTERNALDATE.format(dates.get(i)));
                }
                args.writeBytes(literal(messages.get(i)));
            }
            Response[] responses = protocol.command("APPEND", args);
            protocol.notifyResponseHandlers(responses);
            Response result = responses[responses.length - 1];
            protocol.handleResult(result);
            return result;
        });
        return Uids.of(answer.toString(), messages.size());
    }

    /** What an APPENDUID code says of a batch: the folder's UIDVALIDITY and a UID per message, in order. */
    record Uids(long uidValidity, List<Long> uids) {

        /** Null unless the answer holds an APPENDUID with one UID per message. */
        static Uids of(String answer, int messages) {
            Matcher matcher = APPENDUID.matcher(answer);
            if (!matcher.find()) {
                return null;
            }
            List<Long> uids = new ArrayList<>();
            for (String range : matcher.group(2).split(",")) {
                String[] ends = range.split(":");
                long first = Long.parseLong(ends[0]);
                long last = ends.length == 2 ? Long.parseLong(ends[1]) : first;
                for (long uid = Math.min(first, last); uid <= Math.max(first, last) && uids.size() <= messages; uid++) {
                    uids.add(uid);
                }
            }
            return uids.size() == messages ? new Uids(Long.parseLong(matcher.group(1)), List.copyOf(uids)) : null;
        }
    }

    /** The flags as an IMAP flag list; empty for none. */
    static String flagList(Flags flags) {
        List<String> names = new ArrayList<>();
        for (Flags.Flag flag : flags.getSystemFlags()) {
            if (flag == Flags.Flag.ANSWERED) {
                names.add("\\Answered");
            } else if (flag == Flags.Flag.DELETED) {
                names.add("\\Deleted");
            } else if (flag == Flags.Flag.DRAFT) {
                names.add("\\Draft");
            } else if (flag == Flags.Flag.FLAGGED) {
                names.add("\\Flagged");
            } else if (flag == Flags.Flag.SEEN) {
                names.add("\\Seen");
            }
        }
        for (String keyword : flags.getUserFlags()) {
            names.add(keyword);
        }
        return names.isEmpty() ? "" : "(" + String.join(" ", names) + ")";
    }

    /** The size of the message's bytes with CRLF line ends: as an APPEND sends it and a server counts it. */
    static long crlfSize(Message message) throws MessagingException, IOException {
        try (Counter counter = new Counter();
                OutputStream crlf = new CRLFOutputStream(counter)) {
            message.writeTo(crlf);
            crlf.flush();
            return counter.bytes;
        }
    }

    /** The message's bytes with CRLF line ends, measured first (a literal announces its size), written on demand. */
    private static Literal literal(Message message) throws org.eclipse.angus.mail.iap.ProtocolException {
        long size;
        try {
            size = crlfSize(message);
        } catch (IOException | MessagingException e) {
            throw new org.eclipse.angus.mail.iap.ProtocolException("Reading the message to append: " + e, e);
        }
        if (size > Integer.MAX_VALUE) {
            throw new org.eclipse.angus.mail.iap.ProtocolException(
                    "A message of " + size + " bytes is too large to append");
        }
        return new Literal() {
            @Override
            public int size() {
                return (int) size;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                try {
                    OutputStream crlf = new CRLFOutputStream(out);
                    message.writeTo(crlf);
                    crlf.flush();
                } catch (MessagingException e) {
                    throw new IOException("Writing the message to append: " + e, e);
                }
            }
        };
    }

    private static final class Counter extends OutputStream {
        private long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
