package dev.mailpipe.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.DovecotLog;
import dev.mailpipe.testing.DovecotServer;
import dev.mailpipe.testing.MailpipeRouteTestSupport;
import dev.mailpipe.testing.SampleMessages;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TemplatedRoutes;
import dev.mailpipe.testing.TestMailServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of 30 Dovecot accounts, declared as templated routes of the shipped route template, drained
 * by one mailpipe over POP3S: every account's messages end up once, byte-identical, in its own
 * folder, with events that name it, and every inbox is left empty. Dovecot gives mailboxes first
 * opened in the same second the same UIDLs (UIDVALIDITY is a timestamp), so many of the 30 share
 * UIDLs and only the keys tell them apart.
 */
@Tag("interop")
class DovecotFleetInteropTest extends MailpipeRouteTestSupport {

    private static final int ACCOUNTS = 30;
    private static final int MESSAGES_EACH = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static DovecotServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startDovecot() throws Exception {
        server = DovecotServer.startForInterop(TestMailServer.USER, TestMailServer.PASSWORD);
        Map<String, String> accounts = new LinkedHashMap<>();
        for (int account = 1; account <= ACCOUNTS; account++) {
            accounts.put(user(account), "pw-" + user(account));
        }
        server.addAccounts(accounts);
    }

    @AfterAll
    static void stopDovecot() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void thirtyAccountsAreDrainedEachIntoItsOwnFolderOnceAndByteIdentical() throws Exception {
        Map<String, List<byte[]>> sent = new LinkedHashMap<>();
        StringBuilder routes = new StringBuilder();
        for (int account = 1; account <= ACCOUNTS; account++) {
            String user = user(account);
            List<byte[]> messages = new ArrayList<>();
            for (int n = account * 100; n < account * 100 + MESSAGES_EACH; n++) {
                byte[] raw = SampleMessages.message(n);
                server.deliver(user, "m" + n + ".mailpipe", raw);
                messages.add(raw);
            }
            sent.put(user, messages);
            Path passwordFile = Files.writeString(dir.resolve(user + ".pw"), "pw-" + user + "\n");
            routes.append(mailbox(user, passwordFile));
        }
        Path fleet = Files.writeString(dir.resolve("fleet.camel.yaml"), routes);
        long logStart = DovecotLog.end(server.log());

        startRoute(fleet.toAbsolutePath().toString(), settings());

        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> sent.keySet().stream().allMatch(user -> server.messagesLeft(user) == 0));
        for (Map.Entry<String, List<byte[]>> account : sent.entrySet()) {
            String user = account.getKey();
            MailboxId mailbox = new MailboxId("pop3s", "localhost", server.pop3sPort(), user);
            Path folder = new FilesLayout(out(), mailbox).mailboxFolder();
            StoredMessages.assertExactly(folder, account.getValue());
            assertEventsName(mailbox, folder);
        }
        DovecotLog log = DovecotLog.read(server.log(), logStart);
        for (String user : sent.keySet()) {
            assertThat(log.logouts().stream()
                            .filter(logout -> logout.user().equals(user))
                            .mapToInt(DovecotLog.Logout::retrieved)
                            .sum())
                    .as("RETRs Dovecot answered for %s: each message downloaded once", user)
                    .isEqualTo(MESSAGES_EACH);
        }
    }

    /** Every event of the folder names its mailbox, and its key is that mailbox's key of its UIDL. */
    private static void assertEventsName(MailboxId mailbox, Path folder) throws Exception {
        Set<String> uidls = new HashSet<>();
        List<Path> events;
        try (Stream<Path> files = Files.list(folder)) {
            events = files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .toList();
        }
        assertThat(events).hasSize(MESSAGES_EACH);
        for (Path file : events) {
            JsonNode event = JSON.readTree(file.toFile());
            String key = event.get("key").asText();
            assertThat(event.get("mailbox").asText()).isEqualTo(mailbox.toString());
            assertThat(key).isEqualTo(mailbox.keyOf(event.get("uidl").asText()));
            assertThat(file).isEqualTo(new FilesLayout(folder.getParent(), mailbox).eventFile(key));
            uidls.add(event.get("uidl").asText());
        }
        assertThat(uidls).hasSize(MESSAGES_EACH);
    }

    private Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("mailbox.protocol", "pop3s");
        settings.put("mailbox.caFile", TestMailServer.caFile().toString());
        settings.put("mailbox.pollDelay", "500");
        settings.put("sink.files.dir", out().toString());
        settings.put("ledger.dir", dir.resolve("ledger").toString());
        return settings;
    }

    private static String mailbox(String user, Path passwordFile) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("host", "localhost");
        parameters.put("port", Integer.toString(server.pop3sPort()));
        parameters.put("username", user);
        parameters.put("passwordFile", passwordFile.toString());
        return TemplatedRoutes.mailbox(user, parameters);
    }

    private static String user(int account) {
        return "fleet%02d".formatted(account);
    }

    private Path out() {
        return dir.resolve("out");
    }
}
