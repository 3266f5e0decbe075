package dev.mailpipe.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.Pop3Proxy;
import dev.mailpipe.testing.RunnerProcess;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TestMailServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runner instances on one mailbox with a shared PostgreSQL ledger, behind a server that locks
 * the maildrop (RFC 1939): each message is delivered once, and the instance that finds the mailbox
 * locked backs off quietly (no warning, no error).
 */
@Tag("fault")
class SharedLedgerFaultTest {

    private static final int MESSAGES = 300;
    private static final Pattern DELIVERED = Pattern.compile("Delivered (\\S+) as ");

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    @TempDir
    Path dir;

    @Test
    void twoInstancesDeliverEachMessageOnceAndTakeTurnsQuietly() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        List<byte[]> sent = TestMailServer.deliverSamples(user, MESSAGES);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                Pop3Proxy lockingServer =
                        new Pop3Proxy(greenMail.getPop3().getPort(), Pop3Proxy.Cut.LOCK_MAILDROP, 0)) {
            Path settings = sharedSettings(lockingServer, postgres, 5);
            List<String> jvm = List.of("-Xmx256m", "-Dlog4j2.configurationFile=" + deliveriesLogConfig());
            RunnerProcess first = RunnerProcess.start(settings, jvm, Map.of(), dir.resolve("first.log"));
            RunnerProcess second = RunnerProcess.start(settings, jvm, Map.of(), dir.resolve("second.log"));
            assertThat(first.awaitExit(10)).isZero();
            assertThat(second.awaitExit(10)).isZero();

            List<String> deliveries = new ArrayList<>();
            deliveries.addAll(delivered(first.log()));
            deliveries.addAll(delivered(second.log()));
            assertThat(deliveries)
                    .as("one delivery per message")
                    .hasSize(MESSAGES)
                    .doesNotHaveDuplicates();
            assertThat(lockingServer.lockRefusals())
                    .as("the instances did compete")
                    .isPositive();
            for (Path log : List.of(first.log(), second.log())) {
                // The proxy speaks plain POP3, which mailpipe rightly warns about once at start.
                assertThat(Files.readAllLines(log))
                        .as("quiet back-off in " + log)
                        .filteredOn(line -> !line.contains("uses plain POP3 without STARTTLS"))
                        .noneMatch(line -> line.contains(" WARN ") || line.contains(" ERROR "));
            }
            assertThat(TestMailServer.messagesLeft(greenMail, user)).isZero();
            MailboxId mailbox = new MailboxId("pop3", "localhost", lockingServer.port(), TestMailServer.USER);
            StoredMessages.assertExactly(new FilesLayout(dir.resolve("out"), mailbox).mailboxFolder(), sent);
        }
    }

    /**
     * kill -9 of one of two instances mid-drain, then its restart (a new instance): the messages the
     * killed one had claimed are delivered once its heartbeat has run out (15 s), so the mailbox is
     * empty within mailbox.pollDelay plus 30 s of the restart, each message stored exactly once.
     */
    @Test
    void killedInstancesMessagesAreTakenOverWithinTheLease() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        List<byte[]> sent = TestMailServer.deliverSamples(user, MESSAGES);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                Pop3Proxy lockingServer =
                        new Pop3Proxy(greenMail.getPop3().getPort(), Pop3Proxy.Cut.LOCK_MAILDROP, 0)) {
            // Idle longer than a dead instance's lease, so the survivor does not end while claims wait.
            Path settings = sharedSettings(lockingServer, postgres, 25);
            MailboxId mailbox = new MailboxId("pop3", "localhost", lockingServer.port(), TestMailServer.USER);
            Path out = new FilesLayout(dir.resolve("out"), mailbox).mailboxFolder();
            List<String> jvm = List.of("-Xmx256m", "-Dlog4j2.configurationFile=" + deliveriesLogConfig());
            RunnerProcess killed = RunnerProcess.start(settings, jvm, Map.of(), dir.resolve("killed.log"));
            RunnerProcess survivor = RunnerProcess.start(settings, jvm, Map.of(), dir.resolve("survivor.log"));
            await().atMost(Duration.ofMinutes(2)).until(() -> KillNineFaultTest.storedCount(out) >= MESSAGES / 5);
            killed.killHard();
            RunnerProcess restarted = RunnerProcess.start(settings, jvm, Map.of(), dir.resolve("restarted.log"));
            await().atMost(Duration.ofMillis(100).plusSeconds(30))
                    .until(() -> TestMailServer.messagesLeft(greenMail, user) == 0);
            assertThat(survivor.awaitExit(2)).isZero();
            assertThat(restarted.awaitExit(2)).isZero();
            StoredMessages.assertExactly(out, sent);
            // The files sink replaces a message's file with the same bytes, so a second delivery
            // would not show in the folder; the deliveries logged by the three runs would.
            List<String> deliveries = new ArrayList<>();
            for (RunnerProcess run : List.of(killed, survivor, restarted)) {
                deliveries.addAll(delivered(run.log()));
            }
            assertThat(deliveries).as("no message delivered twice").doesNotHaveDuplicates();
        }
    }

    private Path sharedSettings(Pop3Proxy lockingServer, EmbeddedPostgres postgres, int maxIdleSeconds)
            throws java.io.IOException {
        return Files.writeString(
                dir.resolve("mailpipe.properties"),
                String.join(
                        "\n",
                        "mailbox.protocol=pop3",
                        "mailbox.host=localhost",
                        "mailbox.port=" + lockingServer.port(),
                        "mailbox.username=" + TestMailServer.USER,
                        "mailbox.password=" + TestMailServer.PASSWORD,
                        "mailbox.pollDelay=100",
                        "mailbox.batchSize=10",
                        "sink.files.dir=" + dir.resolve("out"),
                        "ledger.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                        "ledger.username=postgres",
                        "camel.main.routesIncludePattern=file:" + KillNineFaultTest.routes() + "/*.yaml",
                        "camel.main.durationMaxIdleSeconds=" + maxIdleSeconds));
    }

    private static List<String> delivered(Path log) throws Exception {
        List<String> uidls = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            Matcher delivered = DELIVERED.matcher(line);
            if (delivered.find()) {
                uidls.add(delivered.group(1));
            }
        }
        return uidls;
    }

    private static Path deliveriesLogConfig() {
        return Path.of(System.getProperty("mailpipe.project.dir", "."))
                .resolve("src/test/resources/log4j2-deliveries.xml")
                .toAbsolutePath();
    }
}
