package dev.mailpipe.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailpipe.ledger.Ledger;
import dev.mailpipe.ledger.MailboxSummary;
import dev.mailpipe.ledger.PollRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code java -jar mailpipe.jar status [--json]}: one line per mailbox from the ledger (last poll,
 * failed polls in a row, delivered, waiting, dead-lettered, at risk, last delivery, last error):
 * every mailbox a run declared, also one that cannot be polled or never delivered anything; and, when {@code management.port} is
 * set and a mailpipe answers there, whether the mailbox is ready and why not.
 */
public final class StatusCommand {

    public static final String USAGE =
            "Usage: java -jar mailpipe.jar status [--json]   (--properties FILE before or after)";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHECK_PREFIX = "mailbox:";

    private final Ledger ledger;
    private final ManagementSettings management;
    private final PrintStream out;
    private final PrintStream err;

    public StatusCommand(Ledger ledger, ManagementSettings management, PrintStream out, PrintStream err) {
        this.ledger = ledger;
        this.management = management;
        this.out = out;
        this.err = err;
    }

    /** Prints the status; 0 on success, 2 on bad usage. */
    public int run(List<String> args) throws SQLException {
        boolean json = false;
        for (String arg : args) {
            if (arg.equals("--json")) {
                json = true;
            } else {
                err.println("mailpipe status: unknown argument '" + arg + "'");
                err.println(USAGE);
                return 2;
            }
        }
        Map<String, Row> rows = new TreeMap<>();
        for (MailboxSummary summary : ledger.summaries()) {
            rows.put(summary.mailbox(), new Row(summary));
        }
        // Every mailbox a run declared, also one that never delivered anything, with how its polls end.
        ledger.polls()
                .forEach((mailbox, polls) -> rows.computeIfAbsent(mailbox, StatusCommand::emptyRow).polls = polls);
        Optional<JsonNode> ready = readiness();
        ready.ifPresent(body -> body.path("checks").forEach(check -> {
            String name = check.path("name").asText();
            if (name.startsWith(CHECK_PREFIX)) {
                Row row = rows.computeIfAbsent(name.substring(CHECK_PREFIX.length()), StatusCommand::emptyRow);
                row.ready = check.path("status").asText();
                row.reason = check.hasNonNull("reason") ? check.get("reason").asText() : null;
            }
        }));
        if (json) {
            printJson(rows, ready.isPresent());
        } else {
            printTable(rows, ready.isPresent());
        }
        return 0;
    }

    private static Row emptyRow(String mailbox) {
        return new Row(
                new MailboxSummary(mailbox, 0, 0, 0, 0, 0, Optional.empty(), Optional.empty(), Optional.empty()));
    }

    /** The running instance's readiness, when management.port is set and something answers there. */
    private Optional<JsonNode> readiness() {
        if (!management.enabled()) {
            return Optional.empty();
        }
        URI uri = URI.create("http://" + hostForUrl() + ":" + management.port() + "/observe/health/ready");
        try {
            HttpResponse<String> response = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .build()
                    .send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return Optional.of(JSON.readTree(response.body()));
        } catch (IOException e) {
            err.println("mailpipe status: no management endpoint answers at " + uri + " (" + e + "); ledger only");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private String hostForUrl() {
        String host = management.host().equals("0.0.0.0") ? "127.0.0.1" : management.host();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private void printTable(Map<String, Row> rows, boolean live) {
        if (rows.isEmpty()) {
            out.println("No mailbox in the ledger yet: it learns of the mailboxes when mailpipe runs.");
            return;
        }
        String format = "%-40s %-20s %5s %10s %8s %14s %8s %7s  %-20s" + (live ? "  %-5s" : "%s") + "  %s%n";
        out.printf(
                Locale.ROOT,
                format,
                "MAILBOX",
                "LAST POLL",
                "FAILS",
                "DELIVERED",
                "WAITING",
                "DEAD-LETTERED",
                "AT RISK",
                "PARKED",
                "LAST DELIVERY",
                live ? "READY" : "",
                "LAST ERROR");
        rows.values()
                .forEach(row -> out.printf(
                        Locale.ROOT,
                        format,
                        row.summary.mailbox(),
                        row.polls.lastPoll().map(StatusCommand::time).orElse("never"),
                        count(row.polls.failuresInRow()),
                        count(row.summary.delivered()),
                        count(row.summary.waiting()),
                        count(row.summary.deadLettered()),
                        count(row.summary.atRisk()),
                        count(row.summary.parked()),
                        row.summary.lastDelivery().map(StatusCommand::time).orElse("-"),
                        live ? Optional.ofNullable(row.ready).orElse("-") : "",
                        row.problem()));
    }

    private void printJson(Map<String, Row> rows, boolean live) {
        ObjectNode body = JSON.createObjectNode();
        body.put("managementEndpoint", live);
        ArrayNode mailboxes = body.putArray("mailboxes");
        rows.values().forEach(row -> {
            ObjectNode node = mailboxes.addObject();
            MailboxSummary summary = row.summary;
            node.put("mailbox", summary.mailbox());
            PollRecord polls = row.polls;
            node.put("lastPoll", polls.lastPoll().map(Instant::toString).orElse(null));
            node.put(
                    "lastSuccessfulPoll",
                    polls.lastSuccess().map(Instant::toString).orElse(null));
            node.put("failedPollsInARow", polls.failuresInRow());
            node.put("lastPollError", polls.lastError().orElse(null));
            node.put(
                    "lastPollErrorAt",
                    polls.lastErrorAt().map(Instant::toString).orElse(null));
            node.put("delivered", summary.delivered());
            node.put("waiting", summary.waiting());
            node.put("deadLettered", summary.deadLettered());
            node.put("atRisk", summary.atRisk());
            node.put("parked", summary.parked());
            node.put(
                    "lastDelivery",
                    summary.lastDelivery().map(Instant::toString).orElse(null));
            node.put("lastError", summary.lastError().orElse(null));
            node.put("lastErrorAt", summary.lastErrorAt().map(Instant::toString).orElse(null));
            node.put("ready", row.ready);
            node.put("notReadyReason", row.reason);
        });
        try {
            out.println(JSON.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the status as JSON", e);
        }
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String time(Instant at) {
        return at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    /** A mailbox's line: the ledger's summary and, from a running instance, its readiness. */
    private static final class Row {
        final MailboxSummary summary;
        PollRecord polls = PollRecord.NEVER;
        String ready;
        String reason;

        Row(MailboxSummary summary) {
            this.summary = summary;
        }

        /**
         * Why its polls fail, else why the mailbox is not ready, else its last message error, with
         * its time; else "-".
         */
        String problem() {
            if (polls.failing()) {
                return polls.failuresInRow() + " poll(s) failed in a row: "
                        + polls.lastError().orElse("?").replaceAll("\\s+", " ") + " ("
                        + polls.lastErrorAt().map(StatusCommand::time).orElse("?") + ")";
            }
            if (reason != null) {
                return reason;
            }
            return summary.lastError()
                    .map(error -> error.replaceAll("\\s+", " ") + " ("
                            + summary.lastErrorAt().map(StatusCommand::time).orElse("?") + ")")
                    .orElse("-");
        }
    }
}
