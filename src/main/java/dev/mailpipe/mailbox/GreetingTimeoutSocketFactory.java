package dev.mailpipe.mailbox;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import javax.net.SocketFactory;

/**
 * Plain POP3 sockets that wait for the server's greeting only as long as the connect timeout, then
 * for replies as long as the read timeout Angus Mail sets. A POP3S port answers a plain client with
 * silence (it waits for a TLS hello), so the greeting is where a TLS/plain mismatch shows.
 */
final class GreetingTimeoutSocketFactory extends SocketFactory {

    private final int greetingTimeout;

    GreetingTimeoutSocketFactory(int greetingTimeout) {
        this.greetingTimeout = greetingTimeout;
    }

    /** No greeting arrived within {@code mailbox.connectTimeout}; the connection itself was made. */
    static final class NoGreetingException extends SocketTimeoutException {
        /** Angus keeps only the message of a timed-out read, so the message is what identifies it. */
        static final String MESSAGE = "no POP3 greeting within mailbox.connectTimeout";

        NoGreetingException(int millis) {
            super(MESSAGE + " (" + millis + " ms)");
        }
    }

    @Override
    public Socket createSocket() {
        return new GreetingSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(InetSocketAddress remote, InetSocketAddress... local) throws IOException {
        Socket socket = new GreetingSocket();
        if (local.length > 0) {
            socket.bind(local[0]);
        }
        socket.connect(remote, greetingTimeout);
        return socket;
    }

    /** Uses the greeting timeout until the first byte arrives, then the timeout Angus asked for. */
    private final class GreetingSocket extends Socket {
        private volatile boolean greeted;
        private volatile int readTimeout;
        private InputStream input;

        @Override
        public synchronized void setSoTimeout(int timeout) throws SocketException {
            readTimeout = timeout;
            super.setSoTimeout(greeted ? timeout : greetingTimeout);
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (input == null) {
                input = new GreetingInput(super.getInputStream());
            }
            return input;
        }

        private void greetingArrived() throws SocketException {
            if (!greeted) {
                greeted = true;
                super.setSoTimeout(readTimeout);
            }
        }

        private final class GreetingInput extends FilterInputStream {
            GreetingInput(InputStream in) {
                super(in);
            }

            @Override
            public int read() throws IOException {
                int b = awaitGreeting(() -> super.read());
                greetingArrived();
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = awaitGreeting(() -> super.read(buffer, offset, length));
                greetingArrived();
                return n;
            }

            private int awaitGreeting(Read read) throws IOException {
                if (greeted) {
                    return read.read();
                }
                if (getSoTimeout() != greetingTimeout) {
                    GreetingSocket.super.setSoTimeout(greetingTimeout);
                }
                try {
                    return read.read();
                } catch (SocketTimeoutException e) {
                    throw (SocketTimeoutException) new NoGreetingException(greetingTimeout).initCause(e);
                }
            }
        }
    }

    /** One read of the underlying stream. */
    @FunctionalInterface
    private interface Read {
        int read() throws IOException;
    }
}
