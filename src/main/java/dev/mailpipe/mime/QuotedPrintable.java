package dev.mailpipe.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import org.eclipse.angus.mail.util.ASCIIUtility;

/**
 * Angus Mail's quoted-printable decoder, byte for byte, except that a soft line break
 * ({@code =} at the end of a line) is skipped in a loop: Angus's {@code QPDecoderStream} calls
 * itself once per soft break, so a part of 500,000 of them in a row overflows the stack.
 */
final class QuotedPrintable extends InputStream {

    private final PushbackInputStream in;
    private final byte[] escape = new byte[2];
    /** Spaces read ahead that turned out to be text, still to be returned. */
    private int spaces;

    QuotedPrintable(InputStream raw) {
        this.in = new PushbackInputStream(raw, 2);
    }

    @Override
    public int read() throws IOException {
        while (true) {
            if (spaces > 0) {
                spaces--;
                return ' ';
            }
            int c = in.read();
            if (c == ' ') {
                return space();
            }
            if (c != '=') {
                return c;
            }
            int a = in.read();
            if (a == '\r') {
                int b = in.read();
                if (b != '\n') {
                    in.unread(b);
                }
            } else if (a == -1) {
                return -1;
            } else if (a != '\n') {
                return escaped(a);
            }
        }
    }

    /** Spaces before a line end are transport padding and go; others are text. */
    private int space() throws IOException {
        int c;
        while ((c = in.read()) == ' ') {
            spaces++;
        }
        if (c == '\r' || c == '\n' || c == -1) {
            spaces = 0;
            return c;
        }
        in.unread(c);
        return ' ';
    }

    /** The byte {@code =XY} stands for; a broken escape is kept as written. */
    private int escaped(int first) throws IOException {
        escape[0] = (byte) first;
        escape[1] = (byte) in.read();
        try {
            return ASCIIUtility.parseInt(escape, 0, 2, 16);
        } catch (NumberFormatException e) {
            in.unread(escape);
            return '=';
        }
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        int i = 0;
        for (; i < length; i++) {
            int c = read();
            if (c == -1) {
                return i == 0 ? -1 : i;
            }
            target[offset + i] = (byte) c;
        }
        return i;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
