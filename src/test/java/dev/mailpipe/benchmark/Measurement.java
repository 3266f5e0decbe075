package dev.mailpipe.benchmark;

/**
 * One contender's drain of one mailbox: the time from its JVM's launch until the server's mailbox is
 * empty, and what {@code /usr/bin/time} saw of the whole process.
 */
record Measurement(
        String contender,
        String link,
        int messages,
        long mailboxBytes,
        int run,
        double drainSeconds,
        double cpuSeconds,
        double peakRssMegabytes) {

    double messagesPerSecond() {
        return messages / drainSeconds;
    }
}
