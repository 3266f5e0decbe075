package dev.mailpipe.imap;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** imap-append's options, bound by the binder Camel's tooling generates, with bean references in both forms. */
class ImapAppendOptionsTest {

    @Test
    void aPasswordBeanIsFoundByItsBareNameAndByCamelsOwnForm() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("imapPassword", "s3cret");
            context.start();
            assertThat(endpoint(context, "imap-append:localhost?password=#imapPassword")
                            .getPassword())
                    .isEqualTo("s3cret");
            assertThat(endpoint(context, "imap-append:localhost?password=#bean:imapPassword&folder=A")
                            .getPassword())
                    .isEqualTo("s3cret");
            assertThat(endpoint(context, "imap-append:localhost?password=#no-such-bean")
                            .getPassword())
                    .as("no bean of that name: the text as written")
                    .isEqualTo("#no-such-bean");
        }
    }

    @Test
    void optionsAreBoundWithTheirTypesAndDefaults() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.start();
            ImapAppendEndpoint endpoint = endpoint(
                    context, "imap-append:imap.example.org?port=1143&protocol=imap&starttls=true&createFolders=false");
            assertThat(endpoint.getHost()).isEqualTo("imap.example.org");
            assertThat(endpoint.getPort()).isEqualTo(1143);
            assertThat(endpoint.getProtocol()).isEqualTo("imap");
            assertThat(endpoint.isStarttls()).isTrue();
            assertThat(endpoint.isCreateFolders()).isFalse();
            assertThat(endpoint.getFolder()).isEqualTo("INBOX");
            assertThat(endpoint.getTimeout()).isEqualTo(30_000);
        }
    }

    private static ImapAppendEndpoint endpoint(DefaultCamelContext context, String uri) {
        return (ImapAppendEndpoint) context.getEndpoint(uri);
    }

    /** Nagle's algorithm would hold an APPEND's last segment for the server's delayed ACK (docs/benchmarks.md). */
    @Test
    void itsConnectionsSendAtOnce() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext();
                java.net.ServerSocket server =
                        new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            context.start();
            for (String protocol : java.util.List.of("imap", "imaps")) {
                java.util.Properties properties = endpoint(context, "imap-append:localhost?protocol=" + protocol)
                        .sessionProperties();
                javax.net.SocketFactory factory = (javax.net.SocketFactory) properties.getOrDefault(
                        "mail." + protocol + ".socketFactory",
                        properties.get("mail." + protocol + ".ssl.socketFactory"));
                try (java.net.Socket socket = factory.createSocket("127.0.0.1", server.getLocalPort())) {
                    assertThat(socket.getTcpNoDelay()).as(protocol).isTrue();
                }
            }
            javax.net.ssl.SSLSocketFactory starttls = (javax.net.ssl.SSLSocketFactory)
                    endpoint(context, "imap-append:localhost?protocol=imap&starttls=true")
                            .sessionProperties()
                            .get("mail.imap.ssl.socketFactory");
            try (java.net.Socket plain = new java.net.Socket("127.0.0.1", server.getLocalPort());
                    java.net.Socket tls = starttls.createSocket(plain, "localhost", server.getLocalPort(), true)) {
                assertThat(tls.getTcpNoDelay()).isTrue();
            }
        }
    }
}
