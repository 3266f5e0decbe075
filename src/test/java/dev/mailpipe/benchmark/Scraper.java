package dev.mailpipe.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Plays Prometheus and a kubelet during a drain: GETs /observe/metrics and /observe/health/ready every second. */
final class Scraper implements AutoCloseable {

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger answered = new AtomicInteger();
    private final int port;

    Scraper(int port) {
        this.port = port;
        timer.scheduleAtFixedRate(this::scrape, 1, 1, TimeUnit.SECONDS);
    }

    private void scrape() {
        for (String path : new String[] {"/observe/metrics", "/observe/health/ready"}) {
            try {
                client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                answered.incrementAndGet();
            } catch (IOException e) {
                // Before the JVM has started its endpoints nothing answers; that is counted by omission.
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Requests answered so far. */
    int answered() {
        return answered.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
