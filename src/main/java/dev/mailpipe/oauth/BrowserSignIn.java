package dev.mailpipe.oauth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The authorization code grant with PKCE (RFC 7636) and a loopback redirect (RFC 8252 section 7.3):
 * listens on 127.0.0.1, prints the URL to open in a browser on this machine, takes the one answer
 * the browser brings back, checks its {@code state}, and exchanges the code with the verifier.
 */
final class BrowserSignIn {

    /** How long the user has to sign in. */
    static final Duration WAIT = Duration.ofMinutes(10);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final InetAddress LOOPBACK = loopback();
    /**
     * The JDK's HTTP server logs each request line (the authorization code with it) at DEBUG: held
     * here above that, whatever a logging configuration says, for as long as the class is loaded.
     */
    private static final java.util.logging.Logger JDK_HTTP_SERVER_LOG = quietJdkHttpServer();

    private final TokenEndpoint endpoint;
    private final URI authorizeUrl;
    private final int port;
    private final PrintStream out;

    /** What the browser brought back to the redirect URI. */
    private record Answer(Map<String, String> query) {}

    BrowserSignIn(TokenEndpoint endpoint, URI authorizeUrl, int port, PrintStream out) {
        this.endpoint = endpoint;
        this.authorizeUrl = authorizeUrl;
        this.port = port;
        this.out = out;
    }

    AccessToken signIn() throws TokenException {
        String verifier = random(32);
        String state = random(16);
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        HttpServer server;
        try {
            // 127.0.0.1 as the redirect URI says, even where Java prefers IPv6's ::1.
            server = HttpServer.create(new InetSocketAddress(LOOPBACK, port), 0);
        } catch (IOException e) {
            throw TokenException.unavailable(
                    "cannot listen on 127.0.0.1:" + port + " for the sign-in's answer (" + e.getMessage() + "); set "
                            + OAuthSettings.REDIRECT_PORT + " to a free port, or 0",
                    e);
        }
        server.createContext("/", exchange -> answer(exchange, answer, state));
        server.start();
        try {
            String redirect = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            out.println("Open this address in a browser on this machine and sign in:");
            out.println("  " + authorizationRequest(redirect, state, challenge(verifier)));
            out.println("Waiting for the sign-in to come back to " + redirect + " (up to " + WAIT.toMinutes()
                    + " minutes)...");
            out.flush();
            Map<String, String> query = await(answer).query();
            if (!state.equals(query.get("state"))) {
                throw TokenException.rejected("the sign-in's answer did not carry the state mailpipe sent (an old or"
                        + " forged link): ignored, nothing written; run mailpipe login again");
            }
            if (query.containsKey("error")) {
                throw TokenException.rejected("the sign-in was denied (" + query.get("error")
                        + (query.containsKey("error_description") ? ": " + query.get("error_description") : "")
                        + "): nothing written");
            }
            String code = query.getOrDefault("code", "");
            if (code.isBlank()) {
                throw TokenException.rejected("the sign-in came back without a code: nothing written");
            }
            return endpoint.request(
                    Map.of(
                            "grant_type", "authorization_code",
                            "code", code,
                            "redirect_uri", redirect,
                            "code_verifier", verifier),
                    "the authorization code was refused (it is valid once, for minutes); run mailpipe login again");
        } finally {
            // Up to a second for the answer's page to reach the browser (a denial ends at once).
            server.stop(1);
        }
    }

    private String authorizationRequest(String redirect, String state, String challenge) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", endpoint.client().clientId().orElseThrow());
        query.put("redirect_uri", redirect);
        endpoint.scope().ifPresent(scope -> query.put("scope", scope));
        query.put("state", state);
        query.put("code_challenge", challenge);
        query.put("code_challenge_method", "S256");
        // Google issues a refresh token only with these; other servers ignore them.
        query.put("access_type", "offline");
        query.put("prompt", "consent");
        String separator = authorizeUrl.getRawQuery() == null ? "?" : "&";
        return authorizeUrl + separator + TokenEndpoint.formBody(query);
    }

    /** Takes the first answer and tells the browser how it went; later ones are told it is over. */
    private static void answer(HttpExchange exchange, CompletableFuture<Answer> answer, String state)
            throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        boolean first = !answer.isDone() && (query.containsKey("code") || query.containsKey("error"));
        String page;
        int status;
        if (!first) {
            status = 404;
            page = "Nothing to do here.";
        } else if (!state.equals(query.get("state"))) {
            status = 400;
            page = "This sign-in answer does not belong to the running mailpipe login. Run it again.";
        } else if (query.containsKey("error")) {
            status = 200;
            page = "The sign-in was denied. You can close this window.";
        } else {
            status = 200;
            page = "Signed in. mailpipe login takes it from here; you can close this window.";
        }
        // Taken before the page is written: a browser that goes away before reading it changes nothing.
        if (first) {
            answer.complete(new Answer(query));
        }
        byte[] body = page.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream stream = exchange.getResponseBody()) {
            stream.write(body);
        }
    }

    private static Answer await(CompletableFuture<Answer> answer) throws TokenException {
        try {
            return answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw TokenException.rejected("no sign-in came back within " + WAIT.toMinutes()
                    + " minutes: nothing written; run mailpipe login again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TokenException.unavailable("interrupted while waiting for the sign-in", e);
        } catch (ExecutionException e) {
            throw TokenException.unavailable("the sign-in's answer could not be read: " + e.getCause(), e);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            query.putIfAbsent(
                    URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return query;
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.logging.Logger quietJdkHttpServer() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("com.sun.net.httpserver");
        logger.setLevel(java.util.logging.Level.INFO);
        return logger;
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return SignedJwt.base64url(value);
    }

    private static String challenge(String verifier) {
        try {
            return SignedJwt.base64url(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
