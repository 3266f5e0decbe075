package dev.mailpipe.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.ApplicationRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar mailpipe.jar ledger stats|list|forget|retry} against a real ledger file. */
class LedgerCommandTest {

    private static final String ALICE = "pop3s://alice@pop.example.org:995";
    private static final String BOB = "pop3s://bob@pop.example.org:995";

    @TempDir
    Path dir;

    private Path settings;

    @BeforeEach
    void fillLedger() throws Exception {
        Path ledgerDir = Files.createDirectories(dir.resolve("ledger"));
        settings = Files.writeString(dir.resolve("mailpipe.properties"), "ledger.dir=" + ledgerDir + "\n");
        try (Ledger ledger =
                Ledger.open("jdbc:sqlite:" + ledgerDir.resolve("ledger.sqlite"), null, null, Clock.systemUTC())) {
            ledger.claim("a".repeat(64), ALICE, "u1", "me");
            ledger.markDelivered("a".repeat(64), "<m1@example.org>", null);
            ledger.claim("b".repeat(64), ALICE, "u2", "me");
            ledger.recordFailure("b".repeat(64), "sink said no");
            ledger.claim("c".repeat(64), ALICE, "u3", "me");
            ledger.claim("d".repeat(64), BOB, "u4", "me");
            ledger.recordLostConnection("c".repeat(64), "EOF on socket");
            ledger.park("c".repeat(64), "broke every download");
        }
    }

    @Test
    void statsCountsEntriesPerState() {
        ApplicationRunner.Result result = ApplicationRunner.run("--properties", settings.toString(), "ledger", "stats");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("SEEN\t2").contains("DELIVERED\t1").contains("DEAD_LETTERED\t0");
    }

    @Test
    void listShowsOneMailboxsEntries() {
        ApplicationRunner.Result bob =
                ApplicationRunner.run("--properties", settings.toString(), "ledger", "list", "--mailbox", BOB);
        assertThat(bob.exitCode()).isZero();
        assertThat(bob.out()).contains("d".repeat(64) + "\t" + BOB + "\tSEEN");
        assertThat(bob.out()).doesNotContain(ALICE);
    }

    @Test
    void listShowsEntriesOfOneState() {
        ApplicationRunner.Result result =
                ApplicationRunner.run("--properties", settings.toString(), "ledger", "list", "seen", "--limit", "5");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .contains("b".repeat(64) + "\t" + ALICE + "\tSEEN\t1\tu2\t-")
                .contains("sink said no");
        assertThat(result.out()).doesNotContain("a".repeat(64));
    }

    @Test
    void retryUnparksAParkedMessageOnceAndRefusesAnyOther() {
        String parked = "c".repeat(64);
        ApplicationRunner.Result list =
                ApplicationRunner.run("--properties", settings.toString(), "ledger", "list", "parked");
        assertThat(list.out()).contains(parked + "\t" + ALICE + "\tPARKED").contains("broke every download");
        ApplicationRunner.Result retry =
                ApplicationRunner.run("--properties", settings.toString(), "ledger", "retry", parked);
        assertThat(retry.exitCode()).isZero();
        assertThat(retry.out()).contains("Unparked " + parked);
        ApplicationRunner.Result again =
                ApplicationRunner.run("--properties", settings.toString(), "ledger", "retry", parked);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("No parked ledger entry " + parked);
        assertThat(ApplicationRunner.run("--properties", settings.toString(), "ledger", "retry", "a".repeat(64))
                        .exitCode())
                .isEqualTo(1);
    }

    @Test
    void forgetRemovesAnEntryOnceAndSaysWhenThereIsNone() {
        String key = "a".repeat(64);
        assertThat(ApplicationRunner.run("--properties", settings.toString(), "ledger", "forget", key)
                        .exitCode())
                .isZero();
        ApplicationRunner.Result again =
                ApplicationRunner.run("--properties", settings.toString(), "ledger", "forget", key);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("No ledger entry " + key);
    }

    @Test
    void unknownSubcommandIsBadUsage() {
        ApplicationRunner.Result result = ApplicationRunner.run("--properties", settings.toString(), "ledger", "drop");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("unknown subcommand 'drop'").contains("Usage:");
    }

    @Test
    void propertiesAfterTheSubcommandOpenTheSameLedger() {
        ApplicationRunner.Result after = ApplicationRunner.run("ledger", "stats", "--properties", settings.toString());
        assertThat(after.exitCode()).as(after.err()).isZero();
        assertThat(after.out()).contains("SEEN\t2").contains("DELIVERED\t1");

        ApplicationRunner.Result between = ApplicationRunner.run(
                "ledger", "list", "--properties", settings.toString(), "delivered", "--limit", "5");
        assertThat(between.exitCode()).as(between.err()).isZero();
        assertThat(between.out()).contains("a".repeat(64) + "\t" + ALICE + "\tDELIVERED");
    }

    @Test
    void unexpectedArgumentsAreBadUsageNotIgnored() {
        ApplicationRunner.Result result =
                ApplicationRunner.run("--properties", settings.toString(), "ledger", "stats", "--propertie", "x");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("stats takes no arguments");
    }
}
