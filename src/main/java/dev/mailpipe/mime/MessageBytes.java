package dev.mailpipe.mime;

import jakarta.mail.internet.SharedInputStream;
import jakarta.mail.util.SharedFileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A message's bytes as the shared stream Angus Mail parses: a small one read into the heap, one up
 * to {@link #MAPPED_BYTES} mapped, a larger one through Angus's file stream. Every part Angus splits
 * off a heap or mapped message is a view of the same bytes: it costs no buffer and no system call
 * (a {@code SharedFileInputStream} allocates a buffer per part it builds; {@code BoundedMultipart}
 * builds no part past the cap).
 */
final class MessageBytes extends InputStream implements SharedInputStream {

    /**
     * Messages up to this size are read into the heap: mapping a file costs more than reading it
     * while it is small, and a small buffer is gone with the event.
     */
    static final int IN_MEMORY_BYTES = 1024 * 1024;

    /**
     * Messages over this size are read through Angus's file stream instead of being mapped: the
     * pages of a mapping count as the process's memory (a 283 MB message raised peak RSS from 151
     * to 419 MB under -Xmx256m), while the stream's 32 kB buffer per part is bounded by the part cap
     * (1,000 parts: 32 MB at most).
     */
    static final long MAPPED_BYTES = 64L * 1024 * 1024;

    private static final int READ_BUFFER_BYTES = 32 * 1024;

    /** This stream's bytes; its position is the read position. */
    private final ByteBuffer bytes;

    private int mark;

    private MessageBytes(ByteBuffer bytes) {
        this.bytes = bytes;
    }

    /**
     * The bytes of {@code eml}. The mapping outlives the channel and is released when the last view
     * is collected; the .eml file is replaced by renames only, never truncated, so it stays valid.
     * A message over {@link #MAPPED_BYTES} is read through Angus's file stream.
     */
    static InputStream of(Path eml, long size) throws IOException {
        if (size <= IN_MEMORY_BYTES) {
            return new MessageBytes(ByteBuffer.wrap(Files.readAllBytes(eml)));
        }
        if (size > MAPPED_BYTES) {
            return new SharedFileInputStream(eml.toFile(), READ_BUFFER_BYTES);
        }
        try (FileChannel channel = FileChannel.open(eml, StandardOpenOption.READ)) {
            return new MessageBytes(channel.map(FileChannel.MapMode.READ_ONLY, 0, size));
        }
    }

    @Override
    public int read() {
        return bytes.hasRemaining() ? bytes.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (!bytes.hasRemaining()) {
            return -1;
        }
        int n = Math.min(length, bytes.remaining());
        bytes.get(target, offset, n);
        return n;
    }

    @Override
    public long skip(long n) {
        int skipped = (int) Math.max(0, Math.min(n, bytes.remaining()));
        bytes.position(bytes.position() + skipped);
        return skipped;
    }

    @Override
    public int available() {
        return bytes.remaining();
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    @Override
    public void mark(int readLimit) {
        mark = bytes.position();
    }

    @Override
    public void reset() {
        bytes.position(mark);
    }

    @Override
    public long getPosition() {
        return bytes.position();
    }

    /** A view of {@code [start, end)} of this stream, {@code end} -1 for the rest. */
    @Override
    public InputStream newStream(long start, long end) {
        int to = end < 0 ? bytes.limit() : (int) end;
        return new MessageBytes(
                bytes.duplicate().limit(to).position((int) start).slice());
    }
}
