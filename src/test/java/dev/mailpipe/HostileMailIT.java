package dev.mailpipe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailpipe.files.FilesLayout;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.testing.HostileMessages;
import dev.mailpipe.testing.RunnerProcess;
import dev.mailpipe.testing.StoredMessages;
import dev.mailpipe.testing.TestMailServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile mail through the packaged jar: {@code parse} answers each shape within 15 s in 128 MB of
 * heap, and a drain in 256 MB empties a mailbox made of all of them, each stored exactly once.
 */
class HostileMailIT {

    @RegisterExtension
    static final GreenMailExtension greenMail = TestMailServer.extension();

    @TempDir
    Path dir;

    private static Map<String, byte[]> shapes() {
        Map<String, byte[]> shapes = new LinkedHashMap<>();
        shapes.put("many-empty-parts", HostileMessages.manyEmptyParts());
        shapes.put("many-to-headers", HostileMessages.manyToHeaders());
        shapes.put("deep-fold", HostileMessages.deepFold());
        shapes.put("date-with-parens", HostileMessages.dateWithParens());
        shapes.put("address-with-parens", HostileMessages.addressWithParens());
        shapes.put("soft-line-breaks", HostileMessages.softLineBreaks());
        shapes.put("deep-nesting", HostileMessages.deepNesting(5_000));
        return shapes;
    }

    /** GreenMail parses what it is given recursively; the 5,000-deep nesting needs more than a default stack. */
    private static void deliverWithADeepStack(GreenMailUser user, byte[] raw) throws InterruptedException {
        Throwable[] failure = new Throwable[1];
        Thread delivery = new Thread(
                null,
                () -> {
                    try {
                        TestMailServer.deliver(user, raw);
                    } catch (Throwable t) {
                        failure[0] = t;
                    }
                },
                "deliver-hostile",
                512L * 1024 * 1024);
        delivery.start();
        delivery.join();
        assertThat(failure[0]).as("GreenMail took the message").isNull();
    }

    @Test
    void parseAnswersEachShapeWithin15SecondsIn128Megabytes() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (Map.Entry<String, byte[]> shape : shapes().entrySet()) {
            Path file = Files.write(dir.resolve(shape.getKey() + ".eml"), shape.getValue());
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx128m");
            command.addAll(RunnerProcess.launch());
            command.add("parse");
            command.add(file.toString());
            Path output = dir.resolve(shape.getKey() + ".json");
            long start = System.nanoTime();
            Process parse = new ProcessBuilder(command)
                    .redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            boolean ended = parse.waitFor(15, TimeUnit.SECONDS);
            if (!ended) {
                parse.destroyForcibly();
            }
            System.out.printf(
                    "parse %s (%d bytes): %.1f s%n",
                    shape.getKey(), shape.getValue().length, (System.nanoTime() - start) / 1e9);
            assertThat(ended).as(shape.getKey() + " parsed within 15 s").isTrue();
            assertThat(parse.exitValue()).as(shape.getKey()).isZero();
            JsonNode event = json.readTree(Files.readString(output, StandardCharsets.UTF_8));
            assertThat(event.get("schemaVersion").asInt()).as(shape.getKey()).isEqualTo(1);
        }
    }

    @Test
    void drainIn256MegabytesEmptiesAMailboxOfHostileMailStoringEachMessageOnce() throws Exception {
        GreenMailUser user = TestMailServer.user(greenMail);
        List<byte[]> sent = new ArrayList<>(TestMailServer.deliverSamples(user, 3));
        for (byte[] hostile : shapes().values()) {
            deliverWithADeepStack(user, hostile);
            sent.add(hostile);
        }
        List<String> settings = RunnerProcess.drainSettings(greenMail.getPop3s().getPort(), dir);
        settings.add("camel.main.durationMaxIdleSeconds=5");
        Path file = Files.writeString(dir.resolve("hostile.properties"), String.join("\n", settings));
        RunnerProcess runner =
                RunnerProcess.start(file, List.of("-Xmx256m"), Map.of(), dir.resolve("hostile-drain.log"));

        assertThat(runner.awaitExit(5)).as("exit code; see " + runner.log()).isZero();
        assertThat(TestMailServer.messagesLeft(greenMail, user)).isZero();
        MailboxId mailbox =
                new MailboxId("pop3s", "localhost", greenMail.getPop3s().getPort(), TestMailServer.USER);
        StoredMessages.assertExactly(new FilesLayout(dir.resolve("out"), mailbox).mailboxFolder(), sent);
    }
}
