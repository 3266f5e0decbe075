package dev.mailpipe.mailbox;

import jakarta.mail.Folder;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection of an open Angus Mail POP3 folder, for the two commands where Angus costs mailpipe
 * most:
 *
 * <ul>
 *   <li>{@link #retrieve}: Angus copies a RETR reply one character at a time through a synchronized
 *       reader into a synchronized stream, about 25 ns a byte, which made the download thread the
 *       bottleneck of a drain (docs/benchmarks.md). This reads the same reader in blocks and undoes
 *       the dot-stuffing in one pass.
 *   <li>{@link #delete}: Angus sends each DELE and waits for its reply, one round trip per message
 *       at the QUIT. When the server offers PIPELINING (RFC 2449), this writes the batch's DELEs at
 *       once and then reads the replies.
 * </ul>
 *
 * Angus keeps the connection private, so it is reached by reflection on the pinned Angus version;
 * {@link #of} returns empty if that version's layout is not found, and callers fall back to Angus's
 * own commands ({@code Pop3ConnectionTest} fails first if the fast path is lost). Every command
 * holds the lock Angus's own commands hold, so the two never interleave on the wire.
 */
public final class Pop3Connection {

    private static final Logger LOG = LoggerFactory.getLogger(Pop3Connection.class);
    private static final int CHUNK_CHARS = 64 * 1024;
    private static final Layout LAYOUT = Layout.find();

    private final Object protocol;
    private final Socket socket;
    private final BufferedReader input;
    private final PrintWriter output;
    private final boolean pipelining;
    /** For each message of the batch, the one the consumer asks for after it (see {@link #plan}). */
    private Map<Integer, Integer> following = Map.of();
    /** The message whose RETR was sent ahead and whose reply has not been read; 0 if none. */
    private int sentAhead;

    private Pop3Connection(
            Object protocol, Socket socket, BufferedReader input, PrintWriter output, boolean pipelining) {
        this.protocol = protocol;
        this.socket = socket;
        this.input = input;
        this.output = output;
        this.pipelining = pipelining;
    }

    /** The connection of {@code folder} if it is an open Angus POP3 folder whose layout is known. */
    public static Optional<Pop3Connection> of(Folder folder) {
        if (LAYOUT == null || !LAYOUT.folderClass.isInstance(folder)) {
            return Optional.empty();
        }
        try {
            Object protocol = LAYOUT.port.get(folder);
            if (protocol == null) {
                return Optional.empty();
            }
            synchronized (protocol) {
                Socket socket = (Socket) LAYOUT.socket.get(protocol);
                BufferedReader input = (BufferedReader) LAYOUT.input.get(protocol);
                PrintWriter output = (PrintWriter) LAYOUT.output.get(protocol);
                if (socket == null || input == null || output == null) {
                    return Optional.empty();
                }
                return Optional.of(
                        new Pop3Connection(protocol, socket, input, output, LAYOUT.pipelining.getBoolean(protocol)));
            }
        } catch (IllegalAccessException e) {
            return Optional.empty();
        }
    }

    /**
     * This connection, pipelining although the server did not announce it: for tests against servers
     * (GreenMail) that handle pipelined commands without saying so.
     */
    Pop3Connection assumingPipelining() {
        return new Pop3Connection(protocol, socket, input, output, true);
    }

    /** Whether the server announced PIPELINING in its CAPA reply. */
    public boolean pipelining() {
        return pipelining;
    }

    /**
     * The batch's message numbers in the order they will be retrieved. With PIPELINING, each
     * {@link #retrieve} then sends the RETR of the following message before reading its own reply,
     * so the server streams the next message while this one is written to disk (and on a distant
     * server the round trip per message is gone). A message the consumer skips after all (already
     * delivered) costs one reply read and discarded.
     */
    public void plan(List<Integer> numbers) {
        Map<Integer, Integer> next = new HashMap<>();
        for (int i = 0; i + 1 < numbers.size(); i++) {
            next.put(numbers.get(i), numbers.get(i + 1));
        }
        synchronized (protocol) {
            following = next;
        }
    }

    /**
     * Retrieves message {@code number} (1-based, as in the session's listing) and copies it, dot-stuffing
     * undone, into {@code out}. Returns false if the server refused (the message is gone). A failure
     * of {@code out} is thrown after the reply has been read to its end, so the session stays usable;
     * a failure of the connection closes it, since its position in the reply is lost.
     */
    public boolean retrieve(int number, OutputStream out) throws IOException {
        synchronized (protocol) {
            try {
                if (sentAhead != number) {
                    discardSentAhead();
                    send("RETR " + number + "\r\n");
                }
                sentAhead = 0;
                int next = pipelining ? following.getOrDefault(number, 0) : 0;
                if (next > 0) {
                    send("RETR " + next + "\r\n");
                }
                // Replies come in command order: this message's first, then the next one's.
                boolean found = okReply("RETR");
                IOException writeFailure = found ? copyReply(out) : null;
                sentAhead = next;
                if (writeFailure != null) {
                    throw writeFailure;
                }
                return found;
            } catch (ConnectionFailure e) {
                closeQuietly();
                throw e.getCause();
            }
        }
    }

    /**
     * Reads and drops the reply to a RETR sent ahead and not asked for: it must be off the wire
     * before any other command, Angus's included. Call before handing the session back to Angus.
     */
    public void settle() throws IOException {
        synchronized (protocol) {
            try {
                discardSentAhead();
            } catch (ConnectionFailure e) {
                closeQuietly();
                throw e.getCause();
            }
        }
    }

    private void discardSentAhead() throws ConnectionFailure {
        if (sentAhead == 0) {
            return;
        }
        sentAhead = 0;
        if (okReply("RETR")) {
            copyReply(OutputStream.nullOutputStream());
        }
    }

    /**
     * Sends DELE for each message number and reads every reply; returns the numbers the server
     * refused. Pipelined when the server offers it, otherwise one round trip each. A connection
     * failure closes the connection: without the QUIT the server applies none of them.
     */
    public List<Integer> delete(List<Integer> numbers) throws IOException {
        synchronized (protocol) {
            try {
                discardSentAhead();
                List<Integer> refused = new ArrayList<>();
                if (pipelining) {
                    StringBuilder commands = new StringBuilder(numbers.size() * 12);
                    numbers.forEach(
                            number -> commands.append("DELE ").append(number).append("\r\n"));
                    send(commands.toString());
                    for (int number : numbers) {
                        if (!okReply("DELE")) {
                            refused.add(number);
                        }
                    }
                } else {
                    for (int number : numbers) {
                        send("DELE " + number + "\r\n");
                        if (!okReply("DELE")) {
                            refused.add(number);
                        }
                    }
                }
                return refused;
            } catch (ConnectionFailure e) {
                closeQuietly();
                throw e.getCause();
            }
        }
    }

    private void send(String commands) throws ConnectionFailure {
        if (socket.isClosed()) {
            throw new ConnectionFailure(new IOException("Folder is closed"));
        }
        output.print(commands);
        output.flush();
        // PrintWriter keeps its failures to itself.
        if (output.checkError()) {
            throw new ConnectionFailure(
                    new IOException("could not send " + commands.split(" ", 2)[0] + " to the server"));
        }
    }

    private boolean okReply(String command) throws ConnectionFailure {
        String line;
        try {
            line = input.readLine();
        } catch (IOException e) {
            throw new ConnectionFailure(e);
        }
        if (line == null) {
            throw new ConnectionFailure(new EOFException("EOF on socket"));
        }
        if (line.startsWith("+OK")) {
            return true;
        }
        if (line.startsWith("-ERR")) {
            LOG.debug("{} refused: {}", command, line);
            return false;
        }
        throw new ConnectionFailure(new IOException("Unexpected response to " + command + ": " + abbreviate(line)));
    }

    /**
     * Copies a multi-line reply up to its terminating {@code CRLF.CRLF} line. Angus's reader decodes
     * the connection as ISO-8859-1, so each character is exactly one byte of the message. The reader
     * is marked before each block and, once the terminator is found, reset to just after it, so
     * nothing of a following reply is consumed.
     */
    private IOException copyReply(OutputStream out) throws ConnectionFailure {
        char[] chars = new char[CHUNK_CHARS];
        byte[] bytes = new byte[CHUNK_CHARS];
        IOException writeFailure = null;
        Unstuffing state = new Unstuffing();
        while (true) {
            int read;
            try {
                input.mark(CHUNK_CHARS);
                read = input.read(chars, 0, CHUNK_CHARS);
            } catch (IOException e) {
                throw new ConnectionFailure(e);
            }
            if (read < 0) {
                throw new ConnectionFailure(new EOFException("EOF on socket"));
            }
            int consumed = state.copy(chars, read, bytes);
            if (writeFailure == null && state.length > 0) {
                try {
                    out.write(bytes, 0, state.length);
                } catch (IOException e) {
                    writeFailure = e;
                }
            }
            if (consumed < read) {
                try {
                    input.reset();
                    input.skip(consumed);
                } catch (IOException e) {
                    throw new ConnectionFailure(e);
                }
                return writeFailure;
            }
            if (state.ended) {
                return writeFailure;
            }
        }
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing the POP3 connection failed", e);
        }
    }

    private static String abbreviate(String line) {
        return line.length() <= 100 ? line : line.substring(0, 100) + "...";
    }

    /**
     * Undoes RFC 1939 byte-stuffing across blocks: a line starting with {@code .} loses that dot,
     * and a line that is only {@code .} ends the reply. Same reading as Angus's.
     */
    static final class Unstuffing {
        private static final int MID_LINE = 0;
        private static final int LINE_START = 1;
        private static final int AFTER_DOT = 2;
        private static final int AFTER_DOT_CR = 3;

        private int state = LINE_START;
        /** Bytes produced by the last {@link #copy}. */
        int length;
        /** Whether the terminating line has been read completely. */
        boolean ended;

        /**
         * Converts {@code chars[0..count)} into {@code bytes}; returns how many chars belong to this
         * reply (fewer than {@code count} only when the terminator ended within the block).
         */
        int copy(char[] chars, int count, byte[] bytes) {
            int produced = 0;
            int s = state;
            for (int i = 0; i < count; i++) {
                char c = chars[i];
                switch (s) {
                    case MID_LINE -> {
                        bytes[produced++] = (byte) c;
                        if (c == '\n') {
                            s = LINE_START;
                        }
                    }
                    case LINE_START -> {
                        if (c == '.') {
                            s = AFTER_DOT;
                        } else {
                            bytes[produced++] = (byte) c;
                            s = c == '\n' ? LINE_START : MID_LINE;
                        }
                    }
                    case AFTER_DOT -> {
                        if (c == '\r') {
                            s = AFTER_DOT_CR;
                        } else {
                            bytes[produced++] = (byte) c;
                            s = c == '\n' ? LINE_START : MID_LINE;
                        }
                    }
                    default -> {
                        // ".\r" at a line start ends the reply; the next character is its LF.
                        state = s;
                        length = produced;
                        ended = true;
                        return i + 1;
                    }
                }
            }
            state = s;
            length = produced;
            return count;
        }
    }

    /** A failure of the connection itself, which leaves the session at an unknown point of a reply. */
    private static final class ConnectionFailure extends Exception {
        ConnectionFailure(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /** Where the pinned Angus Mail version keeps a POP3 folder's connection. */
    private record Layout(Class<?> folderClass, Field port, Field socket, Field input, Field output, Field pipelining) {

        static Layout find() {
            try {
                Class<?> folder = Class.forName("org.eclipse.angus.mail.pop3.POP3Folder");
                Class<?> protocol = Class.forName("org.eclipse.angus.mail.pop3.Protocol");
                Layout layout = new Layout(
                        folder,
                        field(folder, "port", protocol),
                        field(protocol, "socket", Socket.class),
                        field(protocol, "input", BufferedReader.class),
                        field(protocol, "output", PrintWriter.class),
                        field(protocol, "pipelining", boolean.class));
                return layout;
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.warn(
                        "This Angus Mail version keeps its POP3 connection elsewhere ({}); mailpipe uses Angus's"
                                + " slower RETR and DELE",
                        e.toString());
                return null;
            }
        }

        private static Field field(Class<?> owner, String name, Class<?> type) throws NoSuchFieldException {
            Field field = owner.getDeclaredField(name);
            if (field.getType() != type) {
                throw new NoSuchFieldException(owner.getSimpleName() + "." + name + " is a " + field.getType());
            }
            field.setAccessible(true);
            return field;
        }
    }
}
