package dev.mailpipe.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.common.MailpipeHeaders;
import dev.mailpipe.common.OutageException;
import dev.mailpipe.imap.AppendRecord;
import dev.mailpipe.imap.ImapAppendConstants;
import dev.mailpipe.testing.DovecotServer;
import dev.mailpipe.testing.ImapProxy;
import dev.mailpipe.testing.MapJournal;
import dev.mailpipe.testing.SampleMessages;
import dev.mailpipe.testing.TestMailServer;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.camel.BindToRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The IMAP sink against Dovecot, which offers MULTIAPPEND: messages of several sink threads that
 * meet at the one connection go in one APPEND command, each once, bytes unchanged, each with its
 * UID; a batch whose answer was lost is found on the retry by UID, with no SEARCH; without UIDPLUS
 * a message without a Message-ID is found by its size.
 */
@Tag("interop")
class ImapSinkInteropTest extends CamelTestSupport {

    private static final int THREADS = 4;
    private static DovecotServer server;

    @BindToRegistry("journal")
    private final MapJournal journal = new MapJournal();

    @BeforeAll
    static void startDovecot() throws Exception {
        server = DovecotServer.startForInterop(TestMailServer.USER, TestMailServer.PASSWORD);
    }

    @AfterAll
    static void stopDovecot() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:append")
                        .toD("imap-append:localhost?protocol=imap&port=${header.port}&journal=#bean:journal"
                                + "&username=" + TestMailServer.USER + "&password=RAW(" + TestMailServer.PASSWORD
                                + ")");
            }
        };
    }

    /** Appends sample messages {@code first..last} from {@link #THREADS} threads at once; returns the exchanges in order. */
    private List<Exchange> appendConcurrently(ImapProxy proxy, String folder, int first, int last) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Exchange>> results = new ArrayList<>();
            for (int n = first; n <= last; n++) {
                int number = n;
                results.add(threads.submit(() -> append(proxy, folder, number)));
            }
            List<Exchange> exchanges = new ArrayList<>();
            for (Future<Exchange> result : results) {
                exchanges.add(result.get());
            }
            return exchanges;
        } finally {
            threads.shutdown();
        }
    }

    private Exchange append(ImapProxy proxy, String folder, int n) {
        return template.request("direct:append", e -> {
            e.getMessage().setBody(SampleMessages.message(n));
            e.getMessage().setHeader("port", proxy.port());
            e.getMessage().setHeader(ImapAppendConstants.FOLDER, folder);
            e.getMessage().setHeader(MailpipeHeaders.KEY, folder + "-" + n);
        });
    }

    @Test
    void messagesOfSeveralThreadsGoTogetherEachOnceWithItsUid() throws Exception {
        try (ImapProxy proxy = new ImapProxy(server.imapPort())) {
            List<Exchange> exchanges = appendConcurrently(proxy, "Together", 1, 60);

            assertThat(exchanges).allSatisfy(e -> assertThat(e.getException()).isNull());
            assertThat(proxy.commands("APPEND"))
                    .as("APPEND commands for 60 messages from 4 threads")
                    .isLessThan(60);
            assertThat(proxy.searches()).isZero();
            assertThat(exchanges.stream()
                            .map(e -> e.getMessage().getHeader(ImapAppendConstants.UID, Long.class))
                            .distinct())
                    .hasSize(60)
                    .doesNotContainNull();
            assertThat(journal.record("Together-60").outcome()).isEqualTo(AppendRecord.Outcome.APPENDED);
        }
        assertThat(messages("Together")).containsExactlyInAnyOrderElementsOf(samples(1, 60));
    }

    @Test
    void aBatchWhoseAnswerWasLostIsFoundByUidOnTheRetry() throws Exception {
        List<Exchange> exchanges;
        try (ImapProxy proxy = new ImapProxy(server.imapPort())) {
            // Warm the connection so that the lost APPEND carries a batch of waiting messages.
            append(proxy, "Lost", 1);
            proxy.loseAnswerToAppend(3, ImapProxy.AnswerLoss.CUT);
            exchanges = appendConcurrently(proxy, "Lost", 2, 40);
        }
        List<Integer> failed = new ArrayList<>();
        for (int i = 0; i < exchanges.size(); i++) {
            if (exchanges.get(i).getException() != null) {
                assertThat(exchanges.get(i).getException()).isInstanceOf(OutageException.class);
                failed.add(i + 2);
            }
        }
        assertThat(failed)
                .as("the messages of the lost APPEND and those waiting behind it")
                .isNotEmpty();

        try (ImapProxy proxy = new ImapProxy(server.imapPort())) {
            for (int n : failed) {
                assertThat(append(proxy, "Lost", n).getException()).isNull();
            }
            assertThat(proxy.searches()).isZero();
        }
        assertThat(messages("Lost")).containsExactlyInAnyOrderElementsOf(samples(1, 40));
    }

    /**
     * Without UIDPLUS and without a Message-ID, a lost answer is found by a SEARCH for the whole
     * message's size as the server counts it (RFC822.SIZE; GreenMail counts the body only, so this
     * runs against Dovecot).
     */
    @Test
    void withoutUidPlusAMessageWithoutMessageIdIsFoundBySize() throws Exception {
        byte[] raw = ("From: a@example.org\r\nTo: b@example.org\r\nSubject: no id\r\n"
                        + "Date: Mon, 7 Dec 2026 10:00:00 +0000\r\n\r\nA message without a Message-ID.\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (ImapProxy proxy =
                new ImapProxy(server.imapPort()).hidingUidPlus().loseAnswerToAppend(2, ImapProxy.AnswerLoss.CUT)) {
            assertThat(append(proxy, "NoId", 1).getException()).isNull();
            Exchange lost = appendRaw(proxy, "NoId", raw);
            assertThat(lost.getException()).isInstanceOf(OutageException.class);

            Exchange retry = appendRaw(proxy, "NoId", raw);

            assertThat(retry.getException()).isNull();
            assertThat(retry.getMessage().getHeader(ImapAppendConstants.ALREADY_PRESENT))
                    .isEqualTo(true);
            assertThat(proxy.searches()).isEqualTo(1);
        }
        assertThat(messages("NoId")).hasSize(2);
    }

    private Exchange appendRaw(ImapProxy proxy, String folder, byte[] raw) {
        return template.request("direct:append", e -> {
            e.getMessage().setBody(raw);
            e.getMessage().setHeader("port", proxy.port());
            e.getMessage().setHeader(ImapAppendConstants.FOLDER, folder);
            e.getMessage().setHeader(MailpipeHeaders.KEY, folder + "-raw");
        });
    }

    private static List<String> samples(int first, int last) {
        List<String> all = new ArrayList<>();
        for (int n = first; n <= last; n++) {
            all.add(new String(SampleMessages.message(n), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        return all;
    }

    private static List<String> messages(String name) throws Exception {
        List<String> all = new ArrayList<>();
        try (Store store = Session.getInstance(new Properties()).getStore("imap")) {
            store.connect("localhost", server.imapPort(), TestMailServer.USER, TestMailServer.PASSWORD);
            Folder folder = store.getFolder(name);
            folder.open(Folder.READ_ONLY);
            for (Message message : folder.getMessages()) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                message.writeTo(bytes);
                all.add(bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return all;
    }
}
