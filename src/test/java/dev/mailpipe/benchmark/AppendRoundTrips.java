package dev.mailpipe.benchmark;

import dev.mailpipe.common.TrustedCertificates;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * What the IMAP extensions that save round trips would buy the sink (issue #34, part 2), measured
 * on the wire with a minimal client over IMAPS (TCP_NODELAY, as the sink's sockets): one APPEND per
 * message with a synchronizing literal (waiting for the server's "+"), the same with LITERAL+ (what
 * the sink sends: Angus Mail uses it when offered), and MULTIAPPEND (RFC 3502) batches of 4 (the
 * sink threads' default, the most a batch of concurrent messages could hold) and of 50.
 */
final class AppendRoundTrips {

    /** How the messages are sent. */
    enum Way {
        SYNCHRONIZING("APPEND per message, synchronizing literal", 1, false),
        LITERAL_PLUS("APPEND per message, LITERAL+ (the sink)", 1, true),
        MULTIAPPEND_4("MULTIAPPEND, 4 messages a command", 4, true),
        MULTIAPPEND_50("MULTIAPPEND, 50 messages a command", 50, true);

        final String label;
        final int batch;
        final boolean nonSynchronizing;

        Way(String label, int batch, boolean nonSynchronizing) {
            this.label = label;
            this.batch = batch;
            this.nonSynchronizing = nonSynchronizing;
        }
    }

    private AppendRoundTrips() {}

    /** Messages a second of each way at each link: {@code links} maps a label to the IMAPS port to use. */
    static String markdown(
            java.util.Map<String, Integer> links,
            List<Path> messages,
            Path caFile,
            String user,
            String password,
            int runs)
            throws Exception {
        StringBuilder md = new StringBuilder();
        md.append("\n### Round trips per APPEND: ")
                .append(messages.size())
                .append(" messages, minimal client over IMAPS, medians of ")
                .append(runs)
                .append(" runs\n\n");
        md.append("| link | way | msg/s | x per-message LITERAL+ |\n|---|---|---:|---:|\n");
        List<byte[]> raws = new ArrayList<>();
        for (Path message : messages) {
            raws.add(Files.readAllBytes(message));
        }
        for (var link : links.entrySet()) {
            java.util.Map<Way, Double> rates = new java.util.EnumMap<>(Way.class);
            for (Way way : Way.values()) {
                List<Double> seconds = new ArrayList<>();
                for (int run = 1; run <= runs; run++) {
                    seconds.add(send(link.getValue(), caFile, user, password, "RoundTrips", raws, way, true));
                }
                double median = BenchmarkReport.median(seconds, s -> s);
                rates.put(way, raws.size() / median);
                DrainBenchmark.log("%s, %s: %.2f s", link.getKey(), way.label, median);
            }
            for (Way way : Way.values()) {
                md.append("| %s | %s | %.0f | %.2fx |\n"
                        .formatted(
                                link.getKey(),
                                way.label,
                                rates.get(way),
                                rates.get(way) / rates.get(Way.LITERAL_PLUS)));
            }
        }
        return md.toString();
    }

    /**
     * Sends every message the given way on one fresh connection; returns the seconds from the first
     * APPEND to the last answer. {@code scratch}: the folder is made first and deleted after.
     */
    static double send(
            int port,
            Path caFile,
            String user,
            String password,
            String folder,
            List<byte[]> raws,
            Way way,
            boolean scratch)
            throws IOException {
        try (SSLSocket socket = (SSLSocket)
                TrustedCertificates.socketFactoryTrusting(caFile, "ca").createSocket("localhost", port)) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            expect(in, null);
            command(out, "a LOGIN " + user + " " + password);
            expect(in, "a");
            if (scratch) {
                command(out, "c CREATE " + folder);
                expect(in, "c");
            }
            // Selected, as the sink keeps its folder: Dovecot appends to a selected mailbox without
            // opening it again (unselected, an APPEND into 100,000 messages took 70 ms, not 3).
            command(out, "e EXAMINE " + folder);
            expect(in, "e");
            long started = System.nanoTime();
            int tag = 0;
            for (int first = 0; first < raws.size(); first += way.batch) {
                String t = "t" + tag++;
                out.write((t + " APPEND " + folder).getBytes(StandardCharsets.US_ASCII));
                for (byte[] raw : raws.subList(first, Math.min(raws.size(), first + way.batch))) {
                    out.write((" (\\Seen) {" + raw.length + (way.nonSynchronizing ? "+" : "") + "}\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    if (!way.nonSynchronizing) {
                        String go = line(in);
                        if (!go.startsWith("+")) {
                            throw new IOException("no continuation: " + go);
                        }
                    }
                    out.write(raw);
                }
                command(out, "");
                expect(in, t);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (scratch) {
                command(out, "d DELETE " + folder);
                expect(in, "d");
            }
            command(out, "z LOGOUT");
            return seconds;
        }
    }

    private static void command(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads up to the tagged answer of {@code tag} (or the greeting when null), failing on anything but OK. */
    private static void expect(InputStream in, String tag) throws IOException {
        while (true) {
            String line = line(in);
            if (tag == null && line.startsWith("* OK")) {
                return;
            }
            if (tag != null && line.startsWith(tag + " ")) {
                if (!line.startsWith(tag + " OK")) {
                    throw new IOException(line);
                }
                return;
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1; ) {
            if (b == '\n') {
                return line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
            }
            line.write(b);
        }
        throw new IOException("the server closed the connection");
    }
}
