package dev.mailpipe.runner;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Reads the bundled {@code application.properties} and the user's properties file, both UTF-8. */
public final class PropertiesFiles {

    private PropertiesFiles() {}

    /** The defaults shipped in the jar; it is part of the build, so failing to read it is a bug, not a setting. */
    public static Properties bundled() {
        Properties bundled = new Properties();
        try (InputStream in = PropertiesFiles.class.getResourceAsStream("/application.properties")) {
            if (in == null) {
                throw new IllegalStateException("application.properties is missing from the class path");
            }
            bundled.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bundled;
    }

    public static Properties read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        return properties;
    }
}
