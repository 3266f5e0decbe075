package dev.mailpipe.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway Dovecot (Debian's packages) on loopback high ports, started and stopped through
 * {@code scripts/dovecot-test-server.sh}, with one user and any number of accounts added later, each
 * with a Maildir the test fills directly, the way an MDA delivers. The methods without a user name
 * serve the user it was started with.
 */
public final class DovecotServer implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/dovecot");

    private final Path dir;
    private final String user;
    /** Every account, the first user's included, in the order they were added. */
    private final Set<String> users = new LinkedHashSet<>();

    private final int pop3;
    private final int pop3s;
    private final int imap;
    private final int imaps;

    private DovecotServer(Path dir, String user, int pop3, int pop3s, int imap, int imaps) {
        this.dir = dir;
        this.user = user;
        this.users.add(user);
        this.pop3 = pop3;
        this.pop3s = pop3s;
        this.imap = imap;
        this.imaps = imaps;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Starts Dovecot for an interop test under /tmp/mailpipe-interop, or skips the test, saying why,
     * when Dovecot is not installed.
     */
    public static DovecotServer startForInterop(String user, String password) throws IOException {
        return startForInterop(user, password, "");
    }

    /**
     * As {@link #startForInterop(String, String)}, and XOAUTH2 and OAUTHBEARER logins checked at an
     * OAuth2 server's introspection endpoint ({@code http://client:secret@127.0.0.1:PORT/ISSUER/introspect});
     * the token's {@code username} claim names the user.
     */
    public static DovecotServer startForInterop(String user, String password, String introspectionUrl)
            throws IOException {
        Assumptions.assumeTrue(
                installed(),
                "Dovecot is not installed (apt-get install dovecot-core dovecot-pop3d dovecot-imapd); skipping interop");
        // Not under /root: Dovecot's users must be able to enter every parent folder.
        return start(Path.of("/tmp", "mailpipe-interop"), user, password, introspectionUrl);
    }

    /** Starts Dovecot in a new folder under {@code parent}, which every user must be able to enter (not /root). */
    public static DovecotServer start(Path parent, String user, String password) throws IOException {
        return start(parent, user, password, "");
    }

    private static DovecotServer start(Path parent, String user, String password, String introspectionUrl)
            throws IOException {
        Files.createDirectories(parent);
        Path dir = Files.createTempDirectory(parent, "dovecot-");
        int[] ports = freePorts(4);
        DovecotServer server = new DovecotServer(dir, user, ports[0], ports[1], ports[2], ports[3]);
        server.script(
                "start",
                dir.toString(),
                user,
                password,
                Integer.toString(server.pop3),
                Integer.toString(server.pop3s),
                Integer.toString(server.imap),
                Integer.toString(server.imaps),
                introspectionUrl);
        return server;
    }

    public int pop3Port() {
        return pop3;
    }

    public int pop3sPort() {
        return pop3s;
    }

    public int imapPort() {
        return imap;
    }

    public int imapsPort() {
        return imaps;
    }

    /**
     * Adds accounts to the running server, each with its own password and an empty Maildir; they
     * can log in at once (Dovecot re-reads its passwd-file when it changes).
     */
    public void addAccounts(Map<String, String> passwordsByUser) throws IOException {
        Path accounts = dir.resolve("accounts-" + System.nanoTime() + ".txt");
        StringBuilder lines = new StringBuilder();
        passwordsByUser.forEach((name, password) -> {
            if (!name.matches("[A-Za-z0-9._-]+") || !password.matches("\\S+")) {
                throw new IllegalArgumentException("a user name or password the passwd-file cannot hold: " + name);
            }
            lines.append(name).append(' ').append(password).append('\n');
        });
        Files.writeString(accounts, lines);
        try {
            script("add-users", dir.toString(), accounts.toString());
        } finally {
            Files.delete(accounts);
        }
        users.addAll(passwordsByUser.keySet());
    }

    /** Every account: the user the server was started with, then those added, in order. */
    public List<String> users() {
        return List.copyOf(users);
    }

    /** The process id of Dovecot's master, whose children serve the logins. */
    public long masterPid() throws IOException {
        return Long.parseLong(
                Files.readString(dir.resolve("run").resolve("master.pid")).strip());
    }

    /** Dovecot's log: a line per login and per logout, stamped to the microsecond. */
    public Path log() {
        return dir.resolve("dovecot.log");
    }

    public Path maildir() {
        return maildir(user);
    }

    public Path maildir(String account) {
        if (!users.contains(account)) {
            throw new IllegalArgumentException("no account " + account);
        }
        return dir.resolve("home").resolve(account).resolve("Maildir");
    }

    /** Delivers one message to the first user. */
    public void deliver(String name, byte[] raw) throws IOException {
        deliver(user, name, raw);
    }

    /** Delivers sample messages {@code first} to {@code first + count - 1} to the first user; returns their bytes. */
    public java.util.List<byte[]> deliverSamples(int first, int count) throws IOException {
        java.util.List<byte[]> sent = new java.util.ArrayList<>();
        for (int n = first; n < first + count; n++) {
            byte[] raw = SampleMessages.message(n);
            deliver("m" + n + "." + System.nanoTime() + ".mailpipe", raw);
            sent.add(raw);
        }
        return sent;
    }

    /**
     * Settings (lines of a properties file) of a mailpipe run that drains the first user over plain
     * POP3 with the shipped routes into {@code dir}/out, ledger in {@code dir}/ledger; the test adds
     * what it needs.
     */
    public java.util.List<String> runnerSettings(Path dir, String password) {
        return new java.util.ArrayList<>(java.util.List.of(
                "mailbox.protocol=pop3",
                "mailbox.host=localhost",
                "mailbox.port=" + pop3Port(),
                "mailbox.username=" + user,
                "mailbox.password=" + password,
                "sink.files.dir=" + dir.resolve("out"),
                "ledger.dir=" + dir.resolve("ledger"),
                "camel.main.routesIncludePattern=file:"
                        + Path.of(System.getProperty("mailpipe.project.dir", "."))
                                .resolve("routes")
                                .toAbsolutePath() + "/*.yaml"));
    }

    /** Delivers one message to {@code account}: written into tmp, owned by the mail user, renamed into new. */
    public void deliver(String account, String name, byte[] raw) throws IOException {
        Path tmp = maildir(account).resolve("tmp").resolve(name);
        Files.write(tmp, raw);
        ownByMailUser(tmp);
        Files.move(tmp, maildir(account).resolve("new").resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Delivers every file of {@code messages} to the first user as a hard link, so a mailbox of
     * thousands of messages fills in a moment and the files survive the server's expunge for the
     * next run. The folder must be on the same file system and its files owned by the mail user
     * ({@link #ownByMailUser}).
     */
    public int deliverLinks(Path messages) throws IOException {
        try (Stream<Path> files = Files.list(messages)) {
            return deliverLinks(user, files.toList());
        }
    }

    /** Delivers {@code files} to {@code account} as hard links, as {@link #deliverLinks(Path)} does. */
    public int deliverLinks(String account, Collection<Path> files) throws IOException {
        Path newFolder = maildir(account).resolve("new");
        for (Path file : files) {
            Files.createLink(newFolder.resolve(file.getFileName()), file);
        }
        return files.size();
    }

    /** Messages still on the server for the first user. */
    public int messagesLeft() {
        return messagesLeft(user);
    }

    /** Messages still on the server for {@code account}: files in its Maildir's new and cur folders. */
    public int messagesLeft(String account) {
        return count(maildir(account).resolve("new")) + count(maildir(account).resolve("cur"));
    }

    /** Removes the first user's messages, as a client's DELE and QUIT would. */
    public void clearMailbox() throws IOException {
        for (String sub : List.of("new", "cur")) {
            try (Stream<Path> files = Files.list(maildir().resolve(sub))) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    private static int count(Path folder) {
        String[] names = new File(folder.toString()).list();
        return names == null ? 0 : names.length;
    }

    public static void ownByMailUser(Path file) throws IOException {
        Files.setAttribute(file, "unix:uid", 65534);
        Files.setAttribute(file, "unix:gid", 65534);
    }

    @Override
    public void close() throws IOException {
        script("stop", dir.toString());
    }

    private static void script(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("mailpipe.project.dir", "."))
                .resolve("scripts/dovecot-test-server.sh")
                .toAbsolutePath()
                .toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).inheritIO().start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("dovecot-test-server.sh " + args[0] + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Distinct free ports: each socket stays open until all are chosen, so none is handed out twice. */
    private static int[] freePorts(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }
}
