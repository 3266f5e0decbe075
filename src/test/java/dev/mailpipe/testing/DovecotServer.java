package dev.mailpipe.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway Dovecot (Debian's packages) on loopback high ports, started and stopped through
 * {@code scripts/dovecot-test-server.sh}, with one user whose Maildir the test fills directly, the
 * way an MDA delivers.
 */
public final class DovecotServer implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/dovecot");

    private final Path dir;
    private final String user;
    private final int pop3;
    private final int pop3s;
    private final int imap;
    private final int imaps;

    private DovecotServer(Path dir, String user, int pop3, int pop3s, int imap, int imaps) {
        this.dir = dir;
        this.user = user;
        this.pop3 = pop3;
        this.pop3s = pop3s;
        this.imap = imap;
        this.imaps = imaps;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts Dovecot in a new folder under {@code parent}, which every user must be able to enter (not /root). */
    public static DovecotServer start(Path parent, String user, String password) throws IOException {
        Files.createDirectories(parent);
        Path dir = Files.createTempDirectory(parent, "dovecot-");
        DovecotServer server = new DovecotServer(dir, user, freePort(), freePort(), freePort(), freePort());
        server.script(
                "start",
                dir.toString(),
                user,
                password,
                Integer.toString(server.pop3),
                Integer.toString(server.pop3s),
                Integer.toString(server.imap),
                Integer.toString(server.imaps));
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

    public Path maildir() {
        return dir.resolve("home").resolve(user).resolve("Maildir");
    }

    /** Delivers one message: written into tmp, owned by the mail user, renamed into new. */
    public void deliver(String name, byte[] raw) throws IOException {
        Path tmp = maildir().resolve("tmp").resolve(name);
        Files.write(tmp, raw);
        ownByMailUser(tmp);
        Files.move(tmp, maildir().resolve("new").resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Delivers every file of {@code messages} as a hard link, so a mailbox of thousands of messages
     * fills in a moment and the files survive the server's expunge for the next run. The folder must
     * be on the same file system and its files owned by the mail user ({@link #ownByMailUser}).
     */
    public int deliverLinks(Path messages) throws IOException {
        int count = 0;
        try (Stream<Path> files = Files.list(messages)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.createLink(maildir().resolve("new").resolve(file.getFileName()), file);
                count++;
            }
        }
        return count;
    }

    /** Messages still on the server: files in the Maildir's new and cur folders. */
    public int messagesLeft() {
        return count(maildir().resolve("new")) + count(maildir().resolve("cur"));
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
