package dev.mailpipe.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary {@code .part} files a killed process left in the files sink's folder. Each names the
 * ledger instance that writes it ({@code .<target>.<owner tag>-<random>-<n>.part}, see {@link
 * AtomicFiles#ownerTag}); one whose instance has stopped, and that has not changed for {@code quiet},
 * is nobody's and is removed. A file of any other writer (a live instance, a process on another host
 * with a ledger of its own) is never touched; whatever the process ids (in a container every JVM is
 * pid 1).
 */
public final class LeftoverParts {

    private static final Logger LOG = LoggerFactory.getLogger(LeftoverParts.class);

    /** Deep enough for attachments: {@code <root>/<mailbox>/<key>/<name>}. */
    private static final int DEPTH = 4;

    /** A part file whose name names no owner (a probe's, an older mailpipe's) is removed only when this old. */
    private static final Duration NAMELESS_QUIET = Duration.ofDays(1);

    private LeftoverParts() {}

    /**
     * Removes the part files under {@code root} that the ledger instances {@code stopped} wrote (by
     * their {@code ledger.instanceId}); returns how many.
     */
    public static int remove(Path root, Collection<String> stopped, Duration quiet) {
        if (!Files.isDirectory(root) || stopped.isEmpty()) {
            return 0;
        }
        Instant now = Instant.now();
        Set<String> owners = new HashSet<>();
        stopped.forEach(instance -> owners.add(AtomicFiles.ownerTag(instance)));
        try (Stream<Path> files = Files.walk(root, DEPTH)) {
            List<Path> orphans = files.filter(LeftoverParts::isPart)
                    .filter(part -> isOrphan(part, owners, now, quiet))
                    .toList();
            int removed = 0;
            for (Path part : orphans) {
                try {
                    if (Files.deleteIfExists(part)) {
                        removed++;
                    }
                } catch (IOException e) {
                    LOG.warn("Cannot remove the temporary file {} a stopped process left: {}", part, e.toString());
                }
            }
            return removed;
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.warn("Cannot look for temporary files stopped processes left in {}: {}", root, e.toString());
            return 0;
        }
    }

    private static boolean isPart(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.endsWith(AtomicFiles.PART_SUFFIX) && Files.isRegularFile(file);
    }

    private static boolean isOrphan(Path part, Set<String> owners, Instant now, Duration quiet) {
        Optional<String> owner = owner(part.getFileName().toString());
        try {
            Instant changed = Files.readAttributes(part, BasicFileAttributes.class)
                    .lastModifiedTime()
                    .toInstant();
            if (owner.isEmpty()) {
                // A name without an owner (a probe's, or an older mailpipe's): only when long still.
                return changed.isBefore(now.minus(NAMELESS_QUIET));
            }
            return owners.contains(owner.get()) && !changed.isAfter(now.minus(quiet));
        } catch (IOException e) {
            return false;
        }
    }

    /** The owner tag in {@code .<target>.<owner tag>-<random>-<n>.part}; empty for another name. */
    static Optional<String> owner(String name) {
        String stem = name.substring(0, name.length() - AtomicFiles.PART_SUFFIX.length());
        String unique = stem.substring(stem.lastIndexOf('.') + 1);
        int dash = unique.indexOf('-');
        String tag = dash < 0 ? "" : unique.substring(0, dash);
        return tag.matches("[0-9a-f]{16}") ? Optional.of(tag) : Optional.empty();
    }
}
