package dev.mailpipe.check;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files sink's folder: it exists and takes a file (a probe written, fsync'd and removed), or it
 * can be made (the nearest folder that exists is writable, and nothing is made now); and its file
 * system has room for the mail waiting in the mailboxes that store there.
 */
final class FilesProbe {

    static final String PART = "files";

    private final Path folder;

    FilesProbe(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    /** {@code bytesWaiting}: the STAT sizes of the mailboxes that store here, as their checks found them. */
    Finding run(long bytesWaiting) {
        String subject = folder.toString();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("folder", subject);
        try {
            Path existing = nearestExisting(folder);
            if (existing == null || !Files.isDirectory(existing)) {
                return Finding.failed(PART, subject, "not a folder, and none of its parents is one that exists");
            }
            String state;
            if (existing.equals(folder)) {
                probe(folder);
                state = "exists and takes files (a probe file was written, fsync'd and removed)";
            } else if (Files.isWritable(existing)) {
                state = "does not exist yet; it will be made in " + existing + ", which is writable";
            } else {
                return Finding.failed(
                        PART, subject, "does not exist, and " + existing + " where it would be made is not writable");
            }
            long free = Files.getFileStore(existing).getUsableSpace();
            facts.put("freeBytes", free);
            facts.put("bytesWaiting", bytesWaiting);
            if (free < bytesWaiting) {
                return new Finding(
                        PART,
                        subject,
                        false,
                        "has " + MailboxProbe.bytes(free) + " free, less than the " + MailboxProbe.bytes(bytesWaiting)
                                + " waiting in its mailboxes",
                        facts);
            }
            return Finding.ok(
                    PART,
                    subject,
                    state + "; " + MailboxProbe.bytes(free) + " free for " + MailboxProbe.bytes(bytesWaiting)
                            + " waiting",
                    facts);
        } catch (IOException e) {
            return Finding.failed(PART, subject, "does not take files: " + e);
        }
    }

    /** {@code path} if it exists, else its nearest parent that does (where it would be made); null if none. */
    static Path nearestExisting(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing;
    }

    private static void probe(Path folder) throws IOException {
        Path probe = Files.createTempFile(folder, ".mailpipe-check-", ".probe");
        try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {'o', 'k'}));
            channel.force(true);
        } finally {
            Files.deleteIfExists(probe);
        }
    }
}
