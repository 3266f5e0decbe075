package dev.mailpipe.imap;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import dev.mailpipe.common.OutageException;
import dev.mailpipe.common.TrustedCertificates;
import dev.mailpipe.testing.Pop3Proxy;
import dev.mailpipe.testing.SampleMessages;
import dev.mailpipe.testing.TestMailServer;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.ByteArrayOutputStream;
import java.util.Properties;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The imap-append component against GreenMail IMAPS: folders, bytes, dates, flags, idempotence, one login. */
class ImapAppendComponentTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.imapExtension();

    private static final Pop3Proxy PROXY = startProxy();

    private static Pop3Proxy startProxy() {
        try {
            return new Pop3Proxy(0, Pop3Proxy.Cut.PASS_THROUGH, 0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                String options = "&username=" + TestMailServer.USER + "&password=RAW(" + TestMailServer.PASSWORD
                        + ")&caFile=" + TestMailServer.caFile();
                from("direct:archive")
                        .to("imap-append:localhost?protocol=imaps&port="
                                + greenMail.getImaps().getPort() + "&folder=RAW(Archive/${header.year})" + options);
                from("direct:proxied").toD("imap-append:localhost?protocol=imaps&port=${header.port}" + options);
            }
        };
    }

    private Store reader() throws Exception {
        Properties properties = new Properties();
        properties.put(
                "mail.imaps.ssl.socketFactory",
                TrustedCertificates.socketFactoryTrusting(TestMailServer.caFile(), "test"));
        Store store = Session.getInstance(properties).getStore("imaps");
        store.connect("localhost", greenMail.getImaps().getPort(), TestMailServer.USER, TestMailServer.PASSWORD);
        return store;
    }

    @Test
    void appendsTheExactBytesWithTheirDateAndFlagsIntoANestedFolderItCreates() throws Exception {
        TestMailServer.user(greenMail);
        byte[] raw = SampleMessages.message(7);
        template.sendBodyAndHeader("direct:archive", raw, "year", "2026");

        try (Store store = reader()) {
            Folder folder = store.getFolder("Archive").getFolder("2026");
            assertThat(folder.exists()).isTrue();
            assertThat(folder.isSubscribed()).isTrue();
            folder.open(Folder.READ_ONLY);
            Message stored = folder.getMessage(1);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            stored.writeTo(bytes);
            assertThat(bytes.toByteArray()).isEqualTo(raw);
            assertThat(stored.getReceivedDate()).isEqualTo(stored.getSentDate());
            assertThat(stored.getFlags().contains(Flags.Flag.SEEN)).isTrue();
        }
    }

    @Test
    void aMessageAlreadyInTheFolderIsNotAppendedAgain() throws Exception {
        TestMailServer.user(greenMail);
        byte[] raw = SampleMessages.message(8);
        Exchange first = template.request("direct:archive", e -> {
            e.getMessage().setBody(raw);
            e.getMessage().setHeader("year", "retry");
        });
        Exchange second = template.request("direct:archive", e -> {
            e.getMessage().setBody(raw);
            e.getMessage().setHeader("year", "retry");
        });

        assertThat(first.getMessage().getHeader(ImapAppendConstants.ALREADY_PRESENT))
                .isEqualTo(false);
        assertThat(second.getMessage().getHeader(ImapAppendConstants.ALREADY_PRESENT))
                .isEqualTo(true);
        try (Store store = reader()) {
            Folder folder = store.getFolder("Archive").getFolder("retry");
            folder.open(Folder.READ_ONLY);
            assertThat(folder.getMessageCount()).isEqualTo(1);
        }
    }

    @Test
    void twoHundredMessagesNeedOneLogin() throws Exception {
        TestMailServer.user(greenMail);
        try (Pop3Proxy proxy = new Pop3Proxy(greenMail.getImaps().getPort(), Pop3Proxy.Cut.PASS_THROUGH, 0)) {
            for (int n = 1; n <= 200; n++) {
                template.sendBodyAndHeader("direct:proxied", SampleMessages.message(1000 + n), "port", proxy.port());
            }
            assertThat(proxy.sessions()).isEqualTo(1);
        }
        try (Store store = reader()) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).isEqualTo(200);
        }
    }

    @Test
    void anUnreachableServerIsAnOutage() {
        PROXY.refuseConnections(true);
        Exchange result = template.request("direct:proxied", e -> {
            e.getMessage().setBody(SampleMessages.message(9));
            e.getMessage().setHeader("port", PROXY.port());
        });
        assertThat(result.getException()).isInstanceOf(OutageException.class);
    }
}
