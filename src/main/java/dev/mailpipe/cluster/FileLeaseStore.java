package dev.mailpipe.cluster;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Leases as files under {@code cluster.root}, for instances on one host (or a shared volume whose
 * file locks work across hosts): {@code members/<id>} holds when each member's heartbeat runs out,
 * {@code leases/<namespace>} who holds a lease until when. A lease changes hands under an exclusive
 * file lock of {@code leases/<namespace>.lock}, as Camel's file lock cluster service takes its
 * locks; the files themselves are replaced atomically.
 */
public final class FileLeaseStore implements LeaseStore {

    private final Path members;
    private final Path leases;
    private final Clock clock;

    public FileLeaseStore(Path root, Clock clock) throws IOException {
        this.members = Files.createDirectories(root.resolve("members"));
        this.leases = Files.createDirectories(root.resolve("leases"));
        this.clock = clock;
    }

    @Override
    public void heartbeat(String member, Duration ttl) throws IOException {
        write(members.resolve(fileName(member)), member + "\n" + (clock.millis() + ttl.toMillis()));
    }

    @Override
    public Set<String> members() throws IOException {
        Set<String> alive = new HashSet<>();
        try (Stream<Path> files = Files.list(members)) {
            for (Path file : files.filter(f -> !f.getFileName().toString().startsWith("."))
                    .toList()) {
                read(file).filter(entry -> entry.until() >= clock.millis()).ifPresent(entry -> alive.add(entry.who()));
            }
        }
        return alive;
    }

    @Override
    public boolean acquire(String namespace, String member, Duration ttl) throws IOException {
        return underLock(namespace, lease -> {
            Optional<Entry> current = read(lease);
            long now = clock.millis();
            if (current.isPresent()
                    && !current.get().who().equals(member)
                    && current.get().until() >= now) {
                return false;
            }
            write(lease, member + "\n" + (now + ttl.toMillis()));
            return true;
        });
    }

    @Override
    public void release(String namespace, String member) throws IOException {
        underLock(namespace, lease -> {
            if (read(lease).filter(entry -> entry.who().equals(member)).isPresent()) {
                Files.deleteIfExists(lease);
            }
            return null;
        });
    }

    /** Works on a namespace's lease file while holding the exclusive lock of its {@code .lock} file. */
    private <T> T underLock(String namespace, LeaseWork<T> work) throws IOException {
        String name = fileName(namespace);
        try (FileChannel channel = FileChannel.open(
                        leases.resolve(name + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            return work.on(leases.resolve(name));
        }
    }

    @FunctionalInterface
    private interface LeaseWork<T> {
        T on(Path lease) throws IOException;
    }

    @Override
    public void leave(String member) throws IOException {
        Files.deleteIfExists(members.resolve(fileName(member)));
    }

    @Override
    public void close() {}

    /** A name made of safe characters only, unique through a hash of the original. */
    private static String fileName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return (safe.length() > 80 ? safe.substring(0, 80) : safe) + "-" + Integer.toHexString(name.hashCode());
    }

    private record Entry(String who, long until) {}

    private static Optional<Entry> read(Path file) throws IOException {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() < 2) {
                return Optional.empty();
            }
            return Optional.of(
                    new Entry(lines.get(0), Long.parseLong(lines.get(1).strip())));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void write(Path file, String content) throws IOException {
        Path temp = file.resolveSibling(
                "." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public String toString() {
        return "files in " + leases.getParent();
    }
}
