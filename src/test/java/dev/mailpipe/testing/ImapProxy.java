package dev.mailpipe.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback proxy in front of a plain IMAP server that reads the protocol (literals included) both
 * ways: it counts the commands clients send (SEARCH, APPEND, UID FETCH...), can play a server
 * without UIDPLUS (the capability and the APPENDUID answers taken out), and can lose the answer to
 * one APPEND after the server has taken the message: the connection is then cut, or held silent
 * until the test has killed the client.
 */
public final class ImapProxy implements AutoCloseable {

    /** What becomes of the answer to the APPEND chosen by {@link #loseAnswerToAppend}. */
    public enum AnswerLoss {
        /** Both connections are closed: the client sees its connection lost mid-command. */
        CUT,
        /** Nothing more is relayed on that connection: the client waits (until the test kills it). */
        HOLD
    }

    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\+?}$");
    private static final Pattern APPENDUID = Pattern.compile(" ?\\[APPENDUID \\d+ [0-9:,]+]", Pattern.CASE_INSENSITIVE);

    private final ServerSocket listener;
    private final int targetPort;
    private final Map<String, AtomicInteger> commands = new ConcurrentHashMap<>();
    private final AtomicInteger appends = new AtomicInteger();
    private final CountDownLatch answerLost = new CountDownLatch(1);
    private volatile boolean hideUidPlus;
    private volatile int appendToLose;
    private volatile AnswerLoss loss = AnswerLoss.CUT;

    public ImapProxy(int targetPort) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        Thread acceptor = new Thread(this::accept, "imap-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Plays a server without UIDPLUS: no UIDPLUS capability, no APPENDUID in APPEND's answers. */
    public ImapProxy hidingUidPlus() {
        hideUidPlus = true;
        return this;
    }

    /** The server's answer to the {@code n}-th APPEND (counted from 1 over all connections) never reaches the client. */
    public ImapProxy loseAnswerToAppend(int n, AnswerLoss how) {
        this.loss = how;
        this.appendToLose = n;
        return this;
    }

    /** Waits until the server has answered the chosen APPEND and the answer was kept from the client. */
    public boolean awaitLostAnswer(long seconds) throws InterruptedException {
        return answerLost.await(seconds, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Commands sent so far with this name ("SEARCH", "APPEND", "UID SEARCH", "UID FETCH"...). */
    public int commands(String name) {
        AtomicInteger count = commands.get(name.toUpperCase(Locale.ROOT));
        return count == null ? 0 : count.get();
    }

    /** SEARCH commands of any kind (SEARCH and UID SEARCH). */
    public int searches() {
        return commands("SEARCH") + commands("UID SEARCH");
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Connection connection = new Connection(client, server);
                start(connection::clientToServer);
                start(connection::serverToClient);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void start(Runnable work) {
        Thread thread = new Thread(work, "imap-proxy-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** One proxied connection. */
    private final class Connection {
        private final Socket client;
        private final Socket server;
        /** The tag of the APPEND whose answer is to be lost on this connection. */
        private volatile String tagToLose;

        Connection(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void clientToServer() {
            try (InputStream in = new BufferedInputStream(client.getInputStream());
                    OutputStream out = server.getOutputStream()) {
                boolean commandStart = true;
                byte[] line;
                while ((line = readLine(in)) != null) {
                    String text = new String(line, StandardCharsets.ISO_8859_1).stripTrailing();
                    if (commandStart) {
                        count(text);
                    }
                    out.write(line);
                    long literal = literal(text);
                    if (literal >= 0) {
                        out.flush();
                        copy(in, out, literal);
                    }
                    out.flush();
                    // A command goes on after a literal; it ends with a line that has none.
                    commandStart = literal < 0;
                }
            } catch (IOException e) {
                // The other side closed, or the connection was cut on purpose.
            } finally {
                closeBoth();
            }
        }

        void serverToClient() {
            try (InputStream in = new BufferedInputStream(server.getInputStream());
                    OutputStream out = client.getOutputStream()) {
                byte[] line;
                while ((line = readLine(in)) != null) {
                    String text = new String(line, StandardCharsets.ISO_8859_1);
                    String lose = tagToLose;
                    if (lose != null && text.startsWith(lose + " ")) {
                        answerLost.countDown();
                        if (loss == AnswerLoss.HOLD) {
                            // Silent until the client goes (it is killed meanwhile), which closes both.
                            in.transferTo(OutputStream.nullOutputStream());
                        }
                        return;
                    }
                    if (hideUidPlus) {
                        text = text.replaceAll("(?i) UIDPLUS\\b", "");
                        text = APPENDUID.matcher(text).replaceAll("");
                    }
                    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
                    long literal = literal(text.stripTrailing());
                    if (literal >= 0) {
                        copy(in, out, literal);
                    }
                    out.flush();
                }
            } catch (IOException e) {
                // The other side closed, or the connection was cut on purpose.
            } finally {
                closeBoth();
            }
        }

        private void count(String command) {
            String[] words = command.split(" ", 4);
            if (words.length < 2) {
                return;
            }
            String name = words[1].toUpperCase(Locale.ROOT);
            if (name.equals("UID") && words.length > 2) {
                name = "UID " + words[2].toUpperCase(Locale.ROOT);
            }
            commands.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            if (name.equals("APPEND") && appends.incrementAndGet() == appendToLose) {
                tagToLose = words[0];
            }
        }

        private void closeBoth() {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    /** The size of the literal a line ends with ({n} or {n+}), or -1. */
    private static long literal(String line) {
        Matcher matcher = LITERAL.matcher(line);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    /** One line with its CRLF, or null at the end of the stream. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            line.write(b);
            if (b == '\n') {
                return line.toByteArray();
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    private static void copy(InputStream in, OutputStream out, long count) throws IOException {
        byte[] buffer = new byte[8192];
        long left = count;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw new IOException("The stream ended inside a literal");
            }
            out.write(buffer, 0, read);
            left -= read;
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed.
        }
    }
}
