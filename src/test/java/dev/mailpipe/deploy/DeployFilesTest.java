package dev.mailpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.config.BuildInfo;
import dev.mailpipe.config.Settings;
import dev.mailpipe.runner.PropertiesFiles;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The deployment files cannot drift from the code: the bundle's config/mailpipe.properties lists
 * every setting with its default; the Kubernetes manifests parse, name only settings mailpipe knows,
 * probe the management endpoints at their paths and port, and use the image the build makes; the
 * Containerfile and the systemd unit set only known settings.
 */
class DeployFilesTest {

    private static final Path PROJECT_DIR = Path.of(System.getProperty("mailpipe.project.dir", "."));
    private static final Path KUBERNETES = PROJECT_DIR.resolve("deploy/kubernetes");
    /** Variables the launcher reads, beside the settings. */
    private static final Set<String> LAUNCHER_VARIABLES =
            Set.of("MAILPIPE_CONFIG", "JAVA_OPTS", "MAILPIPE_JAR", "HOME");

    private static final Pattern SETTING = Pattern.compile("^([a-zA-Z][\\w.]*)\\s*=\\s*(.*)$");

    @Test
    void theBundlesConfigListsEverySettingCommentedOutWithItsDefault() throws IOException {
        List<String> config = Files.readAllLines(PROJECT_DIR.resolve("src/bundle/config/mailpipe.properties"));
        assertThat(config)
                .as("no setting is active in the template")
                .noneMatch(line -> SETTING.matcher(line.strip()).matches());
        Properties listed = new Properties();
        StringBuilder uncommented = new StringBuilder();
        for (String line : config) {
            Matcher setting =
                    SETTING.matcher(line.startsWith("# ") ? line.substring(2).strip() : "");
            if (setting.matches()) {
                uncommented.append(line.substring(2)).append('\n');
            }
        }
        listed.load(new StringReader(uncommented.toString()));
        Properties known = PropertiesFiles.bundled();
        for (String key : known.stringPropertyNames()) {
            assertThat(listed.getProperty(key))
                    .as("config/mailpipe.properties lists %s with its default", key)
                    .isEqualTo(known.getProperty(key));
        }
        assertThat(listed.stringPropertyNames()).isEqualTo(known.stringPropertyNames());
    }

    @Test
    void theKubernetesManifestsParseAndNameOnlyKnownSettings() throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Stream<Path> files = Files.walk(KUBERNETES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                for (Object document :
                        new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(file))) {
                    // Kubernetes objects; the routes ConfigMap's file is a list of routes.
                    if (document instanceof Map<?, ?>) {
                        documents.add(map(document));
                    }
                }
            }
        }
        List<Map<String, Object>> containers = new ArrayList<>();
        for (Map<String, Object> document : documents) {
            if ("Deployment".equals(document.get("kind"))) {
                containers.addAll(
                        list(map(map(map(document.get("spec")).get("template")).get("spec"))
                                .get("containers")));
            }
        }
        assertThat(containers)
                .as("the base's container and the overlay's patch")
                .hasSize(2);
        Set<String> names = new HashSet<>();
        for (Map<String, Object> container : containers) {
            for (Map<String, Object> variable : list(container.get("env"))) {
                names.add((String) variable.get("name"));
            }
        }
        assertThat(names)
                .isNotEmpty()
                .allSatisfy(name -> assertThat(isKnown(name))
                        .as("%s is a setting mailpipe knows", name)
                        .isTrue());
    }

    @Test
    void theRoutesConfigMapLoadsAsARoutesFile() throws IOException {
        Object routes = new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(KUBERNETES.resolve("base/mailboxes.camel.yaml")));
        assertThat(routes)
                .as("a YAML list of routes, empty until mailboxes are added")
                .isEqualTo(List.of());
    }

    @Test
    void theProbesHitTheManagementEndpointsAndTheImageIsTheBuildsOwn() throws IOException {
        Map<String, Object> deployment = map(new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(KUBERNETES.resolve("base/deployment.yaml"))));
        Map<String, Object> container = list(map(map(map(deployment.get("spec")).get("template"))
                                .get("spec"))
                        .get("containers"))
                .get(0);
        Map<String, String> env = new java.util.HashMap<>();
        list(container.get("env"))
                .forEach(variable -> env.put((String) variable.get("name"), (String) variable.get("value")));
        int port = (Integer) list(container.get("ports")).get(0).get("containerPort");
        assertThat(env.get("MANAGEMENT_PORT")).isEqualTo(Integer.toString(port));
        assertThat(env.get("MANAGEMENT_HOST")).isEqualTo("0.0.0.0");
        assertThat(map(map(container.get("livenessProbe")).get("httpGet")).get("path"))
                .isEqualTo("/observe/health/live");
        assertThat(map(map(container.get("readinessProbe")).get("httpGet")).get("path"))
                .isEqualTo("/observe/health/ready");
        assertThat(map(map(container.get("readinessProbe")).get("httpGet")).get("port"))
                .isEqualTo("management");

        String kustomization = Files.readString(KUBERNETES.resolve("base/kustomization.yaml"));
        assertThat(kustomization)
                .contains("newName: localhost/mailpipe")
                .contains("newTag: \"" + BuildInfo.current().version() + "\"");
        String containerfile = Files.readString(PROJECT_DIR.resolve("Containerfile"));
        assertThat(containerfile).contains("EXPOSE " + port).contains("MANAGEMENT_PORT=" + port);
    }

    @Test
    void theContainerfileAndTheSystemdUnitSetOnlyKnownSettings() throws IOException {
        Matcher containerEnv = Pattern.compile("(?m)^\\s*(?:ENV\\s+)?([A-Z][A-Z0-9_]*)=")
                .matcher(envBlock(Files.readString(PROJECT_DIR.resolve("Containerfile"))));
        List<String> names = new ArrayList<>();
        while (containerEnv.find()) {
            names.add(containerEnv.group(1));
        }
        Matcher unitEnv = Pattern.compile("(?m)^Environment=([A-Z][A-Z0-9_]*)=")
                .matcher(Files.readString(PROJECT_DIR.resolve("deploy/systemd/mailpipe.service")));
        while (unitEnv.find()) {
            names.add(unitEnv.group(1));
        }
        assertThat(names)
                .contains("MANAGEMENT_HOST", "LEDGER_DIR")
                .allSatisfy(name -> assertThat(isKnown(name))
                        .as("%s is a setting mailpipe knows", name)
                        .isTrue());
    }

    /** The Containerfile's ENV instruction, its continuation lines included. */
    private static String envBlock(String containerfile) {
        int start = containerfile.indexOf("\nENV ");
        int end = containerfile.indexOf("\nWORKDIR", start);
        return containerfile.substring(start + 1, end);
    }

    private static boolean isKnown(String variable) {
        if (LAUNCHER_VARIABLES.contains(variable)) {
            return true;
        }
        for (String key : PropertiesFiles.bundled().stringPropertyNames()) {
            if (Settings.envNames(key).contains(variable)) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object yaml) {
        return (Map<String, Object>) yaml;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object yaml) {
        return (List<Map<String, Object>>) yaml;
    }
}
