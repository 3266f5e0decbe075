package dev.mailpipe.runner;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Property lookup for commands that run without Camel (such as {@code ledger}), in camel-main's
 * order: environment variable, then system property, then the user's file, then the bundled
 * {@code application.properties}.
 */
public final class StandaloneSettings implements Function<String, Optional<String>> {

    private final Map<String, String> environment;
    private final Properties file;
    private final Properties bundled;

    private StandaloneSettings(Map<String, String> environment, Properties file, Properties bundled) {
        this.environment = environment;
        this.file = file;
        this.bundled = bundled;
    }

    public static StandaloneSettings load(Optional<Path> propertiesFile, Map<String, String> environment)
            throws IOException {
        Properties bundled = new Properties();
        try (InputStream in = StandaloneSettings.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                bundled.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
        }
        Properties file = new Properties();
        if (propertiesFile.isPresent()) {
            try (Reader in = Files.newBufferedReader(propertiesFile.get(), StandardCharsets.UTF_8)) {
                file.load(in);
            }
        }
        return new StandaloneSettings(environment, file, bundled);
    }

    @Override
    public Optional<String> apply(String key) {
        String fromEnvironment = environment.get(Settings.envName(key));
        if (fromEnvironment == null) {
            // camel-main also accepts the camelCase parts split by underscores: MAILBOX_POLL_DELAY.
            fromEnvironment = environment.get(key.replaceAll("([a-z])([A-Z])", "$1_$2")
                    .toUpperCase(Locale.ROOT)
                    .replace('.', '_'));
        }
        if (fromEnvironment != null) {
            return Optional.of(fromEnvironment);
        }
        String fromSystem = System.getProperty(key);
        if (fromSystem != null) {
            return Optional.of(fromSystem);
        }
        return Optional.ofNullable(file.getProperty(key, bundled.getProperty(key)));
    }
}
