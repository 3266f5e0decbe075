package dev.mailpipe.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many hostile HTTP clients on one thread: each connection sends part of a request and then either
 * waits ({@link Mode#HALF_SENT}) or sends one more byte a second ({@link Mode#TRICKLE}); a
 * connection the server closes is opened again at once, so the server faces {@code count} of them
 * for as long as they run.
 */
public final class SlowHttpClients implements AutoCloseable {

    /** What each connection does after it opened. */
    public enum Mode {
        HALF_SENT,
        TRICKLE
    }

    private static final byte[] REQUEST = "GET /observe/health/live HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slow\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private final InetSocketAddress server;
    private final Mode mode;
    private final Selector selector;
    private final List<Client> clients = new ArrayList<>();
    private final AtomicInteger reopened = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    private static final class Client {
        SocketChannel channel;
        int sent;
    }

    public SlowHttpClients(int port, int count, Mode mode) throws IOException {
        this.server = new InetSocketAddress("127.0.0.1", port);
        this.mode = mode;
        this.selector = Selector.open();
        for (int i = 0; i < count; i++) {
            Client client = new Client();
            open(client);
            clients.add(client);
        }
        thread = new Thread(this::run, "slow-http-clients");
        thread.setDaemon(true);
        thread.start();
    }

    /** How many connections the server closed and were opened again. */
    public int reopened() {
        return reopened.get();
    }

    private void open(Client client) throws IOException {
        SocketChannel channel = SocketChannel.open(server);
        int first = mode == Mode.HALF_SENT ? REQUEST.length : 1;
        channel.write(ByteBuffer.wrap(REQUEST, 0, first));
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ, client);
        client.channel = channel;
        client.sent = first;
    }

    private void run() {
        ByteBuffer scratch = ByteBuffer.allocate(4096);
        long nextTrickle = System.nanoTime() + 1_000_000_000L;
        try {
            while (running) {
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    Client client = (Client) key.attachment();
                    scratch.clear();
                    int read;
                    try {
                        read = client.channel.read(scratch);
                    } catch (IOException e) {
                        read = -1;
                    }
                    if (read < 0) {
                        key.cancel();
                        client.channel.close();
                        if (running) {
                            open(client);
                            reopened.incrementAndGet();
                        }
                    }
                }
                selector.selectedKeys().clear();
                if (mode == Mode.TRICKLE && System.nanoTime() >= nextTrickle) {
                    nextTrickle += 1_000_000_000L;
                    for (Client client : clients) {
                        if (client.channel.isOpen() && client.sent < REQUEST.length) {
                            try {
                                client.channel.write(ByteBuffer.wrap(REQUEST, client.sent++, 1));
                            } catch (IOException e) {
                                // Closed by the server: the selector reopens it.
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Stops and closes every connection. */
    @Override
    public void close() throws Exception {
        running = false;
        thread.join(5000);
        for (Client client : clients) {
            client.channel.close();
        }
        selector.close();
    }
}
