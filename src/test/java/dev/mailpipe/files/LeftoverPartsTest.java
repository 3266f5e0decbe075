package dev.mailpipe.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A killed process's temporary files are removed at the next start; a live process's (this one's,
 * or one still writing) and other files are kept.
 */
class LeftoverPartsTest {

    @TempDir
    Path root;

    @Test
    void removesThePartFilesOfProcessesThatNoLongerRun() throws Exception {
        Path mailbox = Files.createDirectories(root.resolve("pop3s_alice@host_995"));
        Path attachments = Files.createDirectories(mailbox.resolve("key-1"));
        long dead = deadPid();
        Path killed = Files.createFile(mailbox.resolve(".key-1.eml." + dead + "-a1b2-7.part"));
        Path killedAttachment = Files.createFile(attachments.resolve(".report.pdf." + dead + "-a1b2-8.part"));
        Path mine = Files.createFile(
                mailbox.resolve(".key-2.eml." + ProcessHandle.current().pid() + "-c3d4-1.part"));
        Path stored = Files.createFile(mailbox.resolve("key-3.eml"));

        assertThat(LeftoverParts.remove(root, Duration.ZERO)).isEqualTo(2);

        assertThat(killed).doesNotExist();
        assertThat(killedAttachment).doesNotExist();
        assertThat(mine).exists();
        assertThat(stored).exists();
    }

    @Test
    void aFileThatChangedRecentlyIsKeptWhenTheLedgerIsShared() throws Exception {
        Path recent = Files.createFile(root.resolve(".key-1.eml." + deadPid() + "-a1b2-7.part"));
        Path still = Files.createFile(root.resolve(".key-2.eml." + deadPid() + "-a1b2-8.part"));
        Files.setLastModifiedTime(still, FileTime.from(Instant.now().minus(Duration.ofHours(1))));

        assertThat(LeftoverParts.remove(root, Duration.ofMinutes(10))).isEqualTo(1);

        assertThat(recent).exists();
        assertThat(still).doesNotExist();
    }

    @Test
    void readsTheOwnerFromTheName() {
        assertThat(LeftoverParts.owner(".a.b.eml.1234-ff00-3.part")).hasValue(1234);
        assertThat(LeftoverParts.owner(".probe-8812736.part")).isEmpty();
    }

    /** A pid no process has now. */
    private static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        long pid = process.pid();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
        return pid;
    }
}
