package dev.mailpipe.runner;

import dev.mailpipe.config.ConfigurationException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.main.MainSupport;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * Turns camel-main's start failures about routes into configuration errors a user can act on: no
 * routes where {@code camel.main.routesIncludePattern} points (a missing folder fails deep in Camel
 * with a bare {@code NoSuchFileException}; an empty one starts nothing and would wait forever), and a
 * YAML error as one line with its file, line and column.
 */
final class RoutesCheck extends MainListenerSupport {

    static final String PATTERN = "camel.main.routesIncludePattern";

    private volatile ConfigurationException noRoutes;

    /** camel-main logs and swallows what a listener throws, so this stops the run and keeps the reason. */
    @Override
    public void afterStart(BaseMainSupport main) {
        if (main.getCamelContext().getRoutes().isEmpty()) {
            noRoutes = noRoutes(main);
            ((MainSupport) main).completed();
        }
    }

    /** Throws when the run was stopped because no route was loaded. */
    void throwIfNoRoutes() {
        if (noRoutes != null) {
            throw noRoutes;
        }
    }

    /** The configuration error a start failure stands for, if it is one about routes. */
    static Optional<ConfigurationException> explain(Throwable failure, BaseMainSupport main) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConfigurationException) {
                // A setting's own error (a password file that is missing) says more than its cause.
                return Optional.empty();
            }
            if (t instanceof NoSuchFileException) {
                return Optional.of(noRoutes(main));
            }
            if (t instanceof MarkedYamlEngineException yaml) {
                return Optional.of(new ConfigurationException(describe(yaml), yaml));
            }
        }
        return Optional.empty();
    }

    private static ConfigurationException noRoutes(BaseMainSupport main) {
        return new ConfigurationException(
                "no routes at " + where(main.configure().getRoutesIncludePattern())
                        + ": run from the project folder or set " + PATTERN);
    }

    /** The pattern with its file: entries made absolute, so the message says which folder was searched. */
    private static String where(String pattern) {
        return Arrays.stream(pattern.split(","))
                .map(String::strip)
                .map(entry -> entry.startsWith("file:")
                        ? Path.of(entry.substring("file:".length()))
                                .toAbsolutePath()
                                .normalize()
                                .toString()
                        : entry)
                .collect(Collectors.joining(", "));
    }

    private static String describe(MarkedYamlEngineException yaml) {
        Optional<Mark> mark = yaml.getProblemMark().or(yaml::getContextMark);
        String problem = yaml.getProblem() == null ? "" : yaml.getProblem().strip();
        String context = yaml.getContext() == null ? "" : yaml.getContext().strip() + ": ";
        return mark.map(m -> "YAML error in " + m.getName() + ", line " + (m.getLine() + 1) + ", column "
                        + (m.getColumn() + 1) + ": " + context + problem)
                .orElse("YAML error: " + context + problem);
    }
}
