package dev.mailpipe.benchmark;

import dev.mailpipe.testing.DovecotLog;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The POP3 logins Dovecot logged for a set of accounts: how many, how evenly they fall on the
 * accounts (a starved mailbox has none), how many landed in the same second, and over how long the
 * accounts' first logins were spread.
 */
record SessionCounts(
        int logins,
        int accounts,
        int accountsSeen,
        int fewestPerAccount,
        int mostPerAccount,
        int mostInOneSecond,
        double firstLoginsSpreadSeconds) {

    static SessionCounts of(DovecotLog log, Collection<String> users) {
        Map<String, Long> perAccount = new HashMap<>();
        Map<String, LocalDateTime> first = new HashMap<>();
        Map<LocalDateTime, Long> perSecond = new HashMap<>();
        int logins = 0;
        for (DovecotLog.Login login : log.logins()) {
            if (!users.contains(login.user())) {
                continue;
            }
            logins++;
            perAccount.merge(login.user(), 1L, Long::sum);
            first.putIfAbsent(login.user(), login.at());
            perSecond.merge(login.at().truncatedTo(ChronoUnit.SECONDS), 1L, Long::sum);
        }
        long fewest = perAccount.size() < users.size()
                ? 0
                : perAccount.values().stream().mapToLong(Long::longValue).min().orElse(0);
        double spread = first.isEmpty()
                ? 0
                : Duration.between(
                                        first.values().stream()
                                                .min(LocalDateTime::compareTo)
                                                .orElseThrow(),
                                        first.values().stream()
                                                .max(LocalDateTime::compareTo)
                                                .orElseThrow())
                                .toMillis()
                        / 1000.0;
        return new SessionCounts(
                logins,
                users.size(),
                perAccount.size(),
                (int) fewest,
                (int) perAccount.values().stream()
                        .mapToLong(Long::longValue)
                        .max()
                        .orElse(0),
                (int) perSecond.values().stream()
                        .mapToLong(Long::longValue)
                        .max()
                        .orElse(0),
                spread);
    }

    /** What Dovecot served one account over all its sessions. */
    record Served(int retrieved, int deleted) {}

    /** Per account: the RETRs Dovecot answered and the messages it deleted, summed over its sessions. */
    static Map<String, Served> served(DovecotLog log, Collection<String> users) {
        return log.logouts().stream()
                .filter(logout -> users.contains(logout.user()))
                .collect(Collectors.groupingBy(
                        DovecotLog.Logout::user,
                        Collectors.reducing(
                                new Served(0, 0),
                                logout -> new Served(logout.retrieved(), logout.deleted()),
                                (a, b) -> new Served(a.retrieved() + b.retrieved(), a.deleted() + b.deleted()))));
    }

    double loginsPerAccount() {
        return (double) logins / accounts;
    }
}
