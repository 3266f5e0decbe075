package dev.mailpipe.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.testing.TestMailServer;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The block-copying RETR and the batched DELE against a real POP3 server, with Angus Mail's own
 * reading of the same message as the reference.
 */
class Pop3ConnectionTest {

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    /** Lines a naive copy gets wrong: leading dots, a lone dot, 8-bit bytes, long lines across blocks. */
    private static byte[] trickyMessage(int bodyLines) {
        StringBuilder text = new StringBuilder(
                "From: a@example.org\r\nTo: b@example.org\r\nSubject: dots\r\nMessage-ID: <dots@example.org>\r\n\r\n");
        for (int i = 0; i < bodyLines; i++) {
            switch (i % 5) {
                case 0 -> text.append(".leading dot ").append(i).append("\r\n");
                case 1 -> text.append("..two dots\r\n");
                case 2 -> text.append(".\r\n"); // a lone dot inside the body, stuffed by the server
                case 3 ->
                    text.append("caf\u00e9 \u00ff\u0080 latin-1 bytes ")
                            .append("x".repeat(i % 997))
                            .append("\r\n");
                default -> text.append("plain line\r\n");
            }
        }
        return text.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A test's steps on an open session: the folder (for Angus's own reading) and its connection. */
    private interface SessionSteps {
        void run(Folder folder, Pop3Connection connection) throws Exception;
    }

    /** Opens a POP3 session, runs the steps, and ends it with a plain QUIT (only DELEs sent by the steps apply). */
    private static void inSession(SessionSteps steps) throws Exception {
        Store store = Session.getInstance(new Properties()).getStore("pop3");
        store.connect("localhost", greenMail.getPop3().getPort(), TestMailServer.USER, TestMailServer.PASSWORD);
        try {
            Folder folder = store.getFolder("INBOX");
            folder.open(Folder.READ_WRITE);
            steps.run(folder, Pop3Connection.of(folder).orElseThrow());
            if (folder.isOpen()) {
                folder.close(false);
            }
        } finally {
            store.close();
        }
    }

