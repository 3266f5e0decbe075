package dev.mailpipe.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the management endpoints answer, apart from how it travels: {@code /observe/health},
 * {@code /observe/health/live}, {@code /observe/health/ready} (JSON, 503 when DOWN, naming each
 * failing check and its reason) and {@code /observe/metrics} (Prometheus text); 405 for methods
 * other than GET and HEAD, 404 for other paths.
 */
final class ManagementEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementEndpoints.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Camel's exposure level that lists every check, not only the first UP or the DOWN ones. */
    private static final String FULL = "full";
    /** Counts a mailbox check reports beside its state, served when they are not zero. */
    private static final List<String> COUNTS = List.of("parked", "keptByServer");

    /** What {@code GET /} answers: the endpoints, so a person who tries the port learns where to look. */
    static final String INDEX = """
            mailpipe management endpoints:
              /observe/health         every check (200 UP, 503 DOWN)
              /observe/health/live    liveness: the process works (Kubernetes livenessProbe)
              /observe/health/ready   readiness: every mailbox can be drained (Kubernetes readinessProbe)
              /observe/metrics        Prometheus metrics
            """;

    private final CamelContext context;
    private final MetricsService metrics;

    ManagementEndpoints(CamelContext context, MetricsService metrics) {
        this.context = context;
        this.metrics = metrics;
    }

    /** An answer: status, content type, body, and an {@code Allow} header for 405. */
    record Response(int status, String contentType, String body, String allow) {
        static Response of(int status, String contentType, String body) {
            return new Response(status, contentType, body, null);
        }
    }

    Response answer(String method, String path) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return new Response(405, "text/plain; charset=utf-8", "only GET and HEAD\n", "GET, HEAD");
        }
        try {
            return switch (path) {
                case "/observe/health" -> health(HealthCheckHelper.invoke(context, FULL));
                case "/observe/health/live" -> health(HealthCheckHelper.invokeLiveness(context, FULL));
                case "/observe/health/ready" -> health(HealthCheckHelper.invokeReadiness(context, FULL));
                case "/" -> Response.of(200, "text/plain; charset=utf-8", INDEX);
                case "/observe/metrics" ->
                    Response.of(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
                default -> Response.of(404, "text/plain; charset=utf-8", "not found\n");
            };
        } catch (RuntimeException | JsonProcessingException e) {
            // A failing check must not take the endpoint down; the reply says only that it failed.
            LOG.warn("Management endpoint {} failed: {}", path, e.toString());
            LOG.debug("Management endpoint failure", e);
            return Response.of(500, "text/plain; charset=utf-8", "internal error\n");
        }
    }

    /**
     * Status, then every check with its state; a check that is not UP also gets its reason and,
     * for mailpipe's checks, its mailbox; a mailbox's parked and kept-by-server counts when not zero,
     * and whether this instance polls it; the cluster check's mailbox routes held here.
     * Errors and other details are left out: they may carry text from a server or a driver.
     */
    private static Response health(Collection<HealthCheck.Result> results) throws JsonProcessingException {
        boolean up = results.stream().allMatch(result -> result.getState() == HealthCheck.State.UP);
        ObjectNode body = JSON.createObjectNode();
        body.put("status", up ? "UP" : "DOWN");
        body.put("version", dev.mailpipe.config.BuildInfo.current().version());
        ArrayNode checks = body.putArray("checks");
        results.stream()
                .sorted(Comparator.comparing(result -> result.getCheck().getId()))
                .forEach(result -> {
                    ObjectNode check = checks.addObject();
                    check.put("name", result.getCheck().getId());
                    check.put("status", result.getState().name());
                    Map<String, Object> details = result.getDetails();
                    if (result.getState() != HealthCheck.State.UP) {
                        result.getMessage().ifPresent(reason -> check.put("reason", reason));
                        Object mailbox = details.get("mailbox");
                        if (mailbox != null) {
                            check.put("mailbox", mailbox.toString());
                        }
                    }
                    for (String count : COUNTS) {
                        if (details.get(count) instanceof Number number && number.longValue() != 0) {
                            check.put(count, number.longValue());
                        }
                    }
                    // mailpipe's own details the README promises: whether this instance polls the
                    // mailbox, and the cluster check's mailboxes held here.
                    if (details.get("polledHere") instanceof Boolean polledHere) {
                        check.put("polledHere", polledHere);
                    }
                    if (details.get("held") instanceof Collection<?> held) {
                        ArrayNode routes = check.putArray("held");
                        held.forEach(route -> routes.add(route.toString()));
                    }
                });
        return Response.of(
                up ? 200 : 503,
                "application/json",
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
    }
}
