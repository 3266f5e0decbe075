package dev.mailpipe.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** These settings, and where they leave a key blank or unset, {@code fallback} (defaults beneath them). */
    public Settings orElse(Function<String, Optional<String>> fallback) {
        return new Settings(key -> optional(key).or(() -> fallback.apply(key)));
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

    /** A file the key names, checked to be readable now rather than at first use. */
    public Optional<Path> readableFile(String key) {
        Optional<Path> file = optional(key).map(Path::of);
        file.ifPresent(path -> {
            if (!Files.isReadable(path)) {
                throw invalid(key, "names a file that cannot be read: " + path);
            }
        });
        return file;
    }

    /**
     * A secret given either as written ({@code key}) or in a file ({@code fileKey}, stripped of the
     * trailing newline editors and {@code echo} leave); empty when neither is set, an error when both are.
     */
    public Optional<String> secret(String key, String fileKey) {
        Optional<String> inline = optional(key);
        Optional<String> file = optional(fileKey);
        if (inline.isPresent() && file.isPresent()) {
            throw invalid(fileKey, "is set together with " + key + "; set only one");
        }
        if (file.isEmpty()) {
            return inline;
        }
        Path path = Path.of(file.get());
        try {
            String secret = Files.readString(path, StandardCharsets.UTF_8).strip();
            if (secret.isEmpty()) {
                throw invalid(fileKey, "names an empty file: " + path);
            }
            return Optional.of(secret);
        } catch (IOException e) {
            throw new ConfigurationException(
                    fileKey + " names a file that cannot be read: " + path.toAbsolutePath() + " (" + reason(e) + ")",
                    e);
        }
    }

    /** The OS's reason in words: the JDK's own message for these is only the path again. */
    public static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    public static ConfigurationException invalid(String key, String problem) {
        return new ConfigurationException(
                key + " " + problem + " (property " + key + ", environment variable " + envName(key) + ")");
    }
}