    private static byte[] angusCopy(Folder folder, int number) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        folder.getMessage(number).writeTo(out);
        return out.toByteArray();
    }

    @Test
    void retrieveCopiesExactlyWhatAngusReadsAndKeepsTheSessionInStep() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        TestMailServer.deliver(user, trickyMessage(7));
        // About 2.5 MB: many 64 k blocks, so stuffed lines and the terminator fall on block edges.
        TestMailServer.deliver(user, trickyMessage(25_000));
        TestMailServer.deliver(user, trickyMessage(0));

        inSession((folder, connection) -> {
            for (int number = 1; number <= 3; number++) {
                ByteArrayOutputStream ours = new ByteArrayOutputStream();
                assertThat(connection.retrieve(number, ours)).isTrue();
                // Angus's RETR on the same session afterwards: it only works if ours left the reply fully read.
                assertThat(ours.toByteArray()).isEqualTo(angusCopy(folder, number));
            }
            assertThat(connection.retrieve(4, new ByteArrayOutputStream()))
                    .as("no such message")
                    .isFalse();
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            assertThat(connection.retrieve(1, again)).isTrue();
            assertThat(again.toByteArray()).isEqualTo(angusCopy(folder, 1));
        });
    }

    /** The consumer's liveness counts a long download as activity: every block read is reported. */
    @Test
    void everyBlockOfALongReplyIsReportedAsActivity() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        byte[] large = trickyMessage(25_000);
        TestMailServer.deliver(user, large);

        inSession((folder, connection) -> {
            java.util.concurrent.atomic.AtomicInteger blocks = new java.util.concurrent.atomic.AtomicInteger();
            connection.onBlock(blocks::incrementAndGet);
            assertThat(connection.retrieve(1, new ByteArrayOutputStream())).isTrue();
            assertThat(blocks.get()).isGreaterThanOrEqualTo(large.length / (64 * 1024));
        });
    }

    @Test
    void aFailingDestinationIsReportedAfterTheReplyIsRead() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        TestMailServer.deliver(user, trickyMessage(25_000));
        TestMailServer.deliver(user, trickyMessage(3));

        inSession((folder, connection) -> {
            OutputStream fullDisk = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    throw new IOException("No space left on device");
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    throw new IOException("No space left on device");
                }
            };
            assertThatThrownBy(() -> connection.retrieve(1, fullDisk)).hasMessage("No space left on device");
            ByteArrayOutputStream next = new ByteArrayOutputStream();
            assertThat(connection.retrieve(2, next)).isTrue();
            assertThat(next.toByteArray()).isEqualTo(trickyMessage(3));
        });
    }

    @Test
    void deleteSendsTheDelesAndReportsTheRefusedOnes() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        TestMailServer.deliverSamples(user, 4);

        inSession((folder, connection) -> {
            assertThat(connection.delete(List.of(1, 3, 9))).containsExactly(9);
        });
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isEqualTo(2);
    }

    @Test
    void aLostConnectionIsAnIoFailureAndClosesTheSession() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        TestMailServer.deliverSamples(user, 1);

        try {
            inSession((folder, connection) -> {
                greenMail.stop();
                assertThatThrownBy(() -> connection.retrieve(1, new ByteArrayOutputStream()))
                        .isInstanceOf(IOException.class);
                assertThat(folder.isOpen()).isFalse();
            });
        } finally {
            greenMail.start();
        }
    }

    @Test
    void retrievalSentAheadIsUsedOrDiscardedAndNeverConfusesTheSession() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        for (int lines : new int[] {3, 25_000, 7, 11, 2}) {
            TestMailServer.deliver(user, trickyMessage(lines));
        }
        inSession((folder, session) -> {
            Pop3Connection connection = session.assumingPipelining();
            connection.plan(List.of(1, 2, 3, 4, 5));
            // 1 sends 2-5 ahead; 2 is used; 3 is skipped, so its reply is dropped before 4's is read.
            Map<Integer, byte[]> ours = new TreeMap<>();
            for (int number : new int[] {1, 2, 4}) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                assertThat(connection.retrieve(number, out)).isTrue();
                ours.put(number, out.toByteArray());
            }
            // 5 was sent ahead and the batch ends: settle drops it, and Angus's own commands work again.
            connection.settle();
            for (Map.Entry<Integer, byte[]> entry : ours.entrySet()) {
                assertThat(entry.getValue())
                        .as("message %d", entry.getKey())
                        .isEqualTo(angusCopy(folder, entry.getKey()));
            }
            assertThat(angusCopy(folder, 5)).isEqualTo(trickyMessage(2));
            assertThat(connection.delete(List.of(1, 2))).isEmpty();
        });
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isEqualTo(3);
    }

    @Test
    void theWindowOfRetrievalsSentAheadRefillsAcrossALongBatch() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        int count = 3 * Pop3Connection.RETRIEVALS_AHEAD;
        List<Integer> numbers = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            TestMailServer.deliver(user, trickyMessage(n * 37));
            numbers.add(n);
        }
        inSession((folder, session) -> {
            Pop3Connection connection = session.assumingPipelining();
            connection.plan(numbers);
            for (int number : numbers) {
                if (number % 7 == 0) {
                    continue; // skipped by the consumer: its reply is dropped
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                assertThat(connection.retrieve(number, out)).isTrue();
                assertThat(out.toByteArray()).as("message %d", number).isEqualTo(trickyMessage(number * 37));
            }
            connection.settle();
            assertThat(angusCopy(folder, 7)).isEqualTo(trickyMessage(7 * 37));
        });
    }

    @Test
    void unstuffingGivesTheSameBytesWhereverTheBlocksSplit() {
        // ".." at a line start is one dot, ".x" is "x", the lone ".\r\n" ends the reply; the next reply must not be
        // consumed.
        String reply = "a\r\n..b\r\n.c\r\n\r\n.\r\n";
        String wire = reply + "+OK next reply\r\n";
        for (int split = 1; split <= wire.length(); split++) {
            Pop3Connection.Unstuffing state = new Pop3Connection.Unstuffing();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int consumed = 0;
            for (int start = 0; start < wire.length() && !state.ended; start += split) {
                char[] block = wire.substring(start, Math.min(wire.length(), start + split))
                        .toCharArray();
                byte[] bytes = new byte[block.length];
                consumed += state.copy(block, block.length, bytes);
                out.write(bytes, 0, state.length);
            }
            assertThat(out.toString(StandardCharsets.ISO_8859_1))
                    .as("split %d", split)
                    .isEqualTo("a\r\n.b\r\nc\r\n\r\n");
            assertThat(state.ended).as("split %d", split).isTrue();
            assertThat(consumed).as("split %d", split).isEqualTo(reply.length());
        }
    }
}
