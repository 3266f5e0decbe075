package dev.mailpipe.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A token endpoint on loopback that answers with the responses a test queued, in order (and 500 when
 * none is left), recording each request's form body: for the answers a real OAuth2 server gives
 * rarely (a revoked secret, a rotated refresh token, a token that lives 20 seconds).
 */
public final class ScriptedTokenEndpoint implements AutoCloseable {

    private record Answer(int status, String json, java.util.Map<String, String> headers) {}

    private final HttpServer server;
    private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public ScriptedTokenEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", exchange -> {
            requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Answer answer = answers.poll();
            if (answer == null) {
                answer = new Answer(
                        500,
                        "{\"error\":\"server_error\",\"error_description\":\"nothing queued\"}",
                        java.util.Map.of());
            }
            byte[] body = answer.json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            answer.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** Queues a successful answer. */
    public ScriptedTokenEndpoint token(String accessToken, long expiresIn) {
        return answer(
                200,
                "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn
                        + "}");
    }

    /** Queues an answer as given. */
    public ScriptedTokenEndpoint answer(int status, String json) {
        return answer(status, json, java.util.Map.of());
    }

    /** Queues an answer as given, with these response headers. */
    public ScriptedTokenEndpoint answer(int status, String json, java.util.Map<String, String> headers) {
        answers.add(new Answer(status, json, headers));
        return this;
    }

    /** The form bodies received so far, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
