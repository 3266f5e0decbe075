package dev.mailpipe.ops;

import dev.mailpipe.config.BuildInfo;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.support.service.ServiceSupport;

/** mailpipe's Prometheus meter registry with the JVM's meters (memory, GC, threads, classes, CPU, uptime); closed when Camel stops. */
public final class MetricsService extends ServiceSupport {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public MetricsService() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // mailpipe_build_info{version,camel,java} 1: which build runs, for dashboards across a fleet.
        BuildInfo build = BuildInfo.current();
        io.micrometer.core.instrument.Gauge.builder("mailpipe.build.info", () -> 1)
                .description("The running build: mailpipe's, Apache Camel's and Java's versions; always 1")
                .tags("version", build.version(), "camel", build.camel(), "java", build.java())
                .register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The meters in Prometheus text exposition format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    protected void doStop() {
        gc.close();
        registry.close();
    }
}
