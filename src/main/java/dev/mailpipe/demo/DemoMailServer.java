package dev.mailpipe.demo;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * An embedded GreenMail POP3S server on a loopback port, with a certificate for localhost signed by
 * the demo CA, so the demo runs with TLS verification on.
 */
public final class DemoMailServer implements AutoCloseable {

    /** How long the demo waits for its server to listen: long enough for a machine that is busy. */
    static final long STARTUP_LIMIT_MS = 60_000;

    public static final String USER = "demo";
    public static final String PASSWORD = "demo-password";
    public static final String KEYSTORE_PASSWORD = "changeit";

    private final GreenMail greenMail;
    private final GreenMailUser user;

    private DemoMailServer(GreenMail greenMail, GreenMailUser user) {
        this.greenMail = greenMail;
        this.user = user;
    }

    /** Copies the demo CA's certificate, which the demo's client trusts, into {@code workDir}. */
    public static Path writeCaFile(Path workDir) throws IOException {
        return copyResource("/demo/demo-ca.pem", workDir.resolve("demo-ca.pem"));
    }

    /**
     * A loopback port that was free a moment ago, so the demo can name its mailbox before the server
     * is up (the server then starts beside camel-main's start instead of before it).
     */
    public static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Starts the server on {@code port} of 127.0.0.1; its TLS key store is copied into {@code workDir}. */
    /**
     * The demo's POP3S server on {@code port}. The start-up timeout is a limit, not a delay (start()
     * returns once the socket listens): GreenMail's 2 s failed the demo on a busy 2-core machine, where
     * the TLS set-up shares the cores with camel-main's start.
     */
    static ServerSetup setup(int port) {
        ServerSetup setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_POP3S);
        setup.setServerStartupTimeout(STARTUP_LIMIT_MS);
        return setup;
    }

    public static DemoMailServer start(Path workDir, int port) throws IOException {
        Path keyStore = copyResource("/demo/demo-server.p12", workDir.resolve("demo-server.p12"));
        // GreenMail reads its TLS key store from these JVM-wide properties when its first TLS server starts.
        System.setProperty("greenmail.tls.keystore.file", keyStore.toString());
        System.setProperty("greenmail.tls.keystore.password", KEYSTORE_PASSWORD);
        GreenMail greenMail = new GreenMail(setup(port));
        greenMail.start();
        GreenMailUser user = greenMail.setUser(USER + "@mailpipe.test", USER, PASSWORD);
        return new DemoMailServer(greenMail, user);
    }

    public void deliver(byte[] rawMessage) throws MessagingException {
        Session session = Session.getInstance(new Properties());
        user.deliver(new MimeMessage(session, new ByteArrayInputStream(rawMessage)));
    }

    /** Messages still in the demo user's inbox. */
    public int messagesLeft() throws FolderException {
        return greenMail.getManagers().getImapHostManager().getInbox(user).getMessageCount();
    }

    @Override
    public void close() {
        greenMail.stop();
    }

    private static Path copyResource(String name, Path target) throws IOException {
        try (InputStream in = DemoMailServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("Missing resource " + name + " in the mailpipe jar");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }
}
