package dev.mailpipe.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary {@code .part} files a killed process left in the files sink's folder. Each names the
 * process that writes it ({@code .<target>.<pid>-<random>-<n>.part}, see {@link AtomicFiles}); one
 * whose process no longer runs on this host, and that has not changed for {@code quiet}, is nobody's
 * and is removed. A file of a live process (on this host, or one writing the same folder from
 * another host, whose file keeps changing while it downloads) is never touched.
 */
public final class LeftoverParts {

    private static final Logger LOG = LoggerFactory.getLogger(LeftoverParts.class);

    /** Deep enough for attachments: {@code <root>/<mailbox>/<key>/<name>}. */
    private static final int DEPTH = 4;

    /** A part file whose name names no process (a probe's) is removed only when this old. */
    private static final Duration NAMELESS_QUIET = Duration.ofDays(1);

    private LeftoverParts() {}

    /** Removes the part files under {@code root} that no live process can own; returns how many. */
    public static int remove(Path root, Duration quiet) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        Instant now = Instant.now();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> files = Files.walk(root, DEPTH)) {
            List<Path> orphans = files.filter(LeftoverParts::isPart)
                    .filter(part -> isOrphan(part, self, now, quiet))
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

    private static boolean isOrphan(Path part, long self, Instant now, Duration quiet) {
        OptionalLong owner = owner(part.getFileName().toString());
        try {
            Instant changed = Files.readAttributes(part, BasicFileAttributes.class)
                    .lastModifiedTime()
                    .toInstant();
            if (owner.isEmpty()) {
                return changed.isBefore(now.minus(NAMELESS_QUIET));
            }
            long pid = owner.getAsLong();
            boolean running = pid == self
                    || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            return !running && !changed.isAfter(now.minus(quiet));
        } catch (IOException e) {
            return false;
        }
    }

    /** The pid in {@code .<target>.<pid>-<random>-<n>.part}; empty for another name. */
    static OptionalLong owner(String name) {
        String stem = name.substring(0, name.length() - AtomicFiles.PART_SUFFIX.length());
        String unique = stem.substring(stem.lastIndexOf('.') + 1);
        int dash = unique.indexOf('-');
        if (dash <= 0) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(unique.substring(0, dash)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
