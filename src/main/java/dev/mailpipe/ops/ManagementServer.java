package dev.mailpipe.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management endpoints camel-main users know, on {@code management.host}:{@code management.port}:
 * {@code /observe/health}, {@code /observe/health/live}, {@code /observe/health/ready} (JSON, 503
 * when DOWN, naming each failing check and its reason) and {@code /observe/metrics} (Prometheus
 * text). Served by the JDK's HTTP server on two threads from Camel's ExecutorServiceManager:
 * camel-platform-http-main, which would serve these paths, is not available at Camel 4.22.0.
 */
public final class ManagementServer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Camel's exposure level that lists every check, not only the first UP or the DOWN ones. */
    private static final String FULL = "full";

    private final CamelContext context;
    private final ManagementSettings settings;
    private final MetricsService metrics;
    private HttpServer server;
    private ExecutorService executor;

    public ManagementServer(CamelContext context, ManagementSettings settings, MetricsService metrics) {
        this.context = context;
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    protected void doStart() throws IOException {
        server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 16);
        executor = context.getExecutorServiceManager().newFixedThreadPool(this, "management", 2);
        server.setExecutor(executor);
        server.createContext("/observe/", this::handle);
        server.start();
        LOG.info(
                "Management endpoints at http://{}:{}/observe/health, .../health/live, .../health/ready and"
                        + " .../metrics",
                settings.host(),
                server.getAddress().getPort());
    }

    @Override
    protected void doStop() {
        if (server != null) {
            server.stop(0);
        }
        if (executor != null) {
            context.getExecutorServiceManager().shutdown(executor);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n");
                return;
            }
            switch (exchange.getRequestURI().getPath()) {
                case "/observe/health" -> health(exchange, HealthCheckHelper.invoke(context, FULL));
                case "/observe/health/live" -> health(exchange, HealthCheckHelper.invokeLiveness(context, FULL));
                case "/observe/health/ready" -> health(exchange, HealthCheckHelper.invokeReadiness(context, FULL));
                case "/observe/metrics" ->
                    send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
                default -> send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
            }
        } catch (RuntimeException e) {
            // A failing check must not take the endpoint down; the reply says only that it failed.
            LOG.warn(
                    "Management endpoint {} failed: {}",
                    exchange.getRequestURI().getPath(),
                    e.toString());
            LOG.debug("Management endpoint failure", e);
            send(exchange, 500, "text/plain; charset=utf-8", "internal error\n");
        }
    }

    /**
     * Status, then every check with its state; a check that is not UP also gets its reason and,
     * for mailpipe's checks, its mailbox. Errors and other details are left out: they may carry text
     * from a server or a driver.
     */
    private static void health(HttpExchange exchange, Collection<HealthCheck.Result> results) throws IOException {
        boolean up = results.stream().allMatch(result -> result.getState() == HealthCheck.State.UP);
        ObjectNode body = JSON.createObjectNode();
        body.put("status", up ? "UP" : "DOWN");
        ArrayNode checks = body.putArray("checks");
        results.stream()
                .sorted(java.util.Comparator.comparing(
                        result -> result.getCheck().getId()))
                .forEach(result -> {
                    ObjectNode check = checks.addObject();
                    check.put("name", result.getCheck().getId());
                    check.put("status", result.getState().name());
                    if (result.getState() != HealthCheck.State.UP) {
                        result.getMessage().ifPresent(reason -> check.put("reason", reason));
                        Object mailbox = result.getDetails().get("mailbox");
                        if (mailbox != null) {
                            check.put("mailbox", mailbox.toString());
                        }
                    }
                });
        send(
                exchange,
                up ? 200 : 503,
                "application/json",
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The port the endpoints listen on (the configured one, once started). */
    public int port() {
        return server.getAddress().getPort();
    }
}
