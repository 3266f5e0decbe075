package dev.mailpipe.config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The modes of the files and folders mailpipe makes (mail, events, attachments, dead letters, the
 * embedded ledger): set by mailpipe, not left to the umask. Each file and folder is created with its
 * final mode as the creation mode, which the umask can only narrow, and set to exactly that mode
 * afterwards where the umask did narrow it; so it is never, for any moment, more open than its final
 * mode, and the usual case (a umask that takes nothing the mode has) costs no second system call per
 * file. Where the file system has no POSIX permissions, files are created as the platform makes them.
 */
public record FileModes(Set<PosixFilePermission> file, Set<PosixFilePermission> folder) {

    /** Readable and writable by their owner alone: {@code 600} files in {@code 700} folders. */
    public static final FileModes PRIVATE = new FileModes(mode("600"), mode("700"));

    /** Whether the default file system has POSIX permissions (not so on Windows). */
    public static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private static final Pattern OCTAL = Pattern.compile("0?[0-7]{3}");

    /**
     * The bits this process's umask takes away, learnt once from a file created {@code 777}; every
     * bit when that fails, so modes are then always set after creation.
     */
    private static final Set<PosixFilePermission> UMASK = umask();

    public FileModes {
        file = Set.copyOf(file);
        folder = Set.copyOf(folder);
    }

    /**
     * Modes from octal settings such as {@code 640} and {@code 750}; a value that is not octal,
     * above {@code 777}, a file mode without its owner's read and write bits or a folder mode without
     * its owner's read, write and search bits is a configuration error naming its setting.
     */
    public static FileModes parse(String fileKey, String fileMode, String folderKey, String folderMode) {
        return new FileModes(
                checked(fileKey, fileMode, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)),
                checked(
                        folderKey,
                        folderMode,
                        EnumSet.of(
                                PosixFilePermission.OWNER_READ,
                                PosixFilePermission.OWNER_WRITE,
                                PosixFilePermission.OWNER_EXECUTE)));
    }

    private static Set<PosixFilePermission> checked(String key, String value, Set<PosixFilePermission> needed) {
        String octal = value == null ? "" : value.strip();
        if (!OCTAL.matcher(octal).matches()) {
            throw Settings.invalid(key, "must be an octal mode from 000 to 777 such as 600, got '" + value + "'");
        }
        Set<PosixFilePermission> mode = mode(octal);
        if (!mode.containsAll(needed)) {
            throw Settings.invalid(
                    key,
                    "must keep the owner's " + (needed.size() == 2 ? "read and write" : "read, write and search")
                            + " bits (mailpipe is the owner), got " + octal);
        }
        return mode;
    }

    /** The permissions of an octal mode such as {@code 640}. */
    static Set<PosixFilePermission> mode(String octal) {
        int bits = Integer.parseInt(octal, 8);
        Set<PosixFilePermission> mode = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission permission : PosixFilePermission.values()) {
            if ((bits & bit(permission)) != 0) {
                mode.add(permission);
            }
        }
        return mode;
    }

    /** A mode in octal, such as {@code 640}. */
    public static String octal(Set<PosixFilePermission> mode) {
        int bits = 0;
        for (PosixFilePermission permission : mode) {
            bits |= bit(permission);
        }
        return String.format("%03o", bits);
    }

    /** The permission's bit: the enum runs from OWNER_READ (0400) to OTHERS_EXECUTE (0001). */
    private static int bit(PosixFilePermission permission) {
        return 1 << (8 - permission.ordinal());
    }

    private static Set<PosixFilePermission> umask() {
        Set<PosixFilePermission> all = EnumSet.allOf(PosixFilePermission.class);
        if (!POSIX) {
            return all;
        }
        try {
            Path probe = Files.createTempFile("mailpipe-umask-", ".probe", attribute(all));
            try {
                Set<PosixFilePermission> taken = EnumSet.copyOf(all);
                taken.removeAll(Files.getPosixFilePermissions(probe));
                return taken;
            } finally {
                Files.delete(probe);
            }
        } catch (IOException | UnsupportedOperationException e) {
            return all;
        }
    }

    /** Sets {@code mode} on a path just made with it, where the umask took some of its bits. */
    private static void restoreUmaskedBits(Path path, Set<PosixFilePermission> mode) throws IOException {
        if (mode.stream().anyMatch(UMASK::contains)) {
            Files.setPosixFilePermissions(path, mode);
        }
    }

    /**
     * Creates {@code folder} and any missing parent with the folder mode; folders that exist keep
     * theirs. Safe against another thread creating the same folder.
     */
    public void createFolders(Path folder) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = folder.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        while (!missing.isEmpty()) {
            Path next = missing.pop();
            try {
                if (POSIX) {
                    Files.createDirectory(next, attribute(this.folder));
                    restoreUmaskedBits(next, this.folder);
                } else {
                    Files.createDirectory(next);
                }
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(next)) {
                    throw e;
                }
            }
        }
    }

    /** Creates a new file (it must not exist) with the file mode and opens it for writing. */
    public FileChannel createFile(Path file) throws IOException {
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        if (!POSIX) {
            return FileChannel.open(file, options);
        }
        FileChannel channel = FileChannel.open(file, options, attribute(this.file));
        try {
            restoreUmaskedBits(file, this.file);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return channel;
    }

    /**
     * Creates {@code file}, empty, with the file mode unless it exists (one another process may make
     * at the same moment); an existing file keeps its mode.
     */
    public void createFileIfMissing(Path file) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        try (FileChannel created = createFile(file)) {
            // Made with its mode; the caller opens it as it needs.
        } catch (FileAlreadyExistsException e) {
            // Made meanwhile by another process: it is opened as it is.
        }
    }

    /**
     * The mode of an existing folder if it is more open than {@code allowed} (a folder mailpipe did
     * not make, say by an older version); empty when it is not, does not exist, or has no POSIX mode.
     */
    public static java.util.Optional<String> moreOpenThan(Path folder, Set<PosixFilePermission> allowed) {
        if (!POSIX || !Files.isDirectory(folder)) {
            return java.util.Optional.empty();
        }
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(folder);
            return allowed.containsAll(mode) ? java.util.Optional.empty() : java.util.Optional.of(octal(mode));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> mode) {
        return PosixFilePermissions.asFileAttribute(mode);
    }
}
