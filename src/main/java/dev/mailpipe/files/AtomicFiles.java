package dev.mailpipe.files;

import dev.mailpipe.common.Sha256;
import dev.mailpipe.config.FileModes;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a file so that readers and crashes only ever see the old content or the complete new one:
 * a temporary file in the same folder, fsync, atomic rename, fsync of the folder. Files and the
 * folders made for them get the sink's {@link FileModes} from their creation on.
 */
public final class AtomicFiles {

    /** Suffix of temporary files; a crash can leave one behind, never a half-written target. */
    public static final String PART_SUFFIX = ".part";

    /**
     * Who writes the temporary files: the ledger instance's tag ({@link #ownerTag}) once the runner
     * has joined the ledger, so a later start can tell a stopped instance's leftovers from a live
     * one's (LeftoverParts); until then a random tag. A random part follows, so instances sharing a
     * folder never pick the same temporary name.
     */
    private static volatile String owner =
            ownerTag("process-" + ProcessHandle.current().pid() + "-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()));

    private static final String PROCESS_RANDOM =
            Long.toHexString(ThreadLocalRandom.current().nextLong());

    private static final AtomicLong PARTS = new AtomicLong();

    /**
     * Gathers small writes only: writes this large or larger go straight to the file, and every
     * producer here writes in blocks (downloads, attachments) or at once (events). A bigger buffer
     * would be allocated for each of a message's files and grow the heap.
     */
    private static final int BUFFER_BYTES = 8 * 1024;

    /** Produces the content into the stream it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws Exception;
    }

    /** A step on the file system. */
    @FunctionalInterface
    private interface FileStep<T> {
        T run() throws IOException;
    }

    private AtomicFiles() {}

    /** Temporary files from now on name this ledger instance ({@code ledger.instanceId}) as their owner. */
    public static void ownedBy(String instanceId) {
        owner = ownerTag(instanceId);
    }

    /** A ledger instance's tag in temporary file names: 16 hex digits of its id's SHA-256 (ids hold '/'). */
    public static String ownerTag(String instanceId) {
        return Sha256.hex(instanceId).substring(0, 16);
    }

    /**
     * Returns the number of bytes written to {@code target}. A failure of the file system is thrown
     * as a {@link FileSinkException}; a failure of the content itself (say, the connection it is
     * read from) is thrown as it is, so callers can tell a full disk from a dropped connection.
     */
    public static long write(Path target, FileModes modes, Content content) throws Exception {
        try (Pending pending = writePending(target, modes, content)) {
            pending.commit();
            return pending.size();
        }
    }

    /**
     * The first half of {@link #write}: the content goes into the temporary file, which is neither
     * durable nor visible under {@code target} until {@link Pending#commit}. Lets a slow producer
     * (a download) hand the fsync and rename to another thread. Failures as in {@link #write}.
     */
    public static Pending writePending(Path target, FileModes modes, Content content) throws Exception {
        Path folder = target.toAbsolutePath().getParent();
        Path part = folder.resolve("." + target.getFileName() + "." + uniquePartName() + PART_SUFFIX);
        boolean written = false;
        try {
            // Creating a folder that exists throws and catches an exception: look first, the usual case.
            if (!Files.isDirectory(folder)) {
                onFileSystem(() -> {
                    modes.createFolders(folder);
                    return null;
                });
            }
            long size;
            // Created with its final mode (see FileModes): the rename keeps it.
            try (FileChannel channel = onFileSystem(() -> modes.createFile(part))) {
                CountingOutputStream counter = new CountingOutputStream(Channels.newOutputStream(channel));
                OutputStream out = new BufferedOutputStream(counter, BUFFER_BYTES);
                try {
                    content.writeTo(out);
                    out.flush();
                } catch (Exception e) {
                    // The content producer may have wrapped our stream's failure; surface it as the file's.
                    throw fileFailureIn(e).orElse(e);
                }
                size = counter.count();
            }
            written = true;
            return new Pending(part, target.toAbsolutePath(), size);
        } finally {
            if (!written) {
                deleteQuietly(part);
            }
        }
    }

    /**
     * Unique among the temporary files of every process (a CREATE_NEW would fail on a clash rather
     * than overwrite). A counter, not a random UUID: that reads the system's secure random source
     * for each of a message's files.
     */
    private static String uniquePartName() {
        return owner + "-" + PROCESS_RANDOM + "-" + PARTS.incrementAndGet();
    }

    /** A complete file under its temporary name; {@link #close} removes it unless it was committed. */
    public static final class Pending implements AutoCloseable {
        private final Path part;
        private final Path target;
        private final long size;
        private boolean committed;

        private Pending(Path part, Path target, long size) {
            this.part = part;
            this.target = target;
            this.size = size;
        }

        /** The temporary file, readable until the commit. */
        public Path part() {
            return part;
        }

        public Path target() {
            return target;
        }

        public long size() {
            return size;
        }

        /** Makes the file durable and visible: fsync, atomic rename over the target, fsync of the folder. */
        public synchronized void commit() throws FileSinkException {
            onFileSystem(() -> {
                try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                return null;
            });
            onFileSystem(() ->
                    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING));
            committed = true;
            onFileSystem(() -> {
                syncFolder(target.getParent());
                return null;
            });
        }

        @Override
        public synchronized void close() {
            if (!committed) {
                deleteQuietly(part);
            }
        }
    }

    /** Removes a leftover temporary file; never masks the failure that is on its way out. */
    private static void deleteQuietly(Path part) {
        try {
            Files.deleteIfExists(part);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(AtomicFiles.class)
                    .debug("Could not remove temporary file {}: {}", part, e.toString());
        }
    }

    private static <T> T onFileSystem(FileStep<T> step) throws FileSinkException {
        try {
            return step.run();
        } catch (FileSinkException e) {
            throw e;
        } catch (IOException e) {
            throw new FileSinkException(e);
        }
    }

    private static java.util.Optional<Exception> fileFailureIn(Exception failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof FileSinkException fileFailure) {
                return java.util.Optional.of(fileFailure);
            }
        }
        return java.util.Optional.empty();
    }

    /** Makes the rename itself durable; without it a power cut can undo the rename on ext4/xfs. */
    private static void syncFolder(Path folder) throws IOException {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Counts bytes on their way to the file, and marks the file's own failures as such. */
    private static final class CountingOutputStream extends FilterOutputStream {
        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            onFileSystem(() -> {
                out.write(b, off, len);
                return null;
            });
            count += len;
        }

        long count() {
            return count;
        }
    }
}
