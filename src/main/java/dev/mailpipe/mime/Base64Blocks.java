package dev.mailpipe.mime;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;
import org.eclipse.angus.mail.util.BASE64DecoderStream;

/**
 * Decodes a base64 part in blocks, for the common case of a well-formed body: lines of the base64
 * alphabet ended by CRLF. Angus Mail's strict decoder reads a byte at a time through a method call
 * and was the largest item of a drain's parsing (docs/benchmarks.md); this loop does the same
 * arithmetic on a 64 kB block.
 *
 * <p>The first byte that is neither the alphabet nor CR/LF (the padding {@code =} at the end, a
 * space, garbage) hands the rest of the part, with the unfinished group, to Angus's strict
 * decoder. The groups decoded before that point are the ones Angus would have decoded, so the
 * output and the errors are Angus's (an error quotes fewer of the characters read before it), with
 * one exception: Angus's "strict" decoder silently skips bytes outside the alphabet, white space
 * and padding, so garbage whose letters happen to fill whole groups passed unnoticed. Such a byte
 * is an error here, which the mapper reports as {@code bad-encoding} before decoding leniently.
 */
final class Base64Blocks extends InputStream {

    private static final int BLOCK_BYTES = 64 * 1024;
    private static final byte LINE_BREAK = -2;
    private static final byte OTHER = -1;
    private static final byte[] VALUES = values();

    private final InputStream raw;
    private final byte[] encoded = new byte[BLOCK_BYTES];
    private final byte[] decoded = new byte[BLOCK_BYTES / 4 * 3];
    private int position;
    private int limit;
    /** The alphabet characters of the group not yet complete, carried over to the next block. */
    private final byte[] group = new byte[4];

    private int grouped;

    /** Angus's decoder, once the input left the common case. */
    private InputStream rest;

    private boolean ended;

    private final byte[] one = new byte[1];

    Base64Blocks(InputStream raw) {
        this.raw = raw;
    }

    private static byte[] values() {
        byte[] values = new byte[256];
        Arrays.fill(values, OTHER);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            values[alphabet.charAt(i)] = (byte) i;
        }
        values['\r'] = LINE_BREAK;
        values['\n'] = LINE_BREAK;
        return values;
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (position == limit) {
            if (rest != null) {
                return rest.read(target, offset, length);
            }
            if (ended) {
                return -1;
            }
            decodeNextBlock();
        }
        int n = Math.min(length, limit - position);
        System.arraycopy(decoded, position, target, offset, n);
        position += n;
        return n;
    }

    private void decodeNextBlock() throws IOException {
        int read = raw.read(encoded, 0, encoded.length);
        position = 0;
        limit = 0;
        if (read < 0) {
            ended = true;
            if (grouped > 0) {
                // A group cut short at the end: Angus reports it as its strict decoder does.
                handOver(0, 0);
            }
            return;
        }
        int out = 0;
        int count = grouped;
        int bits = 0;
        for (int i = 0; i < count; i++) {
            bits = bits << 6 | VALUES[group[i]];
        }
        for (int i = 0; i < read; i++) {
            byte c = encoded[i];
            int value = VALUES[c & 0xff];
            if (value >= 0) {
                group[count] = c;
                bits = bits << 6 | value;
                if (++count == 4) {
                    decoded[out] = (byte) (bits >> 16);
                    decoded[out + 1] = (byte) (bits >> 8);
                    decoded[out + 2] = (byte) bits;
                    out += 3;
                    count = 0;
                    bits = 0;
                }
            } else if (value == OTHER) {
                limit = out;
                grouped = count;
                handOver(i, read);
                return;
            }
        }
        limit = out;
        grouped = count;
    }

    /**
     * Angus's strict decoder takes over: it reads the unfinished group, then {@code encoded[from..to)},
     * then the rest of the part.
     */
    private void handOver(int from, int to) {
        byte[] unread = new byte[grouped + to - from];
        System.arraycopy(group, 0, unread, 0, grouped);
        System.arraycopy(encoded, from, unread, grouped, to - from);
        rest = new BASE64DecoderStream(
                new NoGarbage(new SequenceInputStream(new ByteArrayInputStream(unread), raw)), false);
        grouped = 0;
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }

    /** Fails on the first byte that base64 text never holds: not the alphabet, white space or padding. */
    private static final class NoGarbage extends FilterInputStream {

        NoGarbage(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                check((byte) b);
            }
            return b;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            int n = in.read(target, offset, length);
            for (int i = 0; i < n; i++) {
                check(target[offset + i]);
            }
            return n;
        }

        private static void check(byte b) throws IOException {
            if (VALUES[b & 0xff] == OTHER && b != '=' && b != ' ' && b != '\t') {
                throw new IOException(String.format("not a base64 character: 0x%02x", b & 0xff));
            }
        }
    }
}
