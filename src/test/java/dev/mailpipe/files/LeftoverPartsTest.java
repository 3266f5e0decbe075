package dev.mailpipe.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stopped instance's temporary files are removed at the next start, found by the owner tag in
 * their names; a live writer's (another instance's, another host's, whatever its pid) and other
 * files are kept.
 */
class LeftoverPartsTest {

    private static final String KILLED = "host-a/4242/1a2b3c4d";
    private static final String LIVE = "host-b/1/5e6f7a8b";

    @TempDir
    Path root;

    private static String part(String target, String instance) {
        return "." + target + "." + AtomicFiles.ownerTag(instance) + "-9f8e7d-3" + AtomicFiles.PART_SUFFIX;
    }

    @Test
    void removesThePartFilesOfStoppedInstancesOnly() throws Exception {
        Path mailbox = Files.createDirectories(root.resolve("pop3s_alice@host_995"));
        Path attachments = Files.createDirectories(mailbox.resolve("key-1"));
        Path killed = Files.createFile(mailbox.resolve(part("key-1.eml", KILLED)));
        Path killedAttachment = Files.createFile(attachments.resolve(part("report.pdf", KILLED)));
        Path live = Files.createFile(mailbox.resolve(part("key-2.eml", LIVE)));
        Path stored = Files.createFile(mailbox.resolve("key-3.eml"));

        assertThat(LeftoverParts.remove(root, List.of(KILLED), Duration.ZERO)).isEqualTo(2);

        assertThat(killed).doesNotExist();
        assertThat(killedAttachment).doesNotExist();
        assertThat(live).exists();
        assertThat(stored).exists();
    }

    @Test
    void aFileThatChangedRecentlyIsKeptWhenTheLedgerIsShared() throws Exception {
        Path recent = Files.createFile(root.resolve(part("key-1.eml", KILLED)));
        Path still = Files.createFile(root.resolve(part("key-2.eml", KILLED)));
        Files.setLastModifiedTime(still, FileTime.from(Instant.now().minus(Duration.ofHours(1))));

        assertThat(LeftoverParts.remove(root, List.of(KILLED), Duration.ofMinutes(10)))
                .isEqualTo(1);

        assertThat(recent).exists();
        assertThat(still).doesNotExist();
    }

    @Test
    void aNameWithoutAnOwnerIsRemovedOnlyWhenLongStill() throws Exception {
        Path probe = Files.createFile(root.resolve(".probe-8812736" + AtomicFiles.PART_SUFFIX));
        Path older = Files.createFile(root.resolve(".key-1.eml.1234-ff00-3" + AtomicFiles.PART_SUFFIX));
        Files.setLastModifiedTime(older, FileTime.from(Instant.now().minus(Duration.ofDays(2))));

        assertThat(LeftoverParts.remove(root, List.of(KILLED), Duration.ZERO)).isEqualTo(1);

        assertThat(probe).exists();
        assertThat(older).doesNotExist();
    }

    @Test
    void atomicFilesNameTheirOwner() throws Exception {
        AtomicFiles.ownedBy(KILLED);
        Path target = root.resolve("key-9.eml");
        try (AtomicFiles.Pending pending =
                AtomicFiles.writePending(target, dev.mailpipe.config.FileModes.PRIVATE, out -> out.write(1))) {
            try (var parts = Files.list(root)) {
                assertThat(parts.map(p -> LeftoverParts.owner(p.getFileName().toString())))
                        .containsExactly(java.util.Optional.of(AtomicFiles.ownerTag(KILLED)));
            }
            pending.commit();
        }
        assertThat(target).exists();
    }
}
