package dev.mailpipe.ledger;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code java -jar mailpipe.jar ledger stats|list [STATE] [--limit N]|forget KEY|retry KEY}: inspect
 * and repair the delivery ledger. {@code forget} makes mailpipe deliver a message again if it is
 * still on the server (for example after its file was lost); {@code retry} lets a parked message
 * (one that broke every download) be tried again at the next poll.
 */
public final class LedgerCommand {

    public static final String USAGE =
            "Usage: java -jar mailpipe.jar ledger stats | list [SEEN|DELIVERED|DEAD_LETTERED|PARKED]"
                    + " [--mailbox MAILBOX] [--limit N] | forget KEY | retry KEY   (--properties FILE before or after)";

    private final Ledger ledger;
    private final PrintStream out;
    private final PrintStream err;

    public LedgerCommand(Ledger ledger, PrintStream out, PrintStream err) {
        this.ledger = ledger;
        this.out = out;
        this.err = err;
    }

    /** Runs one subcommand; returns 0 on success, 1 when a key is unknown, 2 on bad usage. */
    public int run(List<String> args) throws SQLException {
        if (args.isEmpty()) {
            return usage("missing subcommand");
        }
        return switch (args.get(0)) {
            case "stats" ->
                args.size() == 1 ? stats() : usage("stats takes no arguments, got " + args.subList(1, args.size()));
            case "list" -> list(args.subList(1, args.size()));
            case "forget" -> args.size() == 2 ? forget(args.get(1)) : usage("forget needs exactly one KEY");
            case "retry" -> args.size() == 2 ? retry(args.get(1)) : usage("retry needs exactly one KEY");
            default -> usage("unknown subcommand '" + args.get(0) + "'");
        };
    }

    private int stats() throws SQLException {
        Map<DeliveryState, Long> counts = ledger.stats();
        counts.forEach((state, count) -> out.println(state + "\t" + count));
        return 0;
    }

    private int list(List<String> args) throws SQLException {
        Optional<DeliveryState> state = Optional.empty();
        Optional<String> mailbox = Optional.empty();
        int limit = 100;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--mailbox") && i + 1 < args.size()) {
                mailbox = Optional.of(args.get(++i));
            } else if (arg.equals("--limit") && i + 1 < args.size()) {
                try {
                    limit = Integer.parseInt(args.get(++i));
                } catch (NumberFormatException e) {
                    return usage("--limit needs a number");
                }
            } else {
                try {
                    state = Optional.of(DeliveryState.valueOf(arg.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    return usage("unknown state '" + arg + "'");
                }
            }
        }
        out.println("key\tmailbox\tstate\tattempts\tuidl\tmessageId\tupdated\tdeletedAt\tlastError");
        for (LedgerEntry entry : ledger.list(state, mailbox, limit)) {
            out.println(String.join(
                    "\t",
                    entry.key(),
                    entry.mailbox(),
                    entry.state().name(),
                    Integer.toString(entry.attempts()),
                    entry.uidl(),
                    entry.messageId().orElse("-"),
                    entry.updated().toString(),
                    entry.deletedAt().map(Object::toString).orElse("-"),
                    entry.lastError().map(e -> e.replaceAll("\\s+", " ")).orElse("-")));
        }
        return 0;
    }

    private int forget(String key) throws SQLException {
        if (ledger.forget(key)) {
            out.println("Forgot " + key + "; it is delivered again if it is still on the server.");
            return 0;
        }
        err.println("No ledger entry " + key);
        return 1;
    }

    private int retry(String key) throws SQLException {
        if (ledger.retry(key)) {
            out.println("Unparked " + key + "; it is tried again at the next poll.");
            return 0;
        }
        err.println("No parked ledger entry " + key);
        return 1;
    }

    private int usage(String problem) {
        err.println("mailpipe ledger: " + problem);
        err.println(USAGE);
        return 2;
    }
}
