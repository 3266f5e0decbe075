package dev.mailpipe.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.config.ConfigurationException;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxComponent;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.mailbox.MailboxStatus;
import dev.mailpipe.oauth.OAuthSettings;
import dev.mailpipe.testing.LogCapture;
import dev.mailpipe.testing.MailpipeRouteTestSupport;
import dev.mailpipe.testing.SampleMessages;
import dev.mailpipe.testing.ScriptedTokenEndpoint;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TemplatedRoutes;
import dev.mailpipe.testing.TestMailServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several mailboxes in one process, declared as templated routes of the shipped route template:
 * each keeps its own state, so colliding UIDLs never mix their mail, a mailbox that cannot log in
 * is reported by name while the others drain, and a mailbox declared twice is refused.
 */
class MailboxFleetTest extends MailpipeRouteTestSupport {

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void mailboxesWithCollidingUidlsEachGetTheirOwnMessagesWhileABadPasswordIsReportedByName() throws Exception {
        GreenMailUser alice = greenMail.setUser("alice@localhost", "alice", "alice-pw");
        GreenMailUser bob = greenMail.setUser("bob@localhost", "bob", "bob-pw");
        GreenMailUser carol = greenMail.setUser("carol@localhost", "carol", "carol-pw");
        List<byte[]> toAlice = deliver(alice, 1, 3);
        List<byte[]> toBob = deliver(bob, 101, 103);
        deliver(carol, 201, 201);
        Path bobPassword = Files.writeString(dir.resolve("bob.password"), "bob-pw\n");
        Path routes = Files.writeString(
                dir.resolve("fleet.camel.yaml"),
                mailbox("alice", "password", "alice-pw")
                        + mailbox("bob", "passwordFile", bobPassword.toString())
                        + mailbox("carol", "password", "not-carols-password"));

        try (LogCapture log = LogCapture.begin()) {
            startRoute(routes.toString(), fleetSettings());

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> TestMailServer.messagesLeft(greenMail, alice) == 0
                            && TestMailServer.messagesLeft(greenMail, bob) == 0);
            MailboxStatus carolStatus = status("carol");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> carolStatus.polls().pollsEnded() >= 2);

