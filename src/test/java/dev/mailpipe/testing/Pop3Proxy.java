package dev.mailpipe.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of a plain POP3 server (GreenMail) that misbehaves on purpose:
 * it drops connections at chosen protocol points for the first sessions only (in the middle of a
 * RETR reply, or when the client sends QUIT, so the server never applies the session's DELEs), or
 * it locks the maildrop like RFC 1939 servers do, answering a second concurrent login with
 * {@code -ERR [IN-USE]}, which GreenMail itself never does.
 */
public final class Pop3Proxy implements AutoCloseable {

    /** How the proxy misbehaves. */
    public enum Cut {
        MID_RETR,
        BEFORE_QUIT,
        LOCK_MAILDROP,
        /** Not a cut: removes UIDL from the CAPA answer, like a server without UIDL. */
        HIDE_UIDL,
        /** Not a cut: relays any protocol unchanged (to count connections, or to refuse them). */
        PASS_THROUGH,
        /** Not a cut: relays POP3 adding PIPELINING to the CAPA answer, like Dovecot (RETRs are counted). */
        ANNOUNCE_PIPELINING
    }

    private final ServerSocket listener;
    private final int targetPort;
    private final Cut cut;
    private final int sessionsToCut;
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger cuts = new AtomicInteger();
    private final AtomicInteger lockRefusals = new AtomicInteger();
    private final AtomicInteger retrs = new AtomicInteger();
    private volatile boolean refusing;
    /** The session holding each user's maildrop (Cut.LOCK_MAILDROP), by the name its USER command gave. */
    private final java.util.concurrent.ConcurrentMap<String, Session> lockHolders =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** @param sessionsToCut how many sessions (the first ones) are cut; ignored for {@link Cut#LOCK_MAILDROP} */
    public Pop3Proxy(int targetPort, Cut cut, int sessionsToCut) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.cut = cut;
        this.sessionsToCut = sessionsToCut;
        Thread acceptor = new Thread(this::accept, "cutting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Sessions actually cut so far. */
    public int cuts() {
        return cuts.get();
    }

    /** Connections accepted so far. */
    public int sessions() {
        return sessions.get();
    }

    /** While refusing, new connections are closed at once: the server looks down. */
    public void refuseConnections(boolean refuse) {
        refusing = refuse;
    }

    /** RETR commands the client sent so far (not in {@link Cut#PASS_THROUGH}): downloads asked for. */
    public int retrs() {
        return retrs.get();
    }

    /** Logins refused because another session held the maildrop. */
    public int lockRefusals() {
        return lockRefusals.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (refusing) {
                    closeQuietly(client);
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                boolean cutThis = sessions.incrementAndGet() <= sessionsToCut;
                Session session = new Session(client, server, cutThis);
                start("proxy-up", session::clientToServer);
                start("proxy-down", session::serverToClient);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void start(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** One proxied connection. */
    private final class Session {
        private final Socket client;
        private final Socket server;
        private final boolean cutThis;
        private volatile boolean retrInFlight;

        Session(Socket client, Socket server, boolean cutThis) {
            this.client = client;
            this.server = server;
            this.cutThis = cutThis;
        }

        /** The login name of this session, once its USER command has passed. */
        private volatile String user = "";

        void clientToServer() {
            if (cut == Cut.PASS_THROUGH) {
                relay(client, server);
                return;
            }
            try (InputStream in = client.getInputStream();
                    OutputStream out = server.getOutputStream()) {
                StringBuilder line = new StringBuilder();
                int b;
                while ((b = in.read()) != -1) {
                    line.append((char) b);
                    if (b != '\n') {
                        continue;
                    }
                    String original = line.toString();
                    String command = original.toUpperCase(Locale.ROOT);
                    line.setLength(0);
                    if (cutThis && cut == Cut.BEFORE_QUIT && command.startsWith("QUIT")) {
                        cutNow();
                        return;
                    }
                    if (command.startsWith("RETR")) {
                        retrInFlight = true;
                        retrs.incrementAndGet();
                    }
                    if (command.startsWith("USER ")) {
                        user = original.substring(5).strip();
                    }
                    if (cut == Cut.LOCK_MAILDROP
                            && command.startsWith("PASS")
                            && lockHolders.putIfAbsent(user, this) != null) {
                        lockRefusals.incrementAndGet();
                        OutputStream toClient = client.getOutputStream();
                        toClient.write("-ERR [IN-USE] Unable to lock maildrop\r\n".getBytes(StandardCharsets.US_ASCII));
                        toClient.flush();
                        continue;
                    }
                    out.write(original.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                drop();
            } catch (IOException e) {
                drop();
            }
        }

        void serverToClient() {
            if (cut == Cut.HIDE_UIDL) {
                serverToClientRewritingCapa("");
                return;
            }
            if (cut == Cut.ANNOUNCE_PIPELINING) {
                serverToClientRewritingCapa("UIDL\r\nPIPELINING\r\n");
                return;
            }
            byte[] buffer = new byte[8192];
            long retrBytes = 0;
            try (InputStream in = server.getInputStream();
                    OutputStream out = client.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    if (cutThis && cut == Cut.MID_RETR && retrInFlight) {
                        retrBytes += n;
                        if (retrBytes > 200) {
                            // Part of the message has reached the client; the rest never will.
                            out.write(buffer, 0, Math.min(n, 100));
                            out.flush();
                            cutNow();
                            return;
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                drop();
            }
        }

        /** Copies bytes one way until either side closes. */
        private void relay(Socket from, Socket to) {
            try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) != -1) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // The other direction or the test closed the connection.
            }
            drop();
        }

        /** Relays line by line, replacing the UIDL capability line with {@code replacement}. */
        private void serverToClientRewritingCapa(String replacement) {
            try (InputStream in = server.getInputStream();
                    OutputStream out = client.getOutputStream()) {
                java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
                int b;
                while ((b = in.read()) != -1) {
                    line.write(b);
                    if (b != '\n') {
                        continue;
                    }
                    String text = line.toString(StandardCharsets.ISO_8859_1).trim();
                    if (!text.equalsIgnoreCase("UIDL")) {
                        line.writeTo(out);
                    } else {
                        out.write(replacement.getBytes(StandardCharsets.US_ASCII));
                    }
                    if (in.available() == 0) {
                        out.flush();
                    }
                    line.reset();
                }
                out.flush();
            } catch (IOException e) {
                drop();
            }
        }

        private void cutNow() {
            cuts.incrementAndGet();
            drop();
        }

        private void drop() {
            lockHolders.remove(user, this);
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing a socket we are dropping on purpose; its error is irrelevant to the test.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
