package dev.mailpipe.benchmark;

/**
 * One contender's drain of one mailbox: the time from its JVM's launch until the server's mailbox is
 * empty, until its first stored message, and what {@code /usr/bin/time} saw of the whole process.
 */
record Measurement(
        String contender,
        String link,
        int messages,
        long mailboxBytes,
        int run,
        double drainSeconds,
        double firstStoredSeconds,
        double cpuSeconds,
        double peakRssMegabytes) {

    double messagesPerSecond() {
        return messages / drainSeconds;
    }
}
