package dev.mailpipe.imap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Socket factories whose sockets send at once (TCP_NODELAY). An APPEND is a command line and a
 * literal written back to back; with Nagle's algorithm the literal's last partial segment waits for
 * the server's ACK, which the server delays (40 ms on Linux): measured at 30 ms RTT, an APPEND took
 * 78 ms instead of 37 (docs/benchmarks.md). Angus Mail has no setting for it, only factories.
 */
final class NoDelaySockets {

    private NoDelaySockets() {}

    static SocketFactory plain() {
        return new Plain(SocketFactory.getDefault());
    }

    static SSLSocketFactory tls(SSLSocketFactory tls) {
        return new Tls(tls);
    }

    private static Socket noDelay(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        return socket;
    }

    private static final class Plain extends SocketFactory {
        private final SocketFactory sockets;

        Plain(SocketFactory sockets) {
            this.sockets = sockets;
        }

        @Override
        public Socket createSocket() throws IOException {
            return noDelay(sockets.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(sockets.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return noDelay(sockets.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(sockets.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return noDelay(sockets.createSocket(address, port, localAddress, localPort));
        }
    }

    private static final class Tls extends SSLSocketFactory {
        private final SSLSocketFactory tls;

        Tls(SSLSocketFactory tls) {
            this.tls = tls;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return tls.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return tls.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return noDelay(tls.createSocket());
        }

        /** STARTTLS: TLS over the connected plain socket (which has TCP_NODELAY already). */
        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            return noDelay(tls.createSocket(socket, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(tls.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return noDelay(tls.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(tls.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return noDelay(tls.createSocket(address, port, localAddress, localPort));
        }
    }
}
