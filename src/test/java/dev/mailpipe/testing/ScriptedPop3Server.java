package dev.mailpipe.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A small plain-POP3 server on loopback (RFC 1939 with CAPA, UIDL, TOP) whose maildrop a test fills
 * with messages and UIDLs of its choice, and which misbehaves as real servers do: UIDLs that come
 * back after deletion or repeat within one listing (the test chooses them), a connection that breaks
 * whenever a chosen message is sent, a QUIT that is lost (the session's DELEs never applied), and
 * DELEs answered {@code +OK} but never applied. It counts every command it receives.
 */
public final class ScriptedPop3Server implements AutoCloseable {

    /** One message in the maildrop: its UIDL and its bytes (CRLF line ends). */
    public record Mail(String uidl, byte[] bytes) {}

    private final ServerSocket listener;
    private final List<Mail> maildrop = new ArrayList<>();
    private final Map<String, AtomicInteger> commands = new ConcurrentHashMap<>();
    private final AtomicInteger sessions = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile Predicate<Mail> breaksOnRetr = mail -> false;
    private volatile int quitsToLose;
    private volatile boolean ignoresDele;
    private volatile boolean pipelining;
    private final Map<String, AtomicInteger> deletesByUidl = new ConcurrentHashMap<>();

    public ScriptedPop3Server() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "scripted-pop3");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** A distinct message: its own Message-ID, subject and body, {@code padding} bytes of body text more. */
    public static byte[] message(String id, int padding) {
        String text = "Message-ID: <" + id + "@scripted.test>\r\n"
                + "Date: Mon, 7 Dec 2026 10:00:00 +0000\r\n"
                + "From: sender@scripted.test\r\n"
                + "To: user@scripted.test\r\n"
                + "Subject: scripted " + id + "\r\n"
                + "\r\n"
                + "Body of " + id + "\r\n"
                + ".dot-stuffed line\r\n"
                + "x".repeat(padding) + "\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Settings (lines of a properties file) of a mailpipe run that drains this server's account with
     * the shipped routes into {@code dir}/out, ledger in {@code dir}/ledger, polling every 200 ms and
     * ending after {@code idleSeconds} without progress.
     */
    public List<String> runnerSettings(java.nio.file.Path dir, int idleSeconds) {
        return new ArrayList<>(List.of(
                "mailbox.protocol=pop3",
                "mailbox.host=localhost",
                "mailbox.port=" + port(),
                "mailbox.username=" + TestMailServer.USER,
                "mailbox.password=" + TestMailServer.PASSWORD,
                "mailbox.pollDelay=200",
                "sink.files.dir=" + dir.resolve("out"),
                "ledger.dir=" + dir.resolve("ledger"),
                "camel.main.durationMaxIdleSeconds=" + idleSeconds,
                "camel.main.routesIncludePattern=file:"
                        + java.nio.file.Path.of(System.getProperty("mailpipe.project.dir", "."))
                                .resolve("routes")
                                .toAbsolutePath()
                        + "/*.yaml"));
    }

    /** The folder the files sink stores this server's account in, under {@code dir}/out. */
    public java.nio.file.Path mailboxFolder(java.nio.file.Path dir) {
        return dir.resolve("out")
                .resolve(new dev.mailpipe.mailbox.MailboxId("pop3", "localhost", port(), TestMailServer.USER).slug());
    }

    /** Adds a message to the end of the maildrop. */
    public synchronized void add(String uidl, byte[] bytes) {
        maildrop.add(new Mail(uidl, bytes));
    }

    /** The messages the maildrop holds now. */
    public synchronized List<Mail> messages() {
        return List.copyOf(maildrop);
    }

    /** Breaks the connection (after the {@code +OK} and part of the message) whenever a message matching this is sent. */
    public void breakOnRetrOf(Predicate<Mail> which) {
        breaksOnRetr = which;
    }

    /** The next {@code count} QUITs are lost: the connection closes and the session's DELEs are not applied. */
    public void loseQuits(int count) {
        quitsToLose = count;
    }

    /** Announces PIPELINING (RFC 2449), as Dovecot does: the client then sends RETRs ahead. */
    public void announcePipelining(boolean announce) {
        pipelining = announce;
    }

    /** DELE answers +OK and the message stays. */
    public void ignoreDele(boolean ignore) {
        ignoresDele = ignore;
    }

    /** How many times {@code command} (RETR, TOP, DELE, LIST, UIDL, ...) was received. */
    public int count(String command) {
        AtomicInteger count = commands.get(command);
        return count == null ? 0 : count.get();
    }

    /** How many DELEs were received for messages with this UIDL, over all sessions. */
    public int deletes(String uidl) {
        AtomicInteger count = deletesByUidl.get(uidl);
        return count == null ? 0 : count.get();
    }

    public int sessions() {
        return sessions.get();
    }

    /** Connections open now (a client's session, or one not yet noticed closed). */
    public int openConnections() {
        return open.size();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                open.add(socket);
                Thread session = new Thread(() -> serve(socket), "scripted-pop3-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        sessions.incrementAndGet();
        try (socket;
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream out = socket.getOutputStream()) {
            List<Mail> snapshot;
            synchronized (this) {
                snapshot = List.copyOf(maildrop);
            }
            Set<Integer> deleted = new HashSet<>();
            reply(out, "+OK scripted POP3 ready");
            String line;
            while ((line = in.readLine()) != null) {
                String[] words = line.strip().split(" ");
                String command = words[0].toUpperCase(Locale.ROOT);
                commands.computeIfAbsent(command, c -> new AtomicInteger()).incrementAndGet();
                switch (command) {
                    case "CAPA" ->
                        multi(
                                out,
                                "+OK",
                                ("USER\r\nUIDL\r\nTOP\r\n" + (pipelining ? "PIPELINING\r\n" : ""))
                                        .getBytes(StandardCharsets.US_ASCII));
                    case "USER", "PASS", "NOOP", "RSET" -> reply(out, "+OK");
                    case "STAT" -> reply(out, "+OK " + snapshot.size() + " " + total(snapshot));
                    case "LIST" -> listing(out, snapshot, words, mail -> Integer.toString(mail.bytes().length));
                    case "UIDL" -> listing(out, snapshot, words, Mail::uidl);
                    case "RETR", "TOP" -> {
                        Mail mail = mail(snapshot, words);
                        if (mail == null) {
                            reply(out, "-ERR no such message");
                        } else if (command.equals("RETR") && breaksOnRetr.test(mail)) {
                            out.write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
                            out.write(mail.bytes(), 0, mail.bytes().length / 2);
                            out.flush();
                            return;
                        } else {
                            multi(out, "+OK", command.equals("TOP") ? header(mail.bytes()) : mail.bytes());
                        }
                    }
                    case "DELE" -> {
                        Mail mail = mail(snapshot, words);
                        if (mail == null) {
                            reply(out, "-ERR no such message");
                        } else {
                            deleted.add(Integer.parseInt(words[1]));
                            deletesByUidl
                                    .computeIfAbsent(mail.uidl(), u -> new AtomicInteger())
                                    .incrementAndGet();
                            reply(out, "+OK");
                        }
                    }
                    case "QUIT" -> {
                        if (quitsToLose > 0) {
                            quitsToLose--;
                            return;
                        }
                        if (!ignoresDele) {
                            synchronized (this) {
                                for (int number : deleted) {
                                    maildrop.remove(snapshot.get(number - 1));
                                }
                            }
                        }
                        reply(out, "+OK bye");
                        return;
                    }
                    default -> reply(out, "-ERR unknown command");
                }
            }
        } catch (IOException e) {
            // The client went away: the session ends without applying its DELEs, as RFC 1939 says.
        } finally {
            open.remove(socket);
        }
    }

    private static long total(List<Mail> snapshot) {
        return snapshot.stream().mapToLong(mail -> mail.bytes().length).sum();
    }

    private static Mail mail(List<Mail> snapshot, String[] words) {
        try {
            int number = Integer.parseInt(words[1]);
            return number >= 1 && number <= snapshot.size() ? snapshot.get(number - 1) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void listing(
            OutputStream out, List<Mail> snapshot, String[] words, java.util.function.Function<Mail, String> value)
            throws IOException {
        if (words.length > 1) {
            Mail mail = mail(snapshot, words);
            reply(out, mail == null ? "-ERR no such message" : "+OK " + words[1] + " " + value.apply(mail));
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < snapshot.size(); i++) {
            lines.append(i + 1).append(' ').append(value.apply(snapshot.get(i))).append("\r\n");
        }
        multi(out, "+OK", lines.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] header(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        return (end < 0 ? text : text.substring(0, end + 4)).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** A multi-line reply: the status line, the lines dot-stuffed, and the terminating dot. */
    private static void multi(OutputStream out, String status, byte[] body) throws IOException {
        StringBuilder text = new StringBuilder(status).append("\r\n");
        for (String line : new String(body, StandardCharsets.ISO_8859_1).split("\r\n", -1)) {
            text.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
        }
        // The split leaves one empty element after a body ending in CRLF.
        if (new String(body, StandardCharsets.ISO_8859_1).endsWith("\r\n")) {
            text.setLength(text.length() - 2);
        }
        text.append(".\r\n");
        out.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : open) {
            socket.close();
        }
    }
}
