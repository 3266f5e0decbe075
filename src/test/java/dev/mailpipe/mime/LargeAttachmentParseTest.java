package dev.mailpipe.mime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailpipe.Application;
import dev.mailpipe.common.Sha256;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parse command maps a message with a 100 MB attachment in a JVM with a 128 MB heap: it streams. */
class LargeAttachmentParseTest {

    private static final int ATTACHMENT_BYTES = 100 * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void parsesAHundredMegabyteAttachmentWithA128MegabyteHeap() throws Exception {
        Path eml = dir.resolve("large.eml");
        MessageDigest digest = Sha256.newDigest();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(eml), 1 << 16)) {
            out.write(("From: a@example.org\r\nTo: b@example.org\r\nSubject: large\r\nMIME-Version: 1.0\r\n"
                            + "Content-Type: multipart/mixed; boundary=\"x\"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\n"
                            + "see attached\r\n--x\r\nContent-Type: application/octet-stream\r\n"
                            + "Content-Disposition: attachment; filename=\"big.bin\"\r\n"
                            + "Content-Transfer-Encoding: base64\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            OutputStream base64 = Base64.getMimeEncoder().wrap(new NonClosing(out));
            Random random = new Random(7);
            byte[] chunk = new byte[57 * 1024];
            for (int written = 0; written < ATTACHMENT_BYTES; written += chunk.length) {
                random.nextBytes(chunk);
                int length = Math.min(chunk.length, ATTACHMENT_BYTES - written);
                digest.update(chunk, 0, length);
                base64.write(chunk, 0, length);
            }
            base64.close();
            out.write("\r\n--x--\r\n".getBytes(StandardCharsets.US_ASCII));
        }

        Process parse = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx128m",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Application.class.getName(),
                        "parse",
                        eml.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String output = new String(parse.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(parse.waitFor(5, TimeUnit.MINUTES)).isTrue();

        assertThat(parse.exitValue()).isZero();
        JsonNode event = new ObjectMapper().readTree(output);
        JsonNode attachment = event.get("attachments").get(0);
        assertThat(attachment.get("filename").asText()).isEqualTo("big.bin");
        assertThat(attachment.get("size").asLong()).isEqualTo(ATTACHMENT_BYTES);
        assertThat(attachment.get("sha256").asText()).isEqualTo(Sha256.hex(digest.digest()));
        assertThat(event.get("text").get("content").asText()).isEqualTo("see attached");
    }

    /** Lets the base64 encoder finish its last line without closing the file under it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws java.io.IOException {
            flush();
        }
    }
}
