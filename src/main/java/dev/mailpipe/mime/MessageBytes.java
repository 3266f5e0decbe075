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
 * A message's bytes as the shared stream Angus Mail parses: a large file mapped, a small one read
 * into the heap. Every part Angus splits off is a view of the same bytes: it costs no buffer and no
 * system call, which keeps a message of many thousands of parts from costing a read buffer each (a
 * {@code SharedFileInputStream} allocates one per part, before any part cap can apply).
 */
final class MessageBytes extends InputStream implements SharedInputStream {

    /**
     * Messages up to this size are read into the heap: mapping a file costs more than reading it
     * while it is small, and a small buffer is gone with the event.
     */
    static final int IN_MEMORY_BYTES = 1024 * 1024;

    /** This stream's bytes; its position is the read position. */
    private final ByteBuffer bytes;

    private int mark;

    private MessageBytes(ByteBuffer bytes) {
        this.bytes = bytes;
    }

    /**
     * The bytes of {@code eml}. The mapping outlives the channel and is released when the last view
     * is collected; the .eml file is replaced by renames only, never truncated, so it stays valid.
     * A buffer maps at most 2 GiB: a larger message is read through Angus's file stream, whose
     * small default buffer per part is bounded by the part cap.
     */
    static InputStream of(Path eml, long size) throws IOException {
        if (size <= IN_MEMORY_BYTES) {
            return new MessageBytes(ByteBuffer.wrap(Files.readAllBytes(eml)));
        }
        if (size > Integer.MAX_VALUE) {
            return new SharedFileInputStream(eml.toFile());
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
