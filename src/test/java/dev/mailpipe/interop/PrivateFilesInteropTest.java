package dev.mailpipe.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.DovecotServer;
import dev.mailpipe.testing.RunnerProcess;
import dev.mailpipe.testing.TestMailServer;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.angus.mail.pop3.POP3Folder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged jar draining Dovecot writes stored mail, events, attachments, dead letters and the
 * embedded ledger readable by their owner alone, whatever the umask it runs under; a group mode is
 * a setting; an invalid mode stops the start; a folder an older version left open is named once.
 */
@Tag("interop")
class PrivateFilesInteropTest {

    private static final String USER = TestMailServer.USER;
    private static DovecotServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startDovecot() throws Exception {
        server = DovecotServer.startForInterop(USER, TestMailServer.PASSWORD);
    }

    @AfterAll
    static void stopDovecot() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void threeMessagesOneWithAnAttachment() throws IOException {
        server.clearMailbox();
        server.deliverSamples(1, 3);
    }

    private List<String> settings(String... more) {
        List<String> settings = server.runnerSettings(dir, TestMailServer.PASSWORD);
        settings.addAll(
                List.of("mailbox.pollDelay=200", "mailbox.maxAttempts=2", "camel.main.durationMaxIdleSeconds=3"));
        settings.addAll(List.of(more));
        return settings;
    }

    private RunnerProcess run(String umask, List<String> settings) throws IOException {
        Path file = Files.writeString(dir.resolve("run.properties"), String.join("\n", settings));
        return RunnerProcess.startUnderUmask(umask, file, dir.resolve("run.log"));
    }

    private MailboxId mailbox() {
        return new MailboxId("pop3", "localhost", server.pop3Port(), USER);
    }

    /** Every file and folder under {@code root}, with its mode as {@code ls -l} shows it. */
    private static Map<String, String> modes(Path root) throws IOException {
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : tree.toList()) {
                modes.put(
                        root.relativize(path) + (Files.isDirectory(path) ? "/" : ""),
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
            }
        }
        return modes;
    }

    private static String uidlOfSecondMessage() throws Exception {
        Properties properties = new Properties();
        properties.put("mail.pop3.port", Integer.toString(server.pop3Port()));
        Store store = Session.getInstance(properties).getStore("pop3");
        store.connect("localhost", USER, TestMailServer.PASSWORD);
        try {
            POP3Folder inbox = (POP3Folder) store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                return inbox.getUID(inbox.getMessage(2));
            } finally {
                inbox.close(false);
            }
        } finally {
            store.close();
        }
    }

    @Test
    void underUmask000EveryFileIs600AndEveryFolder700() throws Exception {
        // Message 2 (the one with an attachment) goes to the dead letters: a folder sits where its
        // file belongs. The test makes that folder, and its parents, 700 itself.
        String key = mailbox().keyOf(uidlOfSecondMessage());
        Path blocker =
                new FilesLayout(dir.resolve("out"), mailbox()).emlFile(key).resolve("occupied");
        Files.createDirectories(
                blocker, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // And one message with an attachment that is stored.
        server.deliverSamples(5, 1);

        RunnerProcess runner = run("000", settings());
        assertThat(runner.awaitExit(2)).as("exit code; see " + runner.log()).isZero();

        assertThat(server.messagesLeft()).isZero();
        Map<String, String> out = modes(dir.resolve("out"));
        assertThat(out.keySet())
                .as("a dead letter and a stored attachment are among them")
                .anyMatch(path -> path.startsWith("dead-letter/") && path.endsWith(".eml"))
                .anyMatch(path -> path.endsWith("-data-5.bin"));
        out.forEach(
                (path, mode) -> assertThat(mode).as(path).isEqualTo(path.endsWith("/") ? "rwx------" : "rw-------"));
        Map<String, String> ledger = modes(dir.resolve("ledger"));
        assertThat(ledger.keySet()).contains("ledger.sqlite", "ledger.lock");
        ledger.forEach(
                (path, mode) -> assertThat(mode).as(path).isEqualTo(path.endsWith("/") ? "rwx------" : "rw-------"));
    }

    /** Under 077 the umask takes the group bits away at creation: mailpipe sets them back. */
    @ParameterizedTest
    @ValueSource(strings = {"022", "077"})
    void aGroupModeIsASettingAndTheLedgerStaysPrivate(String umask) throws Exception {
        RunnerProcess runner = run(umask, settings("sink.files.chmod=640", "sink.files.chmodDirectory=750"));
        assertThat(runner.awaitExit(2)).as("exit code; see " + runner.log()).isZero();

        assertThat(server.messagesLeft()).isZero();
        Map<String, String> out = modes(dir.resolve("out"));
        assertThat(out.keySet()).anyMatch(path -> path.endsWith(".eml"));
        out.forEach(
                (path, mode) -> assertThat(mode).as(path).isEqualTo(path.endsWith("/") ? "rwxr-x---" : "rw-r-----"));
        modes(dir.resolve("ledger"))
                .forEach((path, mode) ->
                        assertThat(mode).as(path).isEqualTo(path.endsWith("/") ? "rwx------" : "rw-------"));
    }

    @Test
    void anInvalidModeStopsTheStartNamingItsSettingAndFetchesNothing() throws Exception {
        RunnerProcess runner = run("022", settings("sink.files.chmod=999"));
        assertThat(runner.awaitExit(2)).isEqualTo(2);
        assertThat(Files.readString(runner.log())).contains("sink.files.chmod").contains("999");
        assertThat(server.messagesLeft()).isEqualTo(3);
    }

    @Test
    void aFilesFolderOpenToOthersIsNamedOnceWithTheCommandThatTightensIt() throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));

        RunnerProcess runner = run("022", settings());
        assertThat(runner.awaitExit(2)).as("exit code; see " + runner.log()).isZero();

        List<String> warnings = Files.readAllLines(runner.log()).stream()
                .filter(line -> line.contains(" WARN ") && line.contains("has mode 755"))
                .toList();
        assertThat(warnings)
                .singleElement()
                .satisfies(line -> assertThat(line).contains("chmod -R go-rwx " + out.toAbsolutePath()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
                .as("not changed by mailpipe")
                .isEqualTo("rwxr-xr-x");
    }
}
