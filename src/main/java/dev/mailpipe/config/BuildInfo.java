package dev.mailpipe.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What this build is: mailpipe's version, the Apache Camel it was built with, and the Java that runs
 * it. Read from {@code mailpipe-build.properties}, which the build writes.
 *
 * @param version mailpipe's version (semantic versioning; CHANGELOG.md)
 * @param camel the Apache Camel version
 * @param java the Java runtime's version
 */
public record BuildInfo(String version, String camel, String java) {

    private static final BuildInfo CURRENT = read();

    public static BuildInfo current() {
        return CURRENT;
    }

    /** {@code mailpipe 0.3.0 (Apache Camel 4.22.0, Java 17.0.17+10)}: what {@code --version} prints. */
    @Override
    public String toString() {
        return "mailpipe " + version + " (Apache Camel " + camel + ", Java " + java + ")";
    }

    private static BuildInfo read() {
        Properties build = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/mailpipe-build.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read mailpipe-build.properties from the jar", e);
        }
        return new BuildInfo(
                build.getProperty("version", "unknown"),
                build.getProperty("camel", "unknown"),
                Runtime.version().toString());
    }
}
