package dev.mailpipe.ops;

import dev.mailpipe.mailbox.MailboxCounters;
import dev.mailpipe.mailbox.MailboxStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one mailbox, read from its {@link MailboxStatus} when scraped; every meter has the
 * label {@code mailbox} (the mailbox id, {@code pop3s://user@host:port}, no secret). The names and
 * their meaning are listed in docs/operations.md.
 */
public final class MailboxMetrics implements MeterBinder {

    /** Causes of failed attempts: a message's own, or the part that was out (see MailboxStatus). */
    static final List<String> FAILURE_CAUSES =
            List.of(MailboxCounters.MESSAGE, "files", "kafka", "imap", "ledger", "mailbox", "mailpipe");
    /** Parts whose outage is timed: the causes other than the message's own. */
    static final List<String> SINKS = FAILURE_CAUSES.subList(1, FAILURE_CAUSES.size());

    private static final String MAILBOX = "mailbox";

    private final MailboxStatus status;
    private final MailboxReadiness readiness;
    private final String mailbox;

    public MailboxMetrics(MailboxStatus status, MailboxReadiness readiness) {
        this.status = status;
        this.readiness = readiness;
        this.mailbox = status.mailbox().toString();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        MailboxCounters counters = status.counters();
        counter(
                registry,
                "mailpipe.messages.delivered",
                "Messages every sink has, recorded delivered",
                c -> c.delivered());
        counter(registry, "mailpipe.messages.deleted", "Messages deleted from the server", c -> c.deleted());
        counter(
                registry,
                "mailpipe.messages.dead.lettered",
                "Messages dead-lettered after mailbox.maxAttempts",
                c -> c.deadLettered());
        counter(registry, "mailpipe.bytes.downloaded", "Bytes of messages downloaded", c -> c.bytesDownloaded());
        counters(
                registry,
                "mailpipe.messages.skipped",
                "Messages not delivered by this instance, by reason",
                "reason",
                List.of(
                        MailboxCounters.DELIVERED_BEFORE,
                        MailboxCounters.CLAIMED_ELSEWHERE,
                        MailboxCounters.PARKED,
                        MailboxCounters.KEPT_BY_SERVER),
                MailboxCounters::skipped);
        counters(
                registry,
                "mailpipe.message.failures",
                "Failed delivery attempts, by cause: the message's own, or the part that was out",
                "cause",
                FAILURE_CAUSES,
                MailboxCounters::failures);
        for (String sink : SINKS) {
            Gauge.builder(
                            "mailpipe.sink.outage",
                            status,
                            s -> s.outages()
                                    .sink()
                                    .filter(sink::equals)
                                    .map(out -> s.outages().duration().toMillis() / 1000.0)
                                    .orElse(0.0))
                    .description("How long the current outage of this part has lasted; 0 when it works")
                    .baseUnit("seconds")
                    .tags(MAILBOX, mailbox, "sink", sink)
                    .register(registry);
        }
        Gauge.builder("mailpipe.at.risk", counters, MailboxCounters::atRisk)
                .description("Messages delivered and not yet deleted from the server")
                .tags(MAILBOX, mailbox)
                .register(registry);
        Gauge.builder("mailpipe.messages.parked", status, s -> s.problems().parkedCount())
                .description(
                        "Parked messages (they broke every download) seen at the last poll; they stay on the server")
                .tags(MAILBOX, mailbox)
                .register(registry);
        Gauge.builder(
                        "mailpipe.messages.kept.by.server",
                        status,
                        s -> s.problems().keptCount())
                .description(
                        "Delivered messages the server keeps although it accepted their DELE, seen at the last poll")
                .tags(MAILBOX, mailbox)
                .register(registry);
        Gauge.builder("mailpipe.mailbox.messages", counters, MailboxCounters::onServer)
                .description("Messages on the server at the last poll")
                .tags(MAILBOX, mailbox)
                .register(registry);
        // Before the first poll that works, the time this instance began polling the mailbox: the
        // alert time() - mailpipe_last_successful_poll_seconds > 900 then fires for a mailbox that has
        // not worked for 15 minutes, not for every mailbox before its first poll. A mailbox another
        // instance polls has no value here (NaN), and no alert.
        Gauge.builder("mailpipe.last.successful.poll", status, MailboxMetrics::lastSuccessfulPoll)
                .description("When the last poll ended without an error (Unix time); before the first, when this"
                        + " instance began polling the mailbox; NaN while another instance polls it")
                .baseUnit("seconds")
                .tags(MAILBOX, mailbox)
                .register(registry);
        Gauge.builder("mailpipe.mailbox.ready", readiness, MailboxMetrics::ready)
                .description("1 when the mailbox is ready (its readiness check is UP), else 0")
                .tags(MAILBOX, mailbox)
                .register(registry);
        // Counted as they happen, by the diagnosis's cause (login, tls-mismatch, certificate, ...).
        status.polls()
                .onPollEnded(outcome -> outcome.ifPresent(diagnosis -> registry.counter(
                                "mailpipe.poll.failures", MAILBOX, mailbox, "cause", diagnosis.cause())
                        .increment()));
        FunctionTimer.builder(
                        "mailpipe.poll.duration",
                        status,
                        s -> s.polls().pollsEnded(),
                        s -> s.polls().pollTime().toNanos(),
                        TimeUnit.NANOSECONDS)
                .description("Time spent in polls (a POP3 session: login, listing, its batch)")
                .tags(MAILBOX, mailbox)
                .register(registry);
    }

    static double lastSuccessfulPoll(MailboxStatus status) {
        if (!status.polledHere()) {
            return Double.NaN;
        }
        return status.polls()
                .lastSuccessfulPoll()
                .or(status::pollingSince)
                .map(at -> at.toEpochMilli() / 1000.0)
                .orElse(Double.NaN);
    }

    private static double ready(MailboxReadiness readiness) {
        return readiness.call().getState() == org.apache.camel.health.HealthCheck.State.UP ? 1 : 0;
    }

    /** One counter per value of {@code label}, read from a map of counts by that value. */
    private void counters(
            MeterRegistry registry,
            String name,
            String description,
            String label,
            List<String> values,
            java.util.function.Function<MailboxCounters, java.util.Map<String, Long>> counts) {
        for (String value : values) {
            counter(registry, name, description, c -> counts.apply(c).getOrDefault(value, 0L), label, value);
        }
    }

    private void counter(
            MeterRegistry registry,
            String name,
            String description,
            ToDoubleFunction<MailboxCounters> count,
            String... tags) {
        FunctionCounter.builder(name, status.counters(), count)
                .description(description)
                .tags(MAILBOX, mailbox)
                .tags(tags)
                .register(registry);
    }
}
