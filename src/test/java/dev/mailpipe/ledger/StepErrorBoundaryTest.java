package dev.mailpipe.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.common.MailpipeHeaders;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.MailpipeRouteTestSupport;
import dev.mailpipe.testing.SampleMessages;
import dev.mailpipe.testing.TestMailServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.Processor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Error thrown by a step on a sink worker (as an OutOfMemoryError on a hostile message once
 * did) fails that message: counted, dead-lettered after mailbox.maxAttempts, while the rest of the
 * mailbox drains; no worker is lost and the consumer never waits forever.
 */
class StepErrorBoundaryTest extends MailpipeRouteTestSupport {

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    @TempDir
    Path dir;

    @Test
    void anErrorInAStepFailsOnlyThatMessage() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        TestMailServer.deliverSamples(user, 5);
        Map<String, String> settings = TestMailServer.pop3sSettings(greenMail);
        settings.put("mailbox.pollDelay", "100");
        settings.put("mailbox.maxAttempts", "2");
        settings.put("sink.files.dir", dir.resolve("out").toString());
        settings.put("ledger.dir", dir.resolve("ledger").toString());
        // The step after the event is stored throws for message 3, as the mapper once ran out of
        // memory; bound like mailpipe's own steps.
        startRoute("inbox-to-files.camel.yaml", settings, context -> {
            Processor real = context.getRegistry().lookupByNameAndType("markFilesStored", Processor.class);
            context.getRegistry().bind("markFilesStored", StepErrorBoundary.around("markFilesStored", exchange -> {
                if ("3".equals(exchange.getMessage().getHeader(MailpipeHeaders.UIDL))) {
                    throw new StackOverflowError("hostile message");
                }
                real.process(exchange);
            }));
        });

        await().atMost(Duration.ofSeconds(60)).until(() -> TestMailServer.messagesLeft(greenMail, user) == 0);
        MailboxId mailbox =
                new MailboxId("pop3s", "localhost", greenMail.getPop3s().getPort(), TestMailServer.USER);
        FilesLayout files = new FilesLayout(dir.resolve("out"), mailbox);
        assertThat(Files.readAllBytes(files.deadLetterEml(mailbox.keyOf("3")))).isEqualTo(SampleMessages.message(3));
        assertThat(Files.readString(files.deadLetterReason(mailbox.keyOf("3")))).contains("StackOverflowError");
        for (String step : new String[] {
            "claimMessage",
            "markFilesStored",
            "markKafkaPublished",
            "markKafkaRawPublished",
            "markDelivered",
            "storeDeadLetter",
            "markDeadLettered"
        }) {
            assertThat(context.getRegistry().lookupByName(step))
                    .as("mailpipe binds " + step + " inside the boundary")
                    .isInstanceOf(StepErrorBoundary.class);
        }
        for (String uidl : new String[] {"1", "2", "4", "5"}) {
            assertThat(files.emlFile(mailbox.keyOf(uidl))).exists();
        }
    }
}
