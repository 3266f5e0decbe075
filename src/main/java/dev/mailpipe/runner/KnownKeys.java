package dev.mailpipe.runner;

import dev.mailpipe.config.ConfigurationException;
import dev.mailpipe.config.Settings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * mailpipe's own keys ({@code mailbox.*}, {@code sink.*}, {@code ledger.*}, {@code management.*}) are those of the bundled
 * {@code application.properties}; a key the user sets outside that list is a typo (or a key that was
 * removed) that would otherwise be silently ignored, so it stops the start.
 */
public final class KnownKeys {

    private static final List<String> PREFIXES = List.of("mailbox.", "sink.", "ledger.", "management.", "cluster.");

    /** Keys that were removed, with what replaced them: setting one is an error, not a silent no-op. */
    private static final Map<String, String> REMOVED = Map.of(
            "ledger.claimSeconds", "a claim now lasts as long as its instance lives (see ledger.heartbeatSeconds)");

    private final Set<String> keys;
    /** Environment variable -> key, for every spelling camel-main accepts. */
    private final Map<String, String> byEnvName = new HashMap<>();

    KnownKeys(Set<String> keys) {
        this.keys = new TreeSet<>(keys);
        for (String key : this.keys) {
            Settings.envNames(key).forEach(name -> byEnvName.put(name, key));
        }
        for (String key : REMOVED.keySet()) {
            Settings.envNames(key).forEach(name -> byEnvName.put(name, key));
        }
    }

    /** The mailpipe keys of the bundled application.properties. */
    public static KnownKeys bundled() {
        return new KnownKeys(mailpipeKeys(PropertiesFiles.bundled()));
    }

    /** Checks the user's file (when given), this JVM's system properties and its environment. */
    public static void checkUserSettings(Optional<Path> propertiesFile) throws IOException {
        Properties file = propertiesFile.isPresent() ? PropertiesFiles.read(propertiesFile.get()) : new Properties();
        bundled()
                .check(
                        file,
                        propertiesFile.map(Path::toString).orElse("the properties file"),
                        System.getProperties(),
                        System.getenv());
    }

    /**
     * Throws a {@link ConfigurationException} listing every unknown or removed mailpipe key among the
     * user's file, the system properties ({@code -D}) and the environment variables.
     *
     * @param fileName how to name the file in the message
     */
    public void check(Properties file, String fileName, Properties system, Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        mailpipeKeys(file).forEach(key -> problem(key, key + " in " + fileName).ifPresent(problems::add));
        mailpipeKeys(system).forEach(key -> problem(key, "-D" + key).ifPresent(problems::add));
        environment.keySet().stream()
                .filter(KnownKeys::isMailpipeEnvName)
                .sorted()
                .forEach(name -> environmentProblem(name).ifPresent(problems::add));
        if (!problems.isEmpty()) {
            throw new ConfigurationException(String.join("; ", problems));
        }
    }

    private Optional<String> problem(String key, String where) {
        if (REMOVED.containsKey(key)) {
            return Optional.of(key + " was removed: " + REMOVED.get(key));
        }
        if (keys.contains(key)) {
            return Optional.empty();
        }
        return Optional.of("unknown setting " + where + " (did you mean " + closest(key) + "?)");
    }

    private Optional<String> environmentProblem(String name) {
        String key = byEnvName.get(name);
        if (key != null) {
            return REMOVED.containsKey(key) ? problem(key, name) : Optional.empty();
        }
        String guess = closestTo(name, byEnvName.keySet());
        return Optional.of("unknown setting in environment variable " + name + " (did you mean " + guess + ", property "
                + byEnvName.get(guess) + "?)");
    }

    /** The known key nearest to a misspelt one; case is ignored, as typos in case are common. */
    String closest(String key) {
        return closestTo(key, keys);
    }

    private static String closestTo(String wrong, Set<String> candidates) {
        String lower = wrong.toLowerCase(Locale.ROOT);
        return candidates.stream()
                .min(Comparator.comparingInt((String c) -> distance(lower, c.toLowerCase(Locale.ROOT)))
                        .thenComparing(Comparator.naturalOrder()))
                .orElseThrow();
    }

    /** Levenshtein distance: insertions, deletions and substitutions each cost one. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static Set<String> mailpipeKeys(Properties properties) {
        Set<String> found = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (PREFIXES.stream().anyMatch(key::startsWith)) {
                found.add(key);
            }
        }
        return found;
    }

    private static boolean isMailpipeEnvName(String name) {
        return PREFIXES.stream().anyMatch(prefix -> name.startsWith(Settings.envName(prefix)));
    }
}
