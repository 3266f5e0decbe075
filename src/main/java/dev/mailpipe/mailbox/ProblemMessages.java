package dev.mailpipe.mailbox;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mailbox's messages that stay on the server for reasons of their own, kept in memory for the
 * run (what must survive a restart is in the ledger):
 *
 * <ul>
 *   <li>messages whose download broke the connection: they wait for a session without other
 *       messages to download, and a break counts against the message only when other messages could
 *       be downloaded (before it in its session, or earlier in the run with no other message
 *       breaking since), so a server that breaks every download stays an outage;
 *   <li>parked messages (see the ledger's PARKED state) and messages the server keeps although it
 *       accepted their DELE in {@link #MAX_DELE_SESSIONS} sessions, counted at each poll for the
 *       status, health details and metrics, and logged once, not once per message per poll.
 * </ul>
 */
public final class ProblemMessages {

    /** Sessions in which a stored message's DELE is sent before mailpipe leaves it to a server that keeps it. */
    public static final int MAX_DELE_SESSIONS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(ProblemMessages.class);

    private final MailboxId mailbox;
    private final AtomicLong downloads = new AtomicLong();
    /** UIDLs whose download broke the connection in this run (and has not succeeded since). */
    private final Set<String> broken = ConcurrentHashMap.newKeySet();
    /** UIDLs whose download broke the connection since the last download that succeeded. */
    private final Set<String> brokenSinceDownload = ConcurrentHashMap.newKeySet();

    private final Set<String> parked = ConcurrentHashMap.newKeySet();
    /** UIDLs of messages found parked in this run: their RETR is never sent ahead of them. */
    private final Set<String> parkedUidls = ConcurrentHashMap.newKeySet();

    private final Set<String> kept = ConcurrentHashMap.newKeySet();
    private final Set<String> keptEver = ConcurrentHashMap.newKeySet();
    private volatile boolean redeletionLogged;
    /** How many kept messages the log has reported (this consumer's thread only). */
    private int keptLogged;

    /** Whether the mailbox deletes delivered messages ({@code mailbox.delete}): the summary's words depend on it. */
    private final boolean deletes;
    /** Messages of this batch that were done before (a restart after a crash) and are only deleted now. */
    private final java.util.concurrent.atomic.AtomicInteger doneBefore =
            new java.util.concurrent.atomic.AtomicInteger();

    ProblemMessages(MailboxId mailbox, boolean deletes) {
        this.mailbox = mailbox;
        this.deletes = deletes;
    }

    /**
     * A message was delivered or dead-lettered before (by an instance that stopped before its QUIT)
     * and is not delivered again: said once per batch, in {@link #batchEnded}; each at DEBUG.
     */
    public void doneBefore(String key, String what) {
        doneBefore.incrementAndGet();
        LOG.debug(
                "Mailbox {}: {} was {} before; {}",
                mailbox,
                key,
                what,
                deletes ? "deleting it without delivering it again" : "not delivering it again");
    }

    /** A message was downloaded whole. */
    void downloaded(String uidl) {
        downloads.incrementAndGet();
        broken.remove(uidl);
        brokenSinceDownload.clear();
    }

    /**
     * The connection broke while the server sent the message with {@code uidl}; returns whether the
     * message is to blame: another message was downloaded before it in the same session, or other
     * messages were downloaded in this run and no other message's download has broken since the
     * last one that succeeded (a server that breaks every download breaks several).
     */
    public boolean broke(String uidl, RetrievalBrokeConnection failure) {
        broken.add(uidl);
        brokenSinceDownload.add(uidl);
        return failure.retrievedBefore() > 0 || (downloads.get() > 0 && brokenSinceDownload.equals(Set.of(uidl)));
    }

    /**
     * Whether the message's download broke the connection in this run: it waits for a session in
     * which no other message waits to be downloaded, so that its next break costs no other
     * message's deletion, and its RETR is never sent ahead.
     */
    boolean brokeBefore(String uidl) {
        return broken.contains(uidl);
    }

    /** Whether a RETR of the message must not be sent ahead (pipelined): it broke a download or is parked. */
    boolean notToSendAhead(String uidl) {
        return broken.contains(uidl) || parkedUidls.contains(uidl);
    }

    /** A new poll's batch: the parked and kept counts are those its claims report. */
    void batchStarted() {
        parked.clear();
        kept.clear();
    }

    /** The message with {@code key} and {@code uidl} is parked; it stays on the server. */
    public void parked(String key, String uidl) {
        parked.add(key);
        parkedUidls.add(uidl);
    }

    /** The server still has a message deleted in an earlier session; its DELE is sent again. */
    public void deletingAgain(String key) {
        if (!redeletionLogged) {
            redeletionLogged = true;
            LOG.info(
                    "Mailbox {}: messages deleted in an earlier session are still on the server (a QUIT that was lost,"
                            + " or a server that does not apply DELE); deleting them again, in at most {} sessions each",
                    mailbox,
                    MAX_DELE_SESSIONS);
        }
        LOG.debug("Mailbox {}: deleting {} again", mailbox, key);
    }

    /** The server kept the message although it accepted its DELE {@link #MAX_DELE_SESSIONS} times; it is left alone. */
    public void keptByServer(String key) {
        kept.add(key);
        keptEver.add(key);
    }

    /** The batch is over: says once how many messages the server keeps, when that number grew. */
    void batchEnded() {
        int before = doneBefore.getAndSet(0);
        if (before > 0 && deletes) {
            LOG.info(
                    "Mailbox {}: {} message(s) delivered before a restart were deleted without delivering them again",
                    mailbox,
                    before);
        } else if (before > 0) {
            // mailbox.delete=false keeps delivered mail on the server by design: every poll sees it again.
            LOG.debug(
                    "Mailbox {}: {} message(s) delivered before stay on the server (mailbox.delete=false)",
                    mailbox,
                    before);
        }
        int keeps = keptEver.size();
        if (keeps > keptLogged) {
            keptLogged = keeps;
            LOG.warn(
                    "Mailbox {}: its server keeps {} delivered message(s) although it accepted their DELE in {}"
                            + " sessions each; mailpipe leaves them on the server and sends no more DELEs for them",
                    mailbox,
                    keeps,
                    MAX_DELE_SESSIONS);
        }
    }

    /** Parked messages seen at the last poll. */
    public int parkedCount() {
        return parked.size();
    }

    /** Messages the server kept despite DELE, seen at the last poll. */
    public int keptCount() {
        return kept.size();
    }
}
