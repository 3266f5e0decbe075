package dev.mailpipe.imap;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import dev.mailpipe.common.MailpipeHeaders;
import dev.mailpipe.common.OutageException;
import dev.mailpipe.testing.ImapProxy;
import dev.mailpipe.testing.MapJournal;
import dev.mailpipe.testing.SampleMessages;
import dev.mailpipe.testing.TestMailServer;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import org.apache.camel.BindToRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The IMAP sink with a journal, behind a proxy that reads the protocol: a clean run sends no SEARCH;
 * an APPEND whose answer was lost (the server has the message, the sink does not know) is found on
 * the retry by UID where the server has UIDPLUS, by SEARCH where it has not or where the folder's
 * UIDVALIDITY changed meanwhile, and is in the folder once.
 */
class ImapAppendJournalTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.imapExtension();

    @BindToRegistry("journal")
    private final MapJournal journal = new MapJournal();

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

    private Exchange append(ImapProxy proxy, String folder, int n) {
        return template.request("direct:append", e -> {
            e.getMessage().setBody(SampleMessages.message(n));
            e.getMessage().setHeader("port", proxy.port());
            e.getMessage().setHeader(ImapAppendConstants.FOLDER, folder);
            e.getMessage().setHeader(MailpipeHeaders.KEY, folder + "-" + n);
        });
    }

    private ImapProxy proxy() throws Exception {
        TestMailServer.user(greenMail);
        return new ImapProxy(greenMail.getImap().getPort());
    }

    @Test
    void aCleanRunSendsNoSearch() throws Exception {
        try (ImapProxy proxy = proxy()) {
            for (int n = 1; n <= 30; n++) {
                assertThat(append(proxy, "Clean", n).getException()).isNull();
            }
            assertThat(proxy.commands("APPEND")).isEqualTo(30);
            assertThat(proxy.searches()).isZero();
            assertThat(proxy.commands("UID FETCH")).isZero();
        }
        assertThat(journal.record("Clean-30").outcome()).isEqualTo(AppendRecord.Outcome.APPENDED);
        assertThat(journal.record("Clean-30").uid()).isPositive();
        assertThat(journal.durableRecords()).isEqualTo(30);
        assertThat(copiesIn("Clean", 30)).isEqualTo(1);
    }

    @Test
    void anAppendWhoseAnswerWasLostIsFoundByUidAndNotAppendedAgain() throws Exception {
        try (ImapProxy proxy = proxy().loseAnswerToAppend(3, ImapProxy.AnswerLoss.CUT)) {
            for (int n = 1; n <= 5; n++) {
                Exchange result = append(proxy, "Lost", n);
                if (n == 3) {
                    assertThat(result.getException()).isInstanceOf(OutageException.class);
                } else {
                    assertThat(result.getException()).as("message %d", n).isNull();
                }
            }
            assertThat(proxy.awaitLostAnswer(0)).isTrue();
            assertThat(journal.record("Lost-3").outcome()).isEqualTo(AppendRecord.Outcome.SENDING);

            Exchange retry = append(proxy, "Lost", 3);

            assertThat(retry.getException()).isNull();
            assertThat(retry.getMessage().getHeader(ImapAppendConstants.ALREADY_PRESENT))
                    .isEqualTo(true);
            assertThat(proxy.searches()).isZero();
            assertThat(proxy.commands("UID FETCH")).isPositive();
            assertThat(proxy.commands("APPEND")).isEqualTo(5);
        }
        assertThat(copiesIn("Lost", 3)).isEqualTo(1);
        assertThat(messagesIn("Lost")).isEqualTo(5);
    }

    @Test
    void withoutUidPlusALostAnswerIsFoundBySearchForThatRetryOnly() throws Exception {
        try (ImapProxy proxy = proxy().hidingUidPlus().loseAnswerToAppend(2, ImapProxy.AnswerLoss.CUT)) {
            for (int n = 1; n <= 4; n++) {
                append(proxy, "NoUidPlus", n);
            }
            assertThat(journal.record("NoUidPlus-2").uid()).isZero();
            assertThat(proxy.searches()).isZero();

            Exchange retry = append(proxy, "NoUidPlus", 2);

            assertThat(retry.getMessage().getHeader(ImapAppendConstants.ALREADY_PRESENT))
                    .isEqualTo(true);
            assertThat(proxy.searches()).isEqualTo(1);
            assertThat(proxy.commands("APPEND")).isEqualTo(4);
        }
        assertThat(copiesIn("NoUidPlus", 2)).isEqualTo(1);
        assertThat(messagesIn("NoUidPlus")).isEqualTo(4);
    }

    @Test
    void aFolderWhoseUidValidityChangedIsSearched() throws Exception {
        try (ImapProxy proxy = proxy().loseAnswerToAppend(1, ImapProxy.AnswerLoss.CUT)) {
            assertThat(append(proxy, "Renewed", 1).getException()).isInstanceOf(OutageException.class);
            AppendRecord sending = journal.record("Renewed-1");
            // The folder is made again (a restored backup, a server moved): a new UIDVALIDITY, and
            // the message in it at a UID that says nothing.
            try (Store store = reader()) {
                Folder folder = store.getFolder("Renewed");
                folder.delete(true);
                waitForTheNextSecond(sending.uidValidity());
                folder.create(Folder.HOLDS_MESSAGES);
                folder.appendMessages(new Message[] {
                    new MimeMessage(
                            Session.getInstance(new java.util.Properties()),
                            new ByteArrayInputStream(SampleMessages.message(1)))
                });
            }

            Exchange retry = append(proxy, "Renewed", 1);

            assertThat(retry.getMessage().getHeader(ImapAppendConstants.ALREADY_PRESENT))
                    .isEqualTo(true);
            assertThat(proxy.searches()).isEqualTo(1);
        }
        assertThat(messagesIn("Renewed")).isEqualTo(1);
    }

    /** GreenMail's UIDVALIDITY is the folder's creation time in seconds. */
    private static void waitForTheNextSecond(long second) throws InterruptedException {
        while (System.currentTimeMillis() / 1000 <= second) {
            Thread.sleep(20);
        }
    }

    private Store reader() throws Exception {
        Store store = Session.getInstance(new java.util.Properties()).getStore("imap");
        store.connect("localhost", greenMail.getImap().getPort(), TestMailServer.USER, TestMailServer.PASSWORD);
        return store;
    }

    private int messagesIn(String name) throws Exception {
        try (Store store = reader()) {
            Folder folder = store.getFolder(name);
            folder.open(Folder.READ_ONLY);
            return folder.getMessageCount();
        }
    }

    /** How many messages of the folder have sample message {@code n}'s bytes. */
    private int copiesIn(String name, int n) throws Exception {
        byte[] raw = SampleMessages.message(n);
        int copies = 0;
        try (Store store = reader()) {
            Folder folder = store.getFolder(name);
            folder.open(Folder.READ_ONLY);
            for (Message message : folder.getMessages()) {
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                message.writeTo(bytes);
                if (java.util.Arrays.equals(bytes.toByteArray(), raw)) {
                    copies++;
                }
            }
        }
        return copies;
    }
}
