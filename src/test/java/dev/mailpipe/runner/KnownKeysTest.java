package dev.mailpipe.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailpipe.config.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A mistyped or removed mailpipe key stops the start, naming the closest known key. */
class KnownKeysTest {

    private final KnownKeys known = KnownKeys.bundled();

    private static Properties properties(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    private void checkFile(String... keyValues) {
        known.check(properties(keyValues), "my.properties", new Properties(), Map.of());
    }

    private void checkEnvironment(Map<String, String> environment) {
        known.check(new Properties(), "my.properties", new Properties(), environment);
    }

    @Test
    void aTypoInTheFileNamesTheClosestKey() {
        assertThatThrownBy(() -> checkFile("mailbox.polldelay", "1000"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown setting mailbox.polldelay in my.properties")
                .hasMessageContaining("did you mean mailbox.pollDelay?");
        assertThatThrownBy(() -> checkFile("sink.imap.folders", "x")).hasMessageContaining("sink.imap.folder?");
    }

    @Test
    void managementKeysAreCheckedToo() {
        assertThatCode(() -> checkFile("management.port", "9876", "management.outageGraceSeconds", "60"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> checkFile("management.prot", "9876")).hasMessageContaining("management.port?");
    }

    @Test
    void aTypoInASystemPropertyIsReportedAsSuch() {
        assertThatThrownBy(() ->
                        known.check(new Properties(), "my.properties", properties("ledger.instanceID", "a"), Map.of()))
                .hasMessageContaining("unknown setting -Dledger.instanceID")
                .hasMessageContaining("did you mean ledger.instanceId?");
    }

    @Test
    void environmentVariablesAreMatchedInBothSpellingsCamelAccepts() {
        assertThatCode(() -> checkEnvironment(
                        Map.of("MAILBOX_POLLDELAY", "1", "MAILBOX_POLL_DELAY", "1", "SINK_KAFKA_SASLJAASCONFIG", "x")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> checkEnvironment(Map.of("MAILBOX_POLDELAY", "1")))
                .hasMessageContaining("environment variable MAILBOX_POLDELAY")
                .hasMessageContaining("did you mean MAILBOX_POLLDELAY, property mailbox.pollDelay?");
    }

    @Test
    void otherSettingsAndOtherSoftwaresVariablesAreNotMailpipes() {
        assertThatCode(() -> known.check(
                        properties("camel.main.durationMaxIdleSeconds", "5", "mailboxes", "x"),
                        "my.properties",
                        properties("java.home", "/jdk"),
                        Map.of("PATH", "/bin", "MAILPIPE_CONFIG", "x", "SINKHOLE", "y")))
                .doesNotThrowAnyException();
    }

    @Test
    void theRemovedClaimSecondsSaysWhatReplacedIt() {
        String removed = "ledger.claimSeconds was removed: a claim now lasts as long as its instance lives"
                + " (see ledger.heartbeatSeconds)";
        assertThatThrownBy(() -> checkFile("ledger.claimSeconds", "300")).hasMessageContaining(removed);
        assertThatThrownBy(() -> checkEnvironment(Map.of("LEDGER_CLAIMSECONDS", "300")))
                .hasMessageContaining(removed);
    }

    @Test
    void everyProblemIsListedAtOnce() {
        assertThatThrownBy(() -> checkFile("mailbox.hots", "a", "sink.file.dir", "b"))
                .hasMessageContaining("mailbox.host?")
                .hasMessageContaining("sink.files.dir?");
    }

    /** application.properties is the one list of keys; this keeps it complete as code and routes grow. */
    @Test
    void everyKeyTheCodeOrTheRoutesReadIsKnown() throws IOException {
        Set<String> read = new TreeSet<>();
        Pattern key = Pattern.compile("[\"{](?:\\{)?((?:mailbox|sink|ledger)\\.[A-Za-z.]+[A-Za-z])");
        for (Path root : new Path[] {Path.of("src/main/java"), Path.of("routes")}) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Matcher matcher = key.matcher(Files.readString(file));
                    while (matcher.find()) {
                        read.add(matcher.group(1));
                    }
                }
            }
        }
        // The SQLite and lock file names, and the key being removed (its reader goes with it), are not settings.
        read.removeAll(Set.of("ledger.sqlite", "ledger.lock", "ledger.claimSeconds"));

        assertThat(read).contains("mailbox.pollDelay", "sink.imap.flags", "sink.kafka.saslJaasConfig");
        for (String each : read) {
            assertThatCode(() -> checkFile(each, "x")).as(each).doesNotThrowAnyException();
        }
    }
}
