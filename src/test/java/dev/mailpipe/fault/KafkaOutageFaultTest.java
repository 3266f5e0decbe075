package dev.mailpipe.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import dev.mailpipe.testing.KafkaBroker;
import dev.mailpipe.testing.KafkaOutageDrill;
import dev.mailpipe.testing.TestMailServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka down for 60 s under a 2,000-message mailbox: the download stops within one RETR window,
 * nothing is deleted or counted while it lasts, and afterwards each key is published once.
 */
@Tag("fault")
class KafkaOutageFaultTest {

    private static final int MESSAGES = 2000;

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    @TempDir
    Path dir;

    @Test
    void sixtySecondOutageCostsAtMostOneRetrWindowOfDownloads() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start()) {
            KafkaOutageDrill.Outcome outcome =
                    KafkaOutageDrill.run(greenMail, kafka, dir, MESSAGES, Duration.ofSeconds(60));
            System.out.printf(
                    "Kafka outage of 60 s over %d messages: %d RETRs in %d polls during the outage%n",
                    MESSAGES, outcome.retrsDuringOutage(), outcome.pollsDuringOutage());
            assertThat(outcome.retrsDuringOutage()).isLessThanOrEqualTo(16);
            assertThat(outcome.recordsPerKey())
                    .hasSize(MESSAGES)
                    .allSatisfy((key, records) ->
                            assertThat(records).as("records of " + key).isOne());
        }
    }
}
