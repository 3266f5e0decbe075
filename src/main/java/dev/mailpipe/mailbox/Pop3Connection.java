package dev.mailpipe.mailbox;

import jakarta.mail.Folder;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection of an open Angus Mail POP3 folder, for the two commands where Angus costs mailpipe
 * most:
 *
 * <ul>
 *   <li>{@link #retrieve}: Angus copies a RETR reply one character at a time through a synchronized
 *       reader into a synchronized stream, about 22 ns a byte, which made the download thread the
 *       bottleneck of a drain (docs/benchmarks.md). This reads the same reader in blocks and undoes
 *       the dot-stuffing in one pass; when the server offers PIPELINING it also keeps the RETRs of
 *       the next planned messages on the wire (see {@link #plan}).
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
    /**
     * RETRs kept on the wire ahead of the one being read. Sixteen average messages (about 1.5 MB)
     * cover the bandwidth-delay product of a 30 ms link at the speed mailpipe stores mail; TCP flow
     * control keeps large messages waiting at the server, not in memory here.
     */
    static final int RETRIEVALS_AHEAD = 16;

    /** RETRs sent ahead before the batch's first message has reached the sinks. */
    static final int FIRST_WINDOW = 2;

    private static final Layout LAYOUT = Layout.find();

    private final Object protocol;
    private final Socket socket;
    private final BufferedReader input;
    private final PrintWriter output;
    private final boolean pipelining;
    /** The batch's message numbers in retrieval order, and where each one is in it (see {@link #plan}). */
    private List<Integer> planned = List.of();

    private Map<Integer, Integer> positions = Map.of();
    /** Messages whose RETR is sent and whose reply is not read yet, in the order the replies will come. */
    private final Deque<Integer> sentAhead = new ArrayDeque<>();
    /**
     * How many RETRs may be sent ahead now: {@link #FIRST_WINDOW} at the start of a batch, doubled
     * for each message the sinks take, up to {@link #RETRIEVALS_AHEAD}. A sink that is down from the
     * start therefore costs the messages the consumer has in flight and two more, not a window of
     * downloads read and thrown away; a working batch reaches the full window after three messages.
     * (Growing by two per message instead cost 40% over a 30 ms link: 22.0 s against 15.5 s for
     * 2,000 messages.)
     */
    private final AtomicInteger window = new AtomicInteger();
    /** Block buffers for {@link #copyReply}, reused: a batch copies hundreds of replies. */
    private final char[] chars = new char[CHUNK_CHARS];

    private final byte[] bytes = new byte[CHUNK_CHARS];
    /** Messages retrieved whole in this session. */
    private int retrieved;

    /** Told after every block a reply brings: a long download is activity, not a stuck poll. */
    private volatile Runnable onBlock = () -> {};

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
     * {@link #retrieve} then keeps the RETRs of the next {@link #RETRIEVALS_AHEAD} planned messages
     * on the wire before reading its own reply, so the server streams the following messages while
     * this one is written to disk, and a distant server costs one round trip per window, not per
     * message. A planned message the consumer skips after all (another instance holds it) costs a
     * reply read and discarded.
     */
    public void plan(List<Integer> numbers) {
        Map<Integer, Integer> at = new HashMap<>();
        for (int i = 0; i < numbers.size(); i++) {
            at.putIfAbsent(numbers.get(i), i);
        }
        synchronized (protocol) {
            planned = List.copyOf(numbers);
            positions = at;
        }
        window.set(FIRST_WINDOW);
    }

    /** A message of the batch was delivered: the sinks take mail, so the RETR window may open further. */
    public void delivered() {
        window.updateAndGet(ahead -> Math.min(RETRIEVALS_AHEAD, ahead * 2));
    }

    /**
     * Retrieves message {@code number} (1-based, as in the session's listing) and copies it, dot-stuffing
     * undone, into {@code out}. Returns false if the server refused (the message is gone). A failure
     * of {@code out} is thrown after the reply has been read to its end, so the session stays usable;
     * a failure of the connection closes it, since its position in the reply is lost.
     */
    public boolean retrieve(int number, OutputStream out) throws IOException {
        synchronized (protocol) {
            boolean reading = false;
            try {
                // Replies come in command order: drop those of skipped messages, up to this one's.
                while (!sentAhead.isEmpty() && sentAhead.peekFirst() != number) {
                    discard(sentAhead.pollFirst());
                }
                if (sentAhead.isEmpty()) {
                    send("RETR " + number + "\r\n");
                } else {
                    sentAhead.pollFirst();
                }
                sendAhead(number);
                boolean found = okReply("RETR");
                // From here the server is sending this message: a break now is tied to it (not a
                // connection dropped while idle, nor a failure to send the next RETRs).
                reading = found;
                IOException writeFailure = found ? copyReply(out) : null;
                if (writeFailure != null) {
                    throw writeFailure;
                }
                if (found) {
                    retrieved++;
                }
                return found;
            } catch (ConnectionFailure e) {
                IOException cause = closed(e);
                // Lost while this message's reply was under way (nothing is sent after its +OK).
                throw reading ? new RetrievalBrokeConnection(number, retrieved, cause) : cause;
            }
        }
    }

    /**
     * The {@link HeaderDigest} of message {@code number}'s headers, from {@code TOP n 0} (or, from a
     * server that refuses TOP, from its RETR reply, read to its end); null when the server no longer
     * has the message. Replies to RETRs sent ahead are read and dropped first (they are sent again):
     * this is for the rare message whose UIDL the ledger already knows, not for the normal path.
     */
    public String headerDigest(int number) throws IOException {
        synchronized (protocol) {
            try {
                discardSentAhead();
                HeaderDigest digest = new HeaderDigest();
                send("TOP " + number + " 0\r\n");
                if (!okReply("TOP")) {
                    send("RETR " + number + "\r\n");
                    if (!okReply("RETR")) {
                        return null;
                    }
                }
                copyReply(digest);
                return digest.digest();
            } catch (ConnectionFailure e) {
                throw closed(e);
            }
        }
    }

    /**
     * Ends the session with QUIT and returns whether the server acknowledged it: only then has it
     * promised to apply the session's DELEs (RFC 1939's UPDATE state). Angus Mail ignores a QUIT that
     * fails, so the consumer sends it here; the connection is closed either way, and Angus's own QUIT
     * at the folder's close then fails quietly.
     */
    public boolean quit() {
        synchronized (protocol) {
            try {
                discardSentAhead();
                send("QUIT\r\n");
                return okReply("QUIT");
            } catch (ConnectionFailure e) {
                LOG.debug("QUIT not acknowledged: {}", e.getCause().toString());
                return false;
            } finally {
                closeQuietly();
            }
        }
    }

    /** Whether the connection is gone (a failure closed it): the session can retrieve nothing more. */
    public boolean isClosed() {
        return socket.isClosed();
    }

    /** Sets what to tell after every block of a reply read (the consumer marks its poll as active). */
    public void onBlock(Runnable listener) {
        this.onBlock = listener;
    }

    /** Tops the RETRs on the wire up to the window: the planned messages after {@code number}. */
    private void sendAhead(int number) throws ConnectionFailure {
        Integer position = positions.get(number);
        if (!pipelining || position == null) {
            return;
        }
        int last = sentAhead.isEmpty() ? position : positions.get(sentAhead.peekLast());
        int end = Math.min(planned.size() - 1, position + window.get());
        if (last >= end) {
            return;
        }
        StringBuilder commands = new StringBuilder();
        for (int i = last + 1; i <= end; i++) {
            commands.append("RETR ").append(planned.get(i)).append("\r\n");
            sentAhead.addLast(planned.get(i));
        }
        send(commands.toString());
    }

    /**
     * Reads and drops the replies to RETRs sent ahead and not asked for: they must be off the wire
     * before any other command, Angus's included. Call before handing the session back to Angus.
     */
    public void settle() throws IOException {
        synchronized (protocol) {
            try {
                discardSentAhead();
            } catch (ConnectionFailure e) {
                throw closed(e);
            }
        }
    }

    private void discardSentAhead() throws ConnectionFailure {
        while (!sentAhead.isEmpty()) {
            discard(sentAhead.pollFirst());
        }
    }

    private void discard(int number) throws ConnectionFailure {
        LOG.debug("Dropping the reply to RETR {}, sent ahead and not used", number);
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
                throw closed(e);
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
        IOException writeFailure = null;
        Unstuffing state = new Unstuffing();
        while (true) {
            int read;
            try {
                // Beyond the block: the reader may also skip the LF of the status line read before.
                input.mark(CHUNK_CHARS + 1);
                read = input.read(chars, 0, CHUNK_CHARS);
            } catch (IOException e) {
                throw new ConnectionFailure(e);
            }
            if (read < 0) {
                throw new ConnectionFailure(new EOFException("EOF on socket"));
            }
            onBlock.run();
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

    /**
     * After a connection failure the position in the replies is lost: the socket is closed (so no
     * QUIT can apply the batch's DELEs) and the failure is rethrown as it came.
     */
    private IOException closed(ConnectionFailure failure) {
        sentAhead.clear();
        closeQuietly();
        return failure.getCause();
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
                return new Layout(
                        folder,
                        field(folder, "port", protocol),
                        field(protocol, "socket", Socket.class),
                        field(protocol, "input", BufferedReader.class),
                        field(protocol, "output", PrintWriter.class),
                        field(protocol, "pipelining", boolean.class));
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
