package dev.mailpipe.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP proxy that delivers every chunk {@code delayMillis} after it was read, in each
 * direction, like a long link: latency is added, bandwidth is not limited (reading goes on while
 * earlier chunks wait).
 */
final class LatencyProxy implements AutoCloseable {

    private static final byte[] END = new byte[0];

    private final ServerSocket listener;
    private final int targetPort;
    private final long delayNanos;

    LatencyProxy(int targetPort, long delayMillis) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
        daemon(this::accept, "latency-proxy");
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger(2);
                relay(client, server, open);
                relay(server, client, open);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Copies one direction; the last direction to end closes both sockets. */
    private void relay(Socket from, Socket to, java.util.concurrent.atomic.AtomicInteger open) throws IOException {
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        daemon(
                () -> {
                    byte[] buffer = new byte[64 * 1024];
                    try {
                        for (int read; (read = in.read(buffer)) > 0; ) {
                            queue.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, read)));
                        }
                    } catch (IOException e) {
                        // the connection ended
                    }
                    queue.add(new Chunk(System.nanoTime() + delayNanos, END));
                },
                "latency-read");
        daemon(
                () -> {
                    try {
                        while (true) {
                            Chunk chunk = queue.take();
                            long wait = chunk.due() - System.nanoTime();
                            if (wait > 0) {
                                TimeUnit.NANOSECONDS.sleep(wait);
                            }
                            if (chunk.bytes() == END) {
                                to.shutdownOutput();
                                if (open.decrementAndGet() == 0) {
                                    closeQuietly(from);
                                    closeQuietly(to);
                                }
                                return;
                            }
                            out.write(chunk.bytes());
                            out.flush();
                        }
                    } catch (IOException | InterruptedException e) {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "latency-write");
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    private record Chunk(long due, byte[] bytes) {}
}
