package dev.mailpipe.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.mailpipe.testing.ImapProxy;
import dev.mailpipe.testing.RunnerProcess;
import dev.mailpipe.testing.SampleMessages;
import dev.mailpipe.testing.TestMailServer;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The packaged jar killed (-9) after the IMAP server took a message's APPEND and before mailpipe
 * learnt it (the proxy keeps the answer back): after the restart the message is in the folder once.
 * With UIDPLUS it is found by UID, with no SEARCH; without, by one SEARCH; a folder made again
 * meanwhile (a new UIDVALIDITY, its messages restored) by one SEARCH. Messages appended before the
 * kill are not looked for at all.
 */
@Tag("fault")
class ImapAppendKillNineFaultTest {

    private static final int MESSAGES = 20;
    private static final int LOST_ANSWER = 7;
    private static final String FOLDER = "Migrated";

    /** The server the restart meets. */
    enum Server {
        UIDPLUS,
        WITHOUT_UIDPLUS,
        UIDVALIDITY_CHANGED
    }

    /** Read before the servers start: loading TestMailServer gives GreenMail the test certificate. */
    private static final Path CA = TestMailServer.caFile();

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(
            ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.POP3S, ServerSetupTest.IMAP}));

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Server.class)
    void aMessageWhoseAppendAnswerWasLostToAKillIsInTheFolderOnce(Server server) throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        List<String> sent = new ArrayList<>();
        for (int n = 1; n <= MESSAGES; n++) {
            byte[] raw = SampleMessages.message(n);
            sent.add(new String(raw, StandardCharsets.ISO_8859_1));
            TestMailServer.deliver(user, raw);
        }
        Path settings = Files.writeString(dir.resolve("empty.properties"), "");
        Path log = Path.of("target", "fault-imap-append-kill-nine-" + server + ".log");
        Files.deleteIfExists(log);

        try (ImapProxy first = proxy(server).loseAnswerToAppend(LOST_ANSWER, ImapProxy.AnswerLoss.HOLD)) {
            RunnerProcess runner = RunnerProcess.start(settings, List.of("-Xmx256m"), environment(first), log);
            assertThat(first.awaitLostAnswer(120))
                    .as("the APPEND's answer was held; see " + log)
                    .isTrue();
            runner.killHard();
        }
        Files.writeString(
                log,
                "---- kill -9 with APPEND " + LOST_ANSWER + " unanswered ----\n",
                java.nio.file.StandardOpenOption.APPEND);
        if (server == Server.UIDVALIDITY_CHANGED) {
            makeTheFolderAgainWithItsMessages();
        }

        try (ImapProxy second = proxy(server)) {
            assertThat(RunnerProcess.runToEnd(settings, environment(second), log))
                    .as("the restart; see " + log)
                    .isZero();
            assertThat(second.searches()).as("SEARCHes after the restart").isEqualTo(server == Server.UIDPLUS ? 0 : 1);
            if (server == Server.UIDPLUS) {
                assertThat(second.commands("UID FETCH")).isPositive();
            }
        }
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isZero();
        assertThat(messages()).as("each message once in the folder").containsExactlyInAnyOrderElementsOf(sent);
    }

    private ImapProxy proxy(Server server) throws Exception {
        ImapProxy proxy = new ImapProxy(greenMail.getImap().getPort());
        return server == Server.WITHOUT_UIDPLUS ? proxy.hidingUidPlus() : proxy;
    }

    private Map<String, String> environment(ImapProxy proxy) throws Exception {
        Path passwordFile = Files.writeString(dir.resolve("imap.password"), TestMailServer.PASSWORD + "\n");
        return Map.ofEntries(
                Map.entry("MAILBOX_HOST", "localhost"),
                Map.entry("MAILBOX_PORT", Integer.toString(greenMail.getPop3s().getPort())),
                Map.entry("MAILBOX_USERNAME", TestMailServer.USER),
                Map.entry("MAILBOX_PASSWORD", TestMailServer.PASSWORD),
                Map.entry("MAILBOX_CAFILE", CA.toString()),
                Map.entry("MAILBOX_POLLDELAY", "200"),
                Map.entry("MAILBOX_BATCHSIZE", "5"),
                Map.entry("SINK_IMAP_HOST", "localhost"),
                Map.entry("SINK_IMAP_PORT", Integer.toString(proxy.port())),
                Map.entry("SINK_IMAP_PROTOCOL", "imap"),
                Map.entry("SINK_IMAP_USERNAME", TestMailServer.USER),
                Map.entry("SINK_IMAP_PASSWORDFILE", passwordFile.toString()),
                Map.entry("SINK_IMAP_FOLDER", FOLDER),
                Map.entry("SINK_FILES_DIR", dir.resolve("out").toString()),
                Map.entry("LEDGER_DIR", dir.resolve("ledger").toString()),
                Map.entry("CAMEL_MAIN_ROUTESINCLUDEPATTERN", "file:" + KillNineFaultTest.routes() + "/*.yaml"),
                Map.entry("CAMEL_MAIN_DURATIONMAXIDLESECONDS", "5"));
    }

    /** As a restore from a backup does: the folder deleted and made again (a new UIDVALIDITY), its messages put back. */
    private void makeTheFolderAgainWithItsMessages() throws Exception {
        try (Store store = reader()) {
            Folder folder = store.getFolder(FOLDER);
            folder.open(Folder.READ_ONLY);
            long uidValidity = ((UIDFolder) folder).getUIDValidity();
            List<byte[]> kept = new ArrayList<>();
            for (Message message : folder.getMessages()) {
                kept.add(bytes(message));
            }
            folder.close(false);
            folder.delete(true);
            // GreenMail's UIDVALIDITY is the second the folder was made.
            while (System.currentTimeMillis() / 1000 <= uidValidity) {
                Thread.sleep(20);
            }
            folder.create(Folder.HOLDS_MESSAGES);
            Session session = Session.getInstance(new Properties());
            for (byte[] raw : kept) {
                folder.appendMessages(new Message[] {new MimeMessage(session, new ByteArrayInputStream(raw))});
            }
            assertThat(((UIDFolder) store.getFolder(FOLDER)).getUIDValidity()).isNotEqualTo(uidValidity);
        }
    }

    private List<String> messages() throws Exception {
        List<String> all = new ArrayList<>();
        try (Store store = reader()) {
            Folder folder = store.getFolder(FOLDER);
            folder.open(Folder.READ_ONLY);
            for (Message message : folder.getMessages()) {
                all.add(new String(bytes(message), StandardCharsets.ISO_8859_1));
            }
        }
        return all;
    }

    private static byte[] bytes(Message message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    private Store reader() throws Exception {
        Store store = Session.getInstance(new Properties()).getStore("imap");
        store.connect("localhost", greenMail.getImap().getPort(), TestMailServer.USER, TestMailServer.PASSWORD);
        return store;
    }
}
