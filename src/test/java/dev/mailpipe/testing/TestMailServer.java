package dev.mailpipe.testing;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * GreenMail POP3 and POP3S on loopback for tests, with a certificate for localhost signed by the
 * demo CA, so TLS tests run with certificate and host-name verification on.
 */
public final class TestMailServer {

    public static final String USER = "alice";
    public static final String PASSWORD = "s3cret-Pa55word!";

    private static final Path TLS_DIR = extractTlsMaterial();

    private TestMailServer() {}

    /** A new extension; keep it in a static field so the servers run before any CamelContext starts. */
    public static GreenMailExtension extension() {
        return new GreenMailExtension(
                ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.POP3, ServerSetupTest.POP3S}));
    }

    /** IMAP and IMAPS, for the IMAP sink; also static, also with the test certificate. */
    public static GreenMailExtension imapExtension() {
        return new GreenMailExtension(
                ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.IMAP, ServerSetupTest.IMAPS}));
    }

    /** PEM file of the CA that signed the POP3S server's certificate. */
    public static Path caFile() {
        return TLS_DIR.resolve("demo-ca.pem");
    }

    public static GreenMailUser user(GreenMailExtension greenMail) {
        return greenMail.setUser(USER + "@localhost", USER, PASSWORD);
    }

    public static void deliver(GreenMailUser user, byte[] raw) {
        try {
            user.deliver(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Delivers sample messages 1..count and returns their raw bytes, in order. */
    public static List<byte[]> deliverSamples(GreenMailUser user, int count) {
        List<byte[]> sent = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            byte[] raw = SampleMessages.message(n);
            deliver(user, raw);
            sent.add(raw);
        }
        return sent;
    }

    /** The mailbox.* settings of the POP3S account, with verified TLS; a map the test may change. */
    public static Map<String, String> pop3sSettings(GreenMailExtension greenMail) {
        Map<String, String> settings = new HashMap<>();
        settings.put("mailbox.host", "localhost");
        settings.put("mailbox.port", Integer.toString(greenMail.getPop3s().getPort()));
        settings.put("mailbox.username", USER);
        settings.put("mailbox.password", PASSWORD);
        settings.put("mailbox.caFile", caFile().toString());
        return settings;
    }

    /** Messages still in the user's inbox (POP3 deletes take effect at QUIT). */
    public static int messagesLeft(GreenMailExtension greenMail, GreenMailUser user) {
        try {
            return greenMail.getManagers().getImapHostManager().getInbox(user).getMessageCount();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path extractTlsMaterial() {
        try {
            Path dir = Files.createTempDirectory("mailpipe-test-tls-");
            Path keyStore = copy("/demo/demo-server.p12", dir);
            copy("/demo/demo-ca.pem", dir);
            // Read by GreenMail when its first TLS server starts in this JVM.
            System.setProperty("greenmail.tls.keystore.file", keyStore.toString());
            System.setProperty("greenmail.tls.keystore.password", "changeit");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copy(String resource, Path dir) throws IOException {
        Path target = dir.resolve(Path.of(resource).getFileName().toString());
        try (InputStream in = TestMailServer.class.getResourceAsStream(resource)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }
}
