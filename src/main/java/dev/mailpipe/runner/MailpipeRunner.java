package dev.mailpipe.runner;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.main.MainListener;

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
        KnownKeys.checkUserSettings(propertiesFile);
        MailpipeMain main = new MailpipeMain();
        // The first location wins, so the user's file overrides the bundled defaults.
        main.setPropertyPlaceholderLocations(propertiesFile
                .map(file -> "file:" + file.toAbsolutePath() + "," + BUNDLED_PROPERTIES)
                .orElse(BUNDLED_PROPERTIES));
        overrides.forEach(main::addOverrideProperty);
        main.configure().addConfiguration(MailpipeBeans.class);
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
        }
        routes.throwIfNoRoutes();
        return main.oneShotExitCode().orElse(main.getExitCode());
    }
}
