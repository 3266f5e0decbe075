package dev.mailpipe.runner;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListener;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.main.MainSupport;

/** Boots camel-main with mailpipe's properties, beans and YAML routes, and runs until it stops. */
public final class MailpipeRunner {

    private static final String BUNDLED_PROPERTIES = "classpath:application.properties;optional=true";

    private MailpipeRunner() {}

    /**
     * Runs until shutdown (SIGTERM or SIGINT included); returns the one-shot run's exit code when it
     * ended by itself with something left undone (see {@link OneShotDrain}), camel-main's otherwise.
     */
    public static int run(Optional<Path> propertiesFile, Map<String, String> overrides, MainListener... listeners)
            throws Exception {
        return boot(propertiesFile, overrides, false, listeners);
    }

    /**
     * Loads the settings and the routes as {@link #run} does (the same errors), but opens nothing
     * (no ledger, no files folder, no cluster, no management port) and starts no route; hands the
     * loaded context to {@code inspection} and returns what it made of it.
     */
    public static <T> T inspect(Optional<Path> propertiesFile, Function<CamelContext, T> inspection) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        MainListener inspect = new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport main) {
                if (!main.getCamelContext().getRoutes().isEmpty()) {
                    result.set(inspection.apply(main.getCamelContext()));
                }
                ((MainSupport) main).completed();
            }
        };
        boot(
                propertiesFile,
                Map.of("camel.main.autoStartup", "false", "camel.main.durationMaxIdleSeconds", "0"),
                true,
                inspect);
        return result.get();
    }

    /**
     * An installed bundle's routes ({@code bin/mailpipe} sets {@code MAILPIPE_HOME}): taken when the
     * working folder has no {@code routes/} and no other routes are configured, so the service runs
     * from any folder. A checkout (no {@code MAILPIPE_HOME}) keeps {@code file:routes/*.yaml}.
     */
    static Optional<String> installedRoutes(Optional<Path> propertiesFile) throws java.io.IOException {
        String home = System.getenv("MAILPIPE_HOME");
        if (home == null || home.isBlank() || java.nio.file.Files.isDirectory(Path.of("routes"))) {
            return Optional.empty();
        }
        Path routes = Path.of(home, "routes").toAbsolutePath();
        String configured = StandaloneSettings.load(propertiesFile, System.getenv())
                .apply(RoutesCheck.PATTERN)
                .orElse("");
        boolean untouched = configured.equals(PropertiesFiles.bundled().getProperty(RoutesCheck.PATTERN));
        return untouched && java.nio.file.Files.isDirectory(routes)
                ? Optional.of("file:" + routes + "/*.yaml")
                : Optional.empty();
    }

    private static int boot(
            Optional<Path> propertiesFile, Map<String, String> overrides, boolean checkOnly, MainListener... listeners)
            throws Exception {
        KnownKeys.checkUserSettings(propertiesFile);
        MailpipeMain main = new MailpipeMain();
        // The first location wins, so the user's file overrides the bundled defaults.
        main.setPropertyPlaceholderLocations(propertiesFile
                .map(file -> "file:" + file.toAbsolutePath() + "," + BUNDLED_PROPERTIES)
                .orElse(BUNDLED_PROPERTIES));
        installedRoutes(propertiesFile).ifPresent(pattern -> main.addOverrideProperty(RoutesCheck.PATTERN, pattern));
        overrides.forEach(main::addOverrideProperty);
        main.configure().addConfiguration(new MailpipeBeans(checkOnly));
        RoutesCheck routes = new RoutesCheck();
        main.addMainListener(routes);
        main.addMainListener(new MailboxRoutes());
        for (MainListener listener : listeners) {
            main.addMainListener(listener);
        }
        try (StopSignals signals = StopSignals.stopping(main)) {
            main.run();
        } catch (RuntimeException e) {
            throw RoutesCheck.explain(e, main).orElseThrow(() -> e);
        } finally {
            // After a failed start camel-main's JVM shutdown hook is still armed, and at System.exit it
            // would log "JVM shutdown hook triggered by SIGTERM" that nobody sent.
            main.completed();
        }
        routes.throwIfNoRoutes();
        return main.oneShotExitCode().orElse(main.getExitCode());
    }
}
