package dev.mailpipe.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Watches a folder, every 5 ms, for the first file whose name ends with a suffix, and notes how many
 * seconds after a launch it appeared: the time to the first stored message.
 */
final class FirstStored implements AutoCloseable {

    private final Thread watcher;
    private volatile double seconds = Double.NaN;

    FirstStored(Path folder, String suffix, long launchedNanos) {
        watcher = new Thread(
                () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        if (holdsOne(folder, suffix)) {
                            seconds = (System.nanoTime() - launchedNanos) / 1e9;
                            return;
                        }
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "first-stored");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Seconds from the launch to the first such file; NaN if none appeared while watched. */
    double seconds() {
        return seconds;
    }

    static boolean holdsOne(Path folder, String suffix) {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(suffix));
        } catch (IOException e) {
            return false; // the folder is being created; look again
        }
    }

    @Override
    public void close() throws InterruptedException {
        watcher.interrupt();
        watcher.join();
    }
}
