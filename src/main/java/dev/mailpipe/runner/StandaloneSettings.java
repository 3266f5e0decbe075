package dev.mailpipe.runner;

import dev.mailpipe.config.Settings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
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
        Properties file = propertiesFile.isPresent() ? PropertiesFiles.read(propertiesFile.get()) : new Properties();
        return new StandaloneSettings(environment, file, PropertiesFiles.bundled());
    }

    @Override
    public Optional<String> apply(String key) {
        Optional<String> fromEnvironment = Settings.envNames(key).stream()
                .map(environment::get)
                .filter(Objects::nonNull)
                .findFirst();
        if (fromEnvironment.isPresent()) {
            return fromEnvironment;
        }
        String fromSystem = System.getProperty(key);
        if (fromSystem != null) {
            return Optional.of(fromSystem);
        }
        return Optional.ofNullable(file.getProperty(key, bundled.getProperty(key)));
    }
}