            assertStoredInOwnFolder("alice", toAlice);
            assertStoredInOwnFolder("bob", toBob);
            MailboxId carolId = id("carol");
            assertThat(carolStatus.polls().pollProblem()).isPresent();
            assertThat(TestMailServer.messagesLeft(greenMail, carol)).isEqualTo(1);
            assertThat(Files.exists(
                            new FilesLayout(out(), carolId).mailboxFolder().resolve(carolId.keyOf("1") + ".eml")))
                    .isFalse();
            assertThat(log.atLeast(Level.ERROR))
                    .anySatisfy(line -> assertThat(line.message())
                            .contains("Mailbox " + carolId + " cannot be polled")
                            .doesNotContain("not-carols-password"));
        }
    }

    /**
     * A password and user name given inline are taken as written, characters an endpoint URI would
     * otherwise decode or split on included: they are secret options, which Camel passes as RAW().
     */
    @Test
    void aPasswordWithUriCharactersIsTakenAsWritten() throws Exception {
        // No space: GreenMail reads PASS up to the first one.
        String password = "p+a&ss%41w=rd#1?(x)";
        GreenMailUser dave = greenMail.setUser("dave+tag@localhost", "dave+tag", password);
        List<byte[]> toDave = deliver(dave, 301, 302);
        Path routes = Files.writeString(
                dir.resolve("dave.camel.yaml"),
                TemplatedRoutes.mailbox(
                        "dave",
                        Map.of(
                                "host",
                                "localhost",
                                "port",
                                Integer.toString(greenMail.getPop3().getPort()),
                                "username",
                                "dave+tag",
                                "password",
                                password)));

        startRoute(routes.toString(), fleetSettings());

        assertThat(status("dave+tag").settings().password()).isEqualTo(password);
        await().atMost(Duration.ofSeconds(60)).until(() -> TestMailServer.messagesLeft(greenMail, dave) == 0);
        assertStoredInOwnFolder("dave+tag", toDave);
    }

    /**
     * Thirty mailboxes of one app (client credentials, as a Microsoft 365 fleet signs in) share one
     * access token: the token endpoint is asked once for the whole fleet's drain. GreenMail takes the
     * access token as the password, so every account has the one token as its password.
     */
    @Test
    void thirtyMailboxesOfOneAppAskTheTokenEndpointOnce() throws Exception {
        String token = "app-token-" + System.nanoTime();
        List<GreenMailUser> users = new ArrayList<>();
        StringBuilder routes = new StringBuilder();
        for (int n = 1; n <= 30; n++) {
            String name = "app%02d".formatted(n);
            GreenMailUser user = greenMail.setUser(name + "@localhost", name, token);
            deliver(user, 400 + n, 400 + n);
            users.add(user);
            routes.append(TemplatedRoutes.mailbox(
                    name,
                    Map.of(
                            "host",
                            "localhost",
                            "port",
                            Integer.toString(greenMail.getPop3s().getPort()),
                            "username",
                            name)));
        }
        try (ScriptedTokenEndpoint endpoint = new ScriptedTokenEndpoint()) {
            endpoint.token(token, 3600);
            Map<String, String> settings = fleetSettings();
            settings.put("mailbox.protocol", "pop3s");
            settings.put("mailbox.caFile", TestMailServer.caFile().toString());
            settings.put(OAuthSettings.AUTH, "xoauth2");
            settings.put(OAuthSettings.TOKEN_URL, endpoint.url());
            settings.put(OAuthSettings.CLIENT_ID, "fleet-app");
            settings.put(OAuthSettings.CLIENT_SECRET, "fleet-s3cret");
            settings.put(OAuthSettings.SCOPE, "https://outlook.office365.com/.default");

            startRoute(
                    Files.writeString(dir.resolve("app-fleet.camel.yaml"), routes)
                            .toString(),
                    settings);

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> users.stream().allMatch(user -> TestMailServer.messagesLeft(greenMail, user) == 0));
            assertThat(endpoint.requests())
                    .as("token requests for 30 mailboxes of one app")
                    .hasSize(1);
        }
    }

    /**
     * Fair polling: with one poll thread, two mailboxes with backlogs (15 batches each) do not
     * hold it batch after batch while two small mailboxes wait: each big one yields after a batch when
     * another poll is due, so the small ones are drained while the big ones still have most of their
     * mail. Without it, the first big mailbox drains to the end before anyone else is polled.
     */
    @Test
    void mailboxesWithLongBacklogsTakeTurnsWithTheOthers() throws Exception {
        List<GreenMailUser> big = new ArrayList<>();
        List<GreenMailUser> small = new ArrayList<>();
        StringBuilder routes = new StringBuilder();
        List<String> names = List.of("big1", "big2", "small1", "small2");
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            GreenMailUser user = greenMail.setUser(name + "@localhost", name, name + "-pw");
            boolean backlog = name.startsWith("big");
            int first = 1000 + 100 * i;
            deliver(user, first, first + (backlog ? 29 : 0));
            (backlog ? big : small).add(user);
            routes.append(mailbox(name, "password", name + "-pw"));
        }
        Map<String, String> settings = fleetSettings();
        settings.put("mailbox.maxSessions", "1");
        settings.put("mailbox.batchSize", "2");
        settings.put("mailbox.pollDelay", "300");

        startRoute(Files.writeString(dir.resolve("backlogs.camel.yaml"), routes).toString(), settings);

        await().atMost(Duration.ofSeconds(60))
                .until(() -> small.stream().allMatch(user -> TestMailServer.messagesLeft(greenMail, user) == 0));
        for (GreenMailUser user : big) {
            assertThat(TestMailServer.messagesLeft(greenMail, user))
                    .as("messages %s still has when the small mailboxes are drained", user.getLogin())
                    .isGreaterThan(15);
        }
        await().atMost(Duration.ofSeconds(120))
                .until(() -> big.stream().allMatch(user -> TestMailServer.messagesLeft(greenMail, user) == 0));
    }

    @Test
    void aMailboxDeclaredTwiceIsRefusedAtStart() throws Exception {
        Path routes = Files.writeString(
                dir.resolve("twice.camel.yaml"),
                mailbox("alice", "password", "alice-pw")
                        + mailbox("alice", "password", "alice-pw").replace("routeId: alice", "routeId: alice-again"));

        assertThatThrownBy(() -> startRoute(routes.toString(), fleetSettings()))
                .hasRootCauseInstanceOf(ConfigurationException.class)
                .rootCause()
                .hasMessageContaining("Mailbox " + id("alice") + " is declared twice");
    }

    @Test
    void theSameMailboxWrittenDifferentlyIsRefusedToo() throws Exception {
        Path routes = Files.writeString(
                dir.resolve("twice.camel.yaml"),
                mailbox("alice", "password", "alice-pw")
                        + mailbox("alice", "password", "other").replace("routeId: alice", "routeId: alice-again"));

        assertThatThrownBy(() -> startRoute(routes.toString(), fleetSettings()))
                .hasRootCauseInstanceOf(ConfigurationException.class)
                .rootCause()
                .hasMessageContaining("is declared twice");
    }

    private Map<String, String> fleetSettings() {
        Map<String, String> settings = new java.util.HashMap<>();
        settings.put("mailbox.protocol", "pop3");
        settings.put("mailbox.pollDelay", "200");
        settings.put("sink.files.dir", out().toString());
        settings.put("ledger.dir", dir.resolve("ledger").toString());
        return settings;
    }

    private static String mailbox(String user, String secretParameter, String secret) {
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        parameters.put("host", "localhost");
        parameters.put("port", Integer.toString(greenMail.getPop3().getPort()));
        parameters.put("username", user);
        parameters.put(secretParameter, secret);
        return TemplatedRoutes.mailbox(user, parameters);
    }

    private static List<byte[]> deliver(GreenMailUser user, int first, int last) {
        List<byte[]> sent = new ArrayList<>();
        for (int n = first; n <= last; n++) {
            byte[] raw = SampleMessages.message(n);
            TestMailServer.deliver(user, raw);
            sent.add(raw);
        }
        return sent;
    }

    private void assertStoredInOwnFolder(String user, List<byte[]> sent) throws Exception {
        MailboxId mailbox = id(user);
        FilesLayout files = new FilesLayout(out(), mailbox);
        StoredMessages.assertExactly(files.mailboxFolder(), sent);
        for (int uidl = 1; uidl <= sent.size(); uidl++) {
            String key = mailbox.keyOf(Integer.toString(uidl));
            JsonNode event = JSON.readTree(files.eventFile(key).toFile());
            assertThat(event.get("mailbox").asText()).isEqualTo(mailbox.toString());
            assertThat(event.get("key").asText()).isEqualTo(key);
        }
    }

    private MailboxStatus status(String user) {
        return context
                .getRegistry()
                .lookupByNameAndType(MailboxComponent.SCHEME, MailboxComponent.class)
                .statuses()
                .stream()
                .filter(status -> status.mailbox().equals(id(user)))
                .findFirst()
                .orElseThrow();
    }

    private static MailboxId id(String user) {
        return new MailboxId("pop3", "localhost", greenMail.getPop3().getPort(), user);
    }

    private Path out() {
        return dir.resolve("out");
    }
}
