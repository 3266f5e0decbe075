package dev.mailpipe.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed, validated access to mailpipe's own properties; every error names the property and the
 * environment variable that sets it.
 */
public final class Settings {

    private final Function<String, Optional<String>> source;

    public Settings(Function<String, Optional<String>> source) {
        this.source = source;
    }

    /** The environment variable camel-main maps onto a property: {@code mailbox.pollDelay -> MAILBOX_POLLDELAY}. */
    public static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * Every environment variable camel-main reads for a property: {@link #envName} and, for camelCase
     * names, the parts split by underscores ({@code MAILBOX_POLL_DELAY}).
     */
    public static List<String> envNames(String property) {
        String split = property.replaceAll("([a-z])([A-Z])", "$1_$2")
                .toUpperCase(Locale.ROOT)
                .replace('.', '_')
                .replace('-', '_');
        return split.equals(envName(property)) ? List.of(split) : List.of(envName(property), split);
    }

    /** These settings with {@code first} asked before them: a blank or missing value there falls back here. */
    public Settings over(Function<String, Optional<String>> first) {
        return new Settings(
                key -> first.apply(key).filter(value -> !value.isBlank()).or(() -> source.apply(key)));
    }

    /** The trimmed value, empty when unset or blank. */
    public Optional<String> optional(String key) {
        return source.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String required(String key) {
        return optional(key).orElseThrow(() -> invalid(key, "is not set"));
    }

    public String string(String key, String fallback) {
        return optional(key).orElse(fallback);
    }

    public boolean bool(String key, boolean fallback) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, "must be true or false, got '" + value.get() + "'");
        };
    }

    public long number(String key, long fallback, long min, long max) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.get());
            if (parsed < min || parsed > max) {
                throw invalid(key, "must be between " + min + " and " + max + ", got " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw invalid(key, "must be a whole number, got '" + value.get() + "'");
        }
    }

    public static ConfigurationException invalid(String key, String problem) {
        return new ConfigurationException(
                key + " " + problem + " (property " + key + ", environment variable " + envName(key) + ")");
    }
}
