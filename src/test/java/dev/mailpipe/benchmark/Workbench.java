package dev.mailpipe.benchmark;

import dev.mailpipe.common.TrustedCertificates;
import dev.mailpipe.testing.DovecotServer;
import dev.mailpipe.testing.TestMailServer;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What every drain of the benchmarks shares: the Dovecot server and its accounts (all with the
 * setup's password), a fresh output folder per run, loading mailboxes so that Dovecot sees every
 * message before the clock starts, and launching a contender's JVM under /usr/bin/time.
 */
final class Workbench {

    private final DovecotServer dovecot;
    private final Setup setup;
    private final Path work;
    /** Every run's output, kept until the benchmark ends (see {@link #output}). */
    private final Path outputs;

    private final long timeoutNanos;

    Workbench(DovecotServer dovecot, Setup setup, Path work, long timeoutMinutes) {
        this.dovecot = dovecot;
        this.setup = setup;
        this.work = work;
        this.outputs = work.resolve("outputs");
        this.timeoutNanos = TimeUnit.MINUTES.toNanos(timeoutMinutes);
    }

    DovecotServer dovecot() {
        return dovecot;
    }

    Setup setup() {
        return setup;
    }

    Path outputs() {
        return outputs;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    /**
     * A fresh folder for one run's output, all deleted at the end: deleting tens of thousands of files
     * just before a run makes ext4 scan past their inodes (recently_deleted) on every file the next
     * contender creates, which cost mailpipe (three files a message) over 10% of its CPU.
     */
    Path output(String run) throws IOException {
        return Files.createDirectories(outputs.resolve(run));
    }

    /**
     * Hard-links each account's message files into its Maildir, then waits until a POP3S session of
     * each account lists them all: Dovecot indexes new mail at the first session, a cost paid before
     * the clock starts, as for a mailbox that has been there a while.
     */
    void load(Map<String, List<Path>> filesByUser) throws Exception {
        for (String user : filesByUser.keySet()) {
            if (dovecot.messagesLeft(user) != 0) {
                throw new IllegalStateException("the mailbox of " + user + " is not empty before a run");
            }
        }
        // Dovecot notices new mail by the Maildir's mtime, in whole seconds: let a second pass since
        // the last run's expunge.
        Thread.sleep(1_100);
        for (Map.Entry<String, List<Path>> account : filesByUser.entrySet()) {
            dovecot.deliverLinks(account.getKey(), account.getValue());
        }
        Properties properties = new Properties();
        properties.put("mail.pop3s.ssl.socketFactory", TrustedCertificates.socketFactoryTrusting(setup.caFile(), "ca"));
        for (Map.Entry<String, List<Path>> account : filesByUser.entrySet()) {
            awaitVisible(properties, account.getKey(), account.getValue().size());
        }
    }

    /** Waits until a POP3S session on Dovecot itself (not through a slow link) lists all {@code size} messages. */
    private void awaitVisible(Properties properties, String user, int size)
            throws MessagingException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try (Store store = Session.getInstance(properties).getStore("pop3s")) {
                store.connect("localhost", dovecot.pop3sPort(), user, TestMailServer.PASSWORD);
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                int visible = inbox.getMessageCount();
                inbox.close(false);
                if (visible == size) {
                    return;
                }
                if (attempt == 20) {
                    throw new IllegalStateException(
                            "Dovecot shows " + visible + " of " + size + " messages of " + user);
                }
            }
            Thread.sleep(500);
        }
    }

    /** Launches {@code launch} under /usr/bin/time, logging into logs/{@code run}.log. */
    TimedLaunch launch(Contender.Launch launch, String run) throws IOException {
        return TimedLaunch.start(
                launch.command(),
                launch.environment(),
                work.resolve("time.txt"),
                work.resolve("logs").resolve(run + ".log"));
    }

    /** Launches {@code java} with {@code arguments} under /usr/bin/time, logging into logs/{@code run}.log. */
    TimedLaunch launch(List<String> arguments, String run) throws IOException {
        return TimedLaunch.start(
                arguments, work.resolve("time.txt"), work.resolve("logs").resolve(run + ".log"));
    }
}
