package dev.mailpipe.mailbox;

import dev.mailpipe.common.MailpipeHeaders;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.mail.JavaMailSender;
import org.apache.camel.component.mail.MailConsumer;
import org.apache.camel.component.mail.MailMessage;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.util.KeyValueHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-mail's POP3 consumer with the changes mailpipe's guarantees and speed need:
 *
 * <ul>
 *   <li>the mail's headers are never copied into the exchange (see {@link #createExchange});
 *   <li>a completed message is deleted only if the ledger has settled it (recorded it delivered or
 *       dead-lettered) under the key its claim bound it to, whatever the route did: a route that
 *       drops a message, swallows a sink's failure or leaves out the ledger's step deletes nothing
 *       (camel-mail deletes whatever completes, and re-finds it by rescanning the whole folder with
 *       a NOOP per commit, which is quadratic in the batch);
 *   <li>a message whose download broke the connection is fetched after the batch's other messages;
 *   <li>the batch's POP3 session is closed here, right after the batch, so a failed DELE is seen:
 *       it is logged at WARN (camel-mail logs it at DEBUG), and sent deletions are reported to the
 *       {@link DeletionListener};
 *   <li>a failed message is left on the server without camel-mail's stack trace: the route's error
 *       handling has already said what failed, and a message another instance holds is left alone;
 *   <li>messages are handed to the route asynchronously (see {@link #processExchange}), so parsing
 *       and the sinks of one message overlap the download of the next;
 *   <li>RETR and the batch's DELEs go through the session's {@link Pop3Connection}: block copies, and
 *       with PIPELINING the next messages' RETRs and all the DELEs are sent without waiting for
 *       replies.
 * </ul>
 */
public final class Pop3Consumer extends MailConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(Pop3Consumer.class);

    /** How long a stop waits for a poll under way to end its session. */
    private static final Duration SESSION_END_WAIT = Duration.ofSeconds(30);

    private final DeletionListener deletions;
    private final long batchByteLimit;
    /**
     * How far downloads may run ahead of the sinks: enough to keep every sink thread busy, few
     * enough that an outage the sinks meet stops the download early and a slow sink keeps the heap
     * small.
     */
    private final int maxInFlight;
    /** The current batch's folder: completions of an earlier, abandoned session must not flag into this one. */
    private volatile Folder session;
    /** Whether the last batch's deletions were held back because the ledger could not make them durable. */
    private boolean deletionsWithheld;

    private final List<Flagged> flaggedForDeletion = Collections.synchronizedList(new ArrayList<>());
    /** A key no ledger entry has: a completed message that no claim bound is never settled. */
    private static final String NOT_CLAIMED = "";
    /** Whether the log has said that completed messages were not settled (this consumer's thread only). */
    private boolean unsettledLogged;

    private final Object inFlightLock = new Object();
    /** This mailbox's poll is running (on whichever poll thread). */
    private final AtomicBoolean running = new AtomicBoolean();
    /** The poll under way ended its greedy draining because other mailboxes were waiting. */
    private volatile boolean yielded;
    /** Messages handed to the route and not yet completed, at most {@link #maxInFlight}. */
    private int inFlight;
    /** Messages handed to the route in the current batch (this consumer's thread only). */
    private int handedOver;
    /** Whether the current batch ended because a sink is out (this consumer's thread only). */
    private boolean endedByOutage;
    /**
     * The current batch's connection for RETR and DELE, when Angus's is reachable; set and used by
     * this consumer's thread, read by the sink threads to open its RETR window.
     */
    private volatile Pop3Connection connection;
    /** Bytes downloaded in the current batch (this consumer's thread only). */
    private long batchBytes;

    private final MailboxEndpoint endpoint;
    private final MailboxStatus status;
    /** The mailbox's counts, its {@link MailboxStatus}'s. */
    private final MailboxCounters counters;
    /** Batch summaries and progress lines (this consumer's thread only). */
    private DrainProgress progress;
    /** Whether the current poll found messages on the server (this consumer's thread only). */
    private boolean batchThisPoll;

    Pop3Consumer(
            MailboxEndpoint endpoint,
            Processor processor,
            JavaMailSender sender,
            DeletionListener deletions,
            int maxInFlight) {
        super(endpoint, processor, sender);
        this.endpoint = endpoint;
        this.status = endpoint.status();
        this.counters = status.counters();
        this.deletions = deletions;
        this.batchByteLimit = endpoint.mailbox().batchBytes();
        this.maxInFlight = maxInFlight;
    }

    /**
     * Fair polling: greedy draining (the next batch at once) goes on only while no other mailbox's
     * poll waits for a thread; otherwise this poll ends after its batch and {@link #run} queues the
     * mailbox again behind the waiting ones.
     */
    @Override
    public boolean isGreedy() {
        if (!super.isGreedy()) {
            return false;
        }
        if (endpoint.getComponent().pollsWaiting()) {
            yielded = true;
            return false;
        }
        return true;
    }

    /**
     * One poll at a time per mailbox: the scheduled run and a run queued again after yielding never
     * overlap (two would be two sessions of one maildrop); the later one finds this one busy and
     * leaves it to go on.
     */
    @Override
    public void run() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        boolean again;
        try {
            yielded = false;
            super.run();
            again = yielded && isRunAllowed() && !isSuspended();
        } finally {
            running.set(false);
        }
        if (again) {
            endpoint.getComponent().pollAgain(this);
        }
    }

    @Override
    protected void doStart() throws Exception {
        setInitialDelay(endpoint.getComponent().firstPollDelay(endpoint));
        super.doStart();
        progress = new DrainProgress(status.mailbox(), counters, System::nanoTime);
        status.consumerStarted();
    }

    /**
     * Stops polling and waits for a poll under way to end its session (it takes no further message
     * once stopping), so that when a route stops, for example because another instance takes the
     * mailbox over, this instance is logged out before the other logs in.
     */
    @Override
    protected void doStop() throws Exception {
        // First: camel-mail's stop closes an open folder with expunge, which would send the DELEs of
        // messages whose ledger records are not yet durable. Stopping, the poll takes no further
        // message and ends its own session (see processBatch).
        try {
            if (!status.polls().awaitNoPoll(SESSION_END_WAIT)) {
                LOG.warn(
                        "Mailbox {}: its poll did not end within {} s of the stop; its session is closed"
                                + " without deletions",
                        mailbox(),
                        SESSION_END_WAIT.toSeconds());
                Folder open = session;
                if (open != null && open.isOpen()) {
                    open.close(false);
                }
            }
        } finally {
            status.consumerStopped();
            super.doStop();
        }
    }

    /** camel-mail calls {@link #processBatch} only when the server has messages: otherwise it has none. */
    @Override
    protected int poll() throws Exception {
        batchThisPoll = false;
        int polled = pollSignedIn();
        if (!batchThisPoll) {
            counters.setOnServer(0);
        }
        return polled;
    }

    /**
     * With XOAUTH2, obtains a fresh access token before the sign-in, and when the server refuses it
     * (revoked, or expired early), renews it and signs in once more; a second refusal fails the poll.
     */
    private int pollSignedIn() throws Exception {
        if (!(getEndpoint().getConfiguration().getAuthenticator() instanceof MailboxCredentials credentials)
                || !credentials.usesTokens()) {
            return super.poll();
        }
        credentials.prepareLogin();
        try {
            return super.poll();
        } catch (AuthenticationFailedException e) {
            if (MailboxFailure.isMailboxInUse(e)
                    || MailboxFailure.isMissingGreeting(e)
                    || !credentials.renewAfterRejection()) {
                throw e;
            }
            // Once per failing spell: a token refused poll after poll is reported by the poll's failure.
            if (status.polls().failedPollsInARow() == 0) {
                LOG.info("Mailbox {}: the server refused the access token; signing in again with a new one", mailbox());
            } else {
                LOG.debug(
                        "Mailbox {}: the server refused the access token again; signing in with a new one", mailbox());
            }
            return super.poll();
        }
    }

    @Override
    public int processBatch(Queue<Object> exchanges) throws Exception {
        Folder folder = exchanges.isEmpty() ? null : folderOf((Exchange) exchanges.peek());
        int taken = exchanges.size();
        // Without a message to take (all held back for a retry), the folder is camel-mail's private
        // field: the last count stands.
        int onServer = folder == null ? taken : folder.getMessageCount();
        batchThisPoll = true;
        if (folder != null) {
            counters.setOnServer(onServer);
        }
        if (taken > 0) {
            progress.batchStarted(onServer);
        }
        flaggedForDeletion.clear();
        if (taken > 0) {
            status.problems().batchStarted();
        }
        brokenDownloadsAlone(exchanges);
        batchBytes = 0;
        handedOver = 0;
        endedByOutage = false;
        deletionsWithheld = false;
        session = folder;
        connection = folder == null ? null : Pop3Connection.of(folder).orElse(null);
        if (connection != null) {
            connection.plan(messageNumbers(exchanges));
            connection.onBlock(this::activity);
        }
        int total = 0;
        try {
            total = super.processBatch(exchanges);
        } finally {
            // Whatever ended the batch (an exception, a shutdown's interrupt), the session ends here:
            // otherwise camel-mail closes the folder with expunge, which would send DELEs whose ledger
            // records are not yet durable.
            boolean allDone = awaitInFlight();
            settleConnection();
            if (folder != null) {
                endSession(folder, allDone);
            }
            connection = null;
            session = null;
            // No greedy follow-up poll during an outage, or while deletions wait for the ledger, or
            // when this batch handed over every message the server listed (a second login would
            // find the mailbox empty): the next poll waits for pollDelay.
            if (endedByOutage || inOutage() || deletionsWithheld || handedOver >= onServer) {
                total = 0;
            }
            progress.batchEnded(total > 0 && onServer > taken);
            status.problems().batchEnded();
        }
        return total;
    }

    /**
     * Leaves messages whose download broke the connection earlier in this run out of a batch that
     * has other messages to download: their next break then costs no other message's deletion, and
     * they are tried in a session of their own once the others are gone.
     */
    private void brokenDownloadsAlone(Queue<Object> exchanges) {
        boolean others =
                exchanges.stream().anyMatch(exchange -> !status.problems().brokeBefore(uidlOf(exchange)));
        if (others) {
            exchanges.removeIf(exchange -> status.problems().brokeBefore(uidlOf(exchange)));
        }
    }

    private static String uidlOf(Object exchange) {
        return ((Exchange) exchange).getMessage().getHeader(MailpipeHeaders.UIDL, String.class);
    }

    /** The batch's messages whose RETR may be sent ahead: not those that broke a download or are parked. */
    private List<Integer> messageNumbers(Queue<Object> exchanges) {
        List<Integer> numbers = new ArrayList<>(exchanges.size());
        for (Object exchange : exchanges) {
            MailMessage message = ((Exchange) exchange).getIn(MailMessage.class);
            if (message != null
                    && message.getOriginalMessage() != null
                    && !status.problems().notToSendAhead(uidlOf(exchange))) {
                numbers.add(message.getOriginalMessage().getMessageNumber());
            }
        }
        return numbers;
    }

    /** Reads off a reply to a RETR sent ahead for a message the batch did not get to; Angus's commands come next. */
    private void settleConnection() {
        if (connection == null) {
            return;
        }
        try {
            connection.settle();
        } catch (IOException e) {
            // The connection is closed; ending the session reports the lost connection.
            LOG.debug("Mailbox {}: connection lost while reading a reply sent ahead: {}", mailbox(), e.toString());
        }
    }

    /**
     * Hands the message to the route without waiting for it to finish: the route's first steps
     * (claim, download) run here, on the thread that owns the POP3 session, and the rest runs on the
     * route's {@code threads} step while this thread downloads the next message. Completion still
     * flags the message (see {@link #processCommit}), and the batch's QUIT waits for all of them.
     */
    @Override
    protected void processExchange(Exchange exchange) {
        synchronized (inFlightLock) {
            // Downloads run ahead of the sinks by a few messages only (see maxInFlight).
            while (inFlight >= maxInFlight) {
                try {
                    inFlightLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            inFlight++;
        }
        handedOver++;
        activity();
        if (connection != null) {
            exchange.setProperty(MailpipeHeaders.POP3_CONNECTION, connection);
        }
        getAsyncProcessor().process(exchange, doneSync -> {
            activity();
            synchronized (inFlightLock) {
                inFlight--;
                inFlightLock.notifyAll();
            }
        });
        // Set by the download step, which has run on this thread by now.
        long downloaded = exchange.getProperty(MailpipeHeaders.DOWNLOADED_BYTES, 0L, Long.class);
        if (exchange.getProperty(MailpipeHeaders.RAW_DOWNLOAD) != null) {
            status.problems().downloaded(exchange.getMessage().getHeader(MailpipeHeaders.UIDL, String.class));
        }
        batchBytes += downloaded;
        counters.countDownloaded(downloaded);
        progress.tick();
    }

    /**
     * A batch also ends once it has downloaded {@code mailbox.batchBytes}, so a mailbox of large
     * messages still has its deletions committed regularly; greedy polling starts the next batch at
     * once. During a sink outage a batch is a probe: one message, and the next only once that one
     * was delivered, so an outage costs a download per {@code mailbox.pollDelay}, not the mailbox.
     */
    @Override
    public boolean isBatchAllowed() {
        if (!super.isBatchAllowed() || batchBytes >= batchByteLimit) {
            return false;
        }
        Pop3Connection current = connection;
        if (current != null && current.isClosed()) {
            // The connection broke: this session can download nothing more.
            return false;
        }
        if (handedOver > 0 && inOutage()) {
            // Whether the messages in flight ended the outage decides whether to go on.
            if (!awaitInFlight() || inOutage()) {
                endedByOutage = true;
                return false;
            }
        }
        return true;
    }

    private boolean inOutage() {
        return status.outages().active();
    }

    private void activity() {
        status.polls().activity();
    }

    /** Waits until every message handed to the route has completed; false when interrupted (shutdown). */
    private boolean awaitInFlight() {
        synchronized (inFlightLock) {
            while (inFlight > 0) {
                try {
                    inFlightLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Sends the DELEs of the batch's settled messages and the QUIT that makes the server apply them.
     * A message is deleted only if the ledger has it delivered or dead-lettered under the key its
     * claim bound it to, and only after those records are durable; the deletion flags are set here,
     * just before the QUIT, so no close of the folder can expunge anything else. Angus Mail ignores a
     * failed QUIT, so a deletion the server did not apply shows up when the message is seen again,
     * which the claim handles; a failed DELE or a connection already lost is reported here.
     */
    private void endSession(Folder folder, boolean allDone) {
        List<Flagged> completed;
        synchronized (flaggedForDeletion) {
            completed = flaggedForDeletion.stream()
                    .filter(entry -> entry.message().getFolder() == folder)
                    .toList();
            flaggedForDeletion.clear();
        }
        List<Flagged> flagged = completed;
        List<String> deleted = List.of();
        try {
            if (!folder.isOpen()) {
                throw new MessagingException("connection lost during the batch");
            }
            if (!allDone) {
                LOG.info(
                        "Mailbox {}: stopping before the batch's messages completed; its {} deletion(s) wait for the"
                                + " next run, and nothing is delivered twice",
                        mailbox(),
                        completed.size());
                folder.close(false);
                return;
            }
            if (!deliveriesDurable(completed.size())) {
                deletionsWithheld = true;
                folder.close(false);
                return;
            }
            flagged = settled(completed);
            deleted = flagged.stream().map(Flagged::key).toList();
            // Without the fast path Angus sends the QUIT and ignores its answer: not counted as
            // acknowledged, so such a server is never taken for one that keeps messages.
            boolean quitAcknowledged = false;
            if (connection != null && !flagged.isEmpty()) {
                deleted = sendDeletions(connection, flagged);
                quitAcknowledged = connection.quit();
                folder.close(false);
            } else {
                for (Flagged entry : flagged) {
                    entry.message().setFlag(Flags.Flag.DELETED, true);
                }
                folder.close(!flagged.isEmpty());
            }
            counters.setAtRisk(flagged.size() - deleted.size());
            if (!deleted.isEmpty()) {
                counters.countDeleted(deleted.size());
                deletions.deletionsSent(deleted, quitAcknowledged);
                status.progress();
            }
        } catch (MessagingException | IOException | IllegalStateException e) {
            if (flagged.isEmpty()) {
                LOG.debug("Mailbox {}: session ended without a QUIT ({})", mailbox(), e.toString());
                return;
            }
            LOG.warn(
                    "Mailbox {}: could not delete {} delivered message(s) ({}). They stay on the server and will be"
                            + " deleted at a later poll without being delivered again.",
                    mailbox(),
                    flagged.size(),
                    e.getMessage());
            LOG.debug("DELE/QUIT failure", e);
        }
    }

    /**
     * The completed messages the ledger has settled. The others completed the route without a
     * delivery record (an edited route: a filter, a {@code doCatch} that swallowed a sink's failure,
     * no {@code mark-delivered} step): they stay on the server, held back until the next regular
     * poll, and the log says so once per run of such polls. If the ledger cannot answer, nothing is
     * deleted in this session.
     */
    private List<Flagged> settled(List<Flagged> completed) {
        Set<String> settled;
        try {
            settled = deletions.settled(completed.stream().map(Flagged::key).toList());
        } catch (Exception e) {
            deletionsWithheld = true;
            LOG.warn(
                    "Mailbox {}: the ledger could not say which of this batch's messages are delivered ({}); its {}"
                            + " deletion(s) wait for a later poll, and nothing is delivered twice.",
                    mailbox(),
                    e.getMessage(),
                    completed.size());
            return List.of();
        }
        List<Flagged> unsettled = completed.stream()
                .filter(entry -> !settled.contains(entry.key()))
                .toList();
        if (!unsettled.isEmpty()) {
            IdempotentRepository repository = getEndpoint().getIdempotentRepository();
            unsettled.forEach(entry -> {
                if (repository != null) {
                    repository.remove(entry.uid());
                }
            });
            if (!unsettledLogged) {
                unsettledLogged = true;
                LOG.warn(
                        "Mailbox {}: {} message(s) completed the route without being recorded delivered or"
                                + " dead-lettered in the ledger (does the route drop them with a filter, swallow a"
                                + " sink's failure, or leave out the mark-delivered step?); they stay on the server",
                        mailbox(),
                        unsettled.size());
            } else {
                LOG.debug(
                        "Mailbox {}: {} completed message(s) not settled; left on the server",
                        mailbox(),
                        unsettled.size());
            }
        } else {
            unsettledLogged = false;
        }
        return completed.stream().filter(entry -> settled.contains(entry.key())).toList();
    }

    /** Sends the batch's DELEs (in one write when the server pipelines) and returns the UIDLs the server accepted. */
    private List<String> sendDeletions(Pop3Connection connection, List<Flagged> flagged) throws IOException {
        List<Integer> refused =
                connection.delete(flagged.stream().map(Flagged::number).toList());
        if (!refused.isEmpty()) {
            LOG.warn(
                    "Mailbox {}: the server refused to delete {} delivered message(s); they stay on the server and"
                            + " will be deleted at a later poll without being delivered again.",
                    mailbox(),
                    refused.size());
        }
        return flagged.stream()
                .filter(entry -> !refused.contains(entry.number()))
                .map(Flagged::key)
                .toList();
    }

    /** Whether the records the batch's deletions rely on are on disk; if not, the DELEs wait for a later session. */
    private boolean deliveriesDurable(int deletions) {
        try {
            this.deletions.beforeDeletions();
            return true;
        } catch (Exception e) {
            LOG.warn(
                    "Mailbox {}: the ledger could not make this batch's delivery records durable ({}); its {}"
                            + " deletion(s) wait for a later poll, and nothing is delivered twice.",
                    mailbox(),
                    e.getMessage(),
                    deletions);
            return false;
        }
    }

    /**
     * Without camel-mail's binding on the exchange, the first header access does not read the mail's
     * headers from the server: that would cost a TOP (or, on servers without TOP, a whole RETR held in
     * memory) per message, and fail once the connection is gone. mailpipe's steps read the message
     * only through {@code writeTo}.
     */
    @Override
    protected Exchange createExchange(KeyValueHolder<String, Message> holder) throws MessagingException {
        Exchange exchange = super.createExchange(holder);
        if (exchange != null) {
            exchange.removeProperty(Exchange.BINDING);
            identify(exchange);
        }
        return exchange;
    }

    /**
     * Stamps the exchange with its mailbox, the message's UIDL and the key derived from both, so every
     * step after the consumer names the message the same way and serves any mailbox.
     */
    private void identify(Exchange exchange) {
        // camel-mail keeps the id UidlKeys generated under this property until the commit.
        String uidl = exchange.getProperty(MAIL_MESSAGE_UID, String.class);
        MailboxId mailbox = status.mailbox();
        exchange.setProperty(MailpipeHeaders.MAILBOX_STATUS, status);
        exchange.getMessage().setHeader(MailpipeHeaders.MAILBOX, mailbox.toString());
        exchange.getMessage().setHeader(MailpipeHeaders.UIDL, uidl);
        ListedMessage listed = ((UidlKeys) getEndpoint().getMailUidGenerator())
                .listed(exchange.getIn(MailMessage.class).getOriginalMessage(), uidl);
        exchange.setProperty(MailpipeHeaders.LISTED_MESSAGE, listed);
        // The first generation's key until the claim binds the message to its own (see ListedMessage).
        exchange.getMessage().setHeader(MailpipeHeaders.KEY, listed.keyOf(0));
    }

    @Override
    protected void processCommit(Message mail, Exchange exchange) {
        String uid = (String) exchange.removeProperty(MAIL_MESSAGE_UID);
        IdempotentRepository repository = getEndpoint().getIdempotentRepository();
        if (exchange.getProperty(MailpipeHeaders.LEAVE_ON_SERVER, false, Boolean.class)) {
            counters.countSkipped(exchange.getProperty(
                    MailpipeHeaders.LEAVE_REASON, MailboxCounters.CLAIMED_ELSEWHERE, String.class));
            if (repository != null) {
                repository.remove(uid);
            }
            return;
        }
        countOutcome(exchange);
        try {
            if (getEndpoint().getConfiguration().isDelete()) {
                if (mail.getFolder() != session) {
                    // Its session ended before it completed (a stop): a later session deletes it.
                    throw new IllegalStateException("the message's session has ended");
                }
                // Deleted at the session's end if the ledger has settled the key its claim bound;
                // without a claim (an edited route) it has none and stays on the server.
                String key = ListedMessage.of(exchange)
                        .flatMap(ListedMessage::boundKey)
                        .orElse(NOT_CLAIMED);
                flaggedForDeletion.add(new Flagged(uid, key, mail));
                counters.setAtRisk(flaggedForDeletion.size());
            }
            Pop3Connection current = connection;
            if (current != null) {
                current.delivered();
            }
            if (repository != null) {
                repository.confirm(uid);
            }
        } catch (IllegalStateException e) {
            // The session is gone (the connection dropped earlier in this batch): the message stays on
            // the server, and the ledger has it as delivered, so a later session deletes it without
            // delivering it again.
            LOG.debug("Message {} could not be flagged for deletion in this session: {}", uid, e.toString());
        }
    }

    private void countOutcome(Exchange exchange) {
        if (exchange.getProperty(MailpipeHeaders.DELIVERED_BEFORE, false, Boolean.class)) {
            counters.countSkipped(MailboxCounters.DELIVERED_BEFORE);
        } else if (exchange.getProperty(MailpipeHeaders.DEAD_LETTERED, false, Boolean.class)) {
            counters.countDeadLettered();
        } else {
            counters.countDelivered();
        }
    }

    @Override
    protected void processRollback(Message mail, Exchange exchange) {
        String uid = (String) exchange.removeProperty(MAIL_MESSAGE_UID);
        IdempotentRepository repository = getEndpoint().getIdempotentRepository();
        if (repository != null) {
            repository.remove(uid);
        }
        LOG.debug("Message {} stays on the server after a failed delivery", uid, exchange.getException());
    }

    private String mailbox() {
        return status.mailbox().toString();
    }

    private static Folder folderOf(Exchange exchange) {
        MailMessage message = exchange.getIn(MailMessage.class);
        return message == null || message.getOriginalMessage() == null
                ? null
                : message.getOriginalMessage().getFolder();
    }

    /**
     * A message the route completed, to delete if the ledger settled it: its UIDL, the key its claim
     * bound, and its message object in its session (which knows its number and folder).
     */
    private record Flagged(String uid, String key, Message message) {
        int number() {
            return message.getMessageNumber();
        }
    }
}
