package dev.mailpipe.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.eclipse.angus.mail.util.BASE64DecoderStream;
import org.junit.jupiter.api.Test;

/**
 * The block decoder succeeds and fails where Angus's strict decoder does, with the same bytes,
 * wherever the reads split.
 */
class Base64BlocksTest {

    /** What a reader of the stream sees: the bytes, or the failure after the bytes before it. */
    private record Outcome(byte[] bytes, String failure) {}

    private static Outcome drain(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8191];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
            return new Outcome(out.toByteArray(), null);
        } catch (IOException e) {
            // Angus quotes the characters it read last; after a hand-over it has read fewer of them.
            return new Outcome(
                    out.toByteArray(), e.getMessage().replaceAll(", the \\d+ most recent characters were: .*", ""));
        }
    }

    /** A source that hands out at most {@code chunk} bytes per read, like a socket or a small buffer. */
    private static InputStream chunked(byte[] data, int chunk) {
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    private static void assertSameAsAngus(String name, byte[] encoded) {
        Outcome angus = drain(new BASE64DecoderStream(new ByteArrayInputStream(encoded), false));
        for (int chunk : new int[] {1, 3, 77, 4096, 1 << 20}) {
            Outcome ours = drain(new Base64Blocks(chunked(encoded, chunk)));
            assertThat(ours.failure())
                    .as("%s, reads of %d: failure", name, chunk)
                    .isEqualTo(angus.failure());
            if (angus.failure() == null) {
                assertThat(ours.bytes())
                        .as("%s, reads of %d: bytes", name, chunk)
                        .isEqualTo(angus.bytes());
            } else {
                // Angus drops the groups it decoded in the read that fails; the mapper discards a failed pass anyway.
                assertThat(ours.bytes().length).isGreaterThanOrEqualTo(angus.bytes().length);
                assertThat(Arrays.copyOf(ours.bytes(), angus.bytes().length))
                        .as("%s, reads of %d: bytes", name, chunk)
                        .isEqualTo(angus.bytes());
            }
        }
    }

    @Test
    void decodesLikeAngusForWellFormedAndBrokenInput() {
        Random random = new Random(42);
        List<byte[]> payloads = new ArrayList<>();
        for (int size : new int[] {0, 1, 2, 3, 4, 5, 57, 58, 59, 100_000, 300_001}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            payloads.add(data);
        }
        Base64.Encoder mime = Base64.getMimeEncoder();
        for (byte[] payload : payloads) {
            String encoded = mime.encodeToString(payload);
            String name = payload.length + " bytes";
            assertSameAsAngus(name + ", MIME lines", bytes(encoded + "\r\n"));
            assertSameAsAngus(name + ", no final line break", bytes(encoded));
            assertSameAsAngus(name + ", LF lines", bytes(encoded.replace("\r\n", "\n")));
            assertSameAsAngus(
                    name + ", one long line", bytes(Base64.getEncoder().encodeToString(payload)));
            assertSameAsAngus(name + ", unpadded", bytes(encoded.replace("=", "")));
            if (encoded.length() > 10) {
                int middle = encoded.length() / 2;
                assertSameAsAngus(
                        name + ", space inside",
                        bytes(encoded.substring(0, middle) + " \t" + encoded.substring(middle)));
                assertSameAsAngus(name + ", cut short", bytes(encoded.substring(0, middle + 1)));
                assertSameAsAngus(
                        name + ", padding inside",
                        bytes(encoded.substring(0, middle) + "==" + encoded.substring(middle)));
                assertSameAsAngus(name + ", data after the padding", bytes(encoded + "\r\nQUJD\r\n"));
            }
        }
    }

    @Test
    void garbageThatAngusSkipsIsAnError() {
        String encoded = Base64.getMimeEncoder().encodeToString(new byte[3000]);
        int middle = encoded.length() / 2;
        for (String garbage : List.of("!*\u00e9", "$$$$", "\u0000")) {
            byte[] broken = bytes(encoded.substring(0, middle) + garbage + encoded.substring(middle));
            assertThat(drain(new BASE64DecoderStream(new ByteArrayInputStream(broken), false))
                            .failure())
                    .isNull();
            for (int chunk : new int[] {1, 77, 1 << 20}) {
                assertThat(drain(new Base64Blocks(chunked(broken, chunk))).failure())
                        .as("%s, reads of %d", garbage, chunk)
                        .startsWith("not a base64 character");
            }
        }
    }

    @Test
    void singleByteReadsSeeTheSameBytes() throws IOException {
        byte[] payload = "single byte reads".getBytes(StandardCharsets.US_ASCII);
        InputStream in = new Base64Blocks(
                new ByteArrayInputStream(bytes(Base64.getMimeEncoder().encodeToString(payload))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            out.write(b);
        }
        assertThat(out.toByteArray()).isEqualTo(payload);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
