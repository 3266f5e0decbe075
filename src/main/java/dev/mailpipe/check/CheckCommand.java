package dev.mailpipe.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailpipe.runner.MailpipeBeans;
import dev.mailpipe.runner.MailpipeRunner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code mailpipe check [--json]}: loads the settings and routes as the runner does, then checks
 * every mailbox (connect, TLS, sign-in, CAPA, STAT, QUIT) and every sink and the ledger without
 * changing anything. Checks of one kind run in parallel: mailboxes first (the files check weighs
 * their mail waiting against the free space), then the sinks and the ledger.
 */
public final class CheckCommand {

    public static final String USAGE = "Usage: mailpipe check [--json]   (--properties FILE before or after)";

    /** Exit code: a mailbox cannot be drained (it wins over a sink's failure). */
    public static final int MAILBOX_FAILS = 3;
    /** Exit code: a sink or the ledger cannot take mail. */
    public static final int SINK_FAILS = 4;

    /** Checks at once: enough for a fleet's mailboxes to be checked in about the time of the slowest. */
    private static final int PARALLEL = 32;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final PrintStream err;

    public CheckCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs the check; returns 0 when everything will work, 3 or 4 when not, 2 on bad usage. */
    public int run(Optional<Path> propertiesFile, List<String> args) throws Exception {
        boolean json = false;
        for (String arg : args) {
            if (arg.equals("--json")) {
                json = true;
            } else {
                err.println("mailpipe check: unknown argument '" + arg + "'");
                err.println(USAGE);
                return 2;
            }
        }
        CheckPlan plan = MailpipeRunner.inspect(
                propertiesFile, context -> CheckPlan.of(context, MailpipeBeans.settings(context)));
        List<Finding> findings = check(plan);
        if (json) {
            printJson(findings);
        } else {
            printTable(findings);
        }
        if (findings.stream().anyMatch(f -> !f.ok() && f.isMailbox())) {
            return MAILBOX_FAILS;
        }
        return findings.stream().allMatch(Finding::ok) ? 0 : SINK_FAILS;
    }

    static List<Finding> check(CheckPlan plan) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL, runnable -> {
            Thread thread = new Thread(runnable, "mailpipe-check");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Callable<Finding>> mailboxes = new ArrayList<>();
            plan.mailboxes.forEach(probe -> mailboxes.add(probe::run));
            List<Finding> found = all(pool, mailboxes);
            List<Callable<Finding>> sinks = new ArrayList<>();
            plan.folders.forEach((folder, users) -> {
                long waiting = 0;
                for (int i = 0; i < plan.mailboxes.size(); i++) {
                    if (users.contains(plan.mailboxes.get(i))) {
                        waiting += bytesWaiting(found.get(i));
                    }
                }
                long bytes = waiting;
                sinks.add(() -> new FilesProbe(folder).run(bytes));
            });
            plan.kafka.ifPresent(kafka -> sinks.add(kafka::run));
            plan.imap.values().forEach(imap -> sinks.add(imap::run));
            sinks.add(plan.ledger::run);
            found.addAll(all(pool, sinks));
            return found;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Finding> all(ExecutorService pool, List<Callable<Finding>> checks) throws InterruptedException {
        List<Finding> findings = new ArrayList<>();
        for (Future<Finding> result : pool.invokeAll(checks)) {
            try {
                findings.add(result.get());
            } catch (java.util.concurrent.ExecutionException e) {
                findings.add(Finding.failed("mailpipe", "check", "the check itself failed: " + e.getCause()));
            }
        }
        return findings;
    }

    private static long bytesWaiting(Finding mailbox) {
        return mailbox.facts().get("bytesWaiting") instanceof Number bytes ? bytes.longValue() : 0;
    }

    private void printTable(List<Finding> findings) {
        String format = "%-8s %-4s %s%n         %s%n";
        for (Finding finding : findings) {
            out.printf(
                    Locale.ROOT,
                    format,
                    finding.part().toUpperCase(Locale.ROOT),
                    finding.ok() ? "ok" : "FAIL",
                    finding.subject(),
                    finding.detail());
        }
        long failed = findings.stream().filter(f -> !f.ok()).count();
        out.println(
                failed == 0
                        ? "Everything checked will work (" + findings.size() + " checks)."
                        : failed + " of " + findings.size() + " checks failed.");
    }

    private void printJson(List<Finding> findings) throws com.fasterxml.jackson.core.JsonProcessingException {
        ObjectNode body = JSON.createObjectNode();
        body.put("ok", findings.stream().allMatch(Finding::ok));
        ArrayNode checks = body.putArray("checks");
        for (Finding finding : findings) {
            ObjectNode check = checks.addObject();
            check.put("part", finding.part());
            check.put("subject", finding.subject());
            check.put("ok", finding.ok());
            check.put("detail", finding.detail());
            for (Map.Entry<String, Object> fact : finding.facts().entrySet()) {
                check.set(fact.getKey(), JSON.valueToTree(fact.getValue()));
            }
        }
        out.println(JSON.writeValueAsString(body));
    }
}
