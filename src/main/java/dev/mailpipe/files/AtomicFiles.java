package dev.mailpipe.files;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes a file so that readers and crashes only ever see the old content or the complete new one:
 * a temporary file in the same folder, fsync, atomic rename, fsync of the folder.
 */
public final class AtomicFiles {

    /** Suffix of temporary files; a crash can leave one behind, never a half-written target. */
    public static final String PART_SUFFIX = ".part";

    private static final int BUFFER_BYTES = 64 * 1024;

    /** Produces the content into the stream it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws Exception;
    }

    private AtomicFiles() {}

    /** Returns the number of bytes written to {@code target}. */
    public static long write(Path target, Content content) throws Exception {
        Path folder = target.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path part = folder.resolve("." + target.getFileName() + "." + UUID.randomUUID() + PART_SUFFIX);
        try {
            long size;
            try (FileChannel channel =
                    FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                CountingOutputStream counter = new CountingOutputStream(Channels.newOutputStream(channel));
                OutputStream out = new BufferedOutputStream(counter, BUFFER_BYTES);
                content.writeTo(out);
                out.flush();
                channel.force(true);
                size = counter.count();
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncFolder(folder);
            return size;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Makes the rename itself durable; without it a power cut can undo the rename on ext4/xfs. */
    private static void syncFolder(Path folder) throws IOException {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Counts bytes on their way to the file, so the size needs no second stat. */
    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        long count() {
            return count;
        }
    }
}
