package dev.mailpipe.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The POP3 sessions in the log of a {@link DovecotServer}: a login per session and, at its end, the
 * RETRs and DELEs Dovecot counted. Read from a byte offset, so a caller counts only what happened
 * after it took {@link #end}.
 */
public final class DovecotLog {

    /** A successful POP3 login. */
    public record Login(LocalDateTime at, String user) {}

    /** The end of a POP3 session that logged out: how many RETRs it answered and messages it deleted. */
    public record Logout(LocalDateTime at, String user, int retrieved, int deleted, int top) {}

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private static final Pattern LOGIN = Pattern.compile("^(\\S+ \\S+) pop3-login: Info: Login: user=<([^>]*)>");
    private static final Pattern LOGOUT = Pattern.compile(
            "^(\\S+ \\S+) pop3\\(([^)]*)\\).*Disconnected: Logged out top=(\\d+)/\\d+, retr=(\\d+)/\\d+, del=(\\d+)/");

    private final List<Login> logins;
    private final List<Logout> logouts;

    private DovecotLog(List<Login> logins, List<Logout> logouts) {
        this.logins = logins;
        this.logouts = logouts;
    }

    /** Where the log ends now: read from here to see only what comes next. */
    public static long end(Path log) throws IOException {
        return Files.exists(log) ? Files.size(log) : 0;
    }

    /** The POP3 logins and logouts logged from byte {@code offset} on. */
    public static DovecotLog read(Path log, long offset) throws IOException {
        return read(log, offset, end(log));
    }

    /** The POP3 logins and logouts logged from byte {@code from} up to byte {@code to}. */
    public static DovecotLog read(Path log, long from, long to) throws IOException {
        List<Login> logins = new ArrayList<>();
        List<Logout> logouts = new ArrayList<>();
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            file.seek(from);
            byte[] bytes = new byte[(int) (to - from)];
            file.readFully(bytes);
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                Matcher login = LOGIN.matcher(line);
                if (login.find()) {
                    logins.add(new Login(LocalDateTime.parse(login.group(1), STAMP), login.group(2)));
                    continue;
                }
                Matcher logout = LOGOUT.matcher(line);
                if (logout.find()) {
                    logouts.add(new Logout(
                            LocalDateTime.parse(logout.group(1), STAMP),
                            logout.group(2),
                            Integer.parseInt(logout.group(4)),
                            Integer.parseInt(logout.group(5)),
                            Integer.parseInt(logout.group(3))));
                }
            }
        }
        return new DovecotLog(logins, logouts);
    }

    public List<Login> logins() {
        return logins;
    }

    public List<Logout> logouts() {
        return logouts;
    }
}
