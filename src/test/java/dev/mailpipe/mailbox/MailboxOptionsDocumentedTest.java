package dev.mailpipe.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.ExtendedPropertyConfigurerGetter;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * One option, one place: every mailbox option is declared in {@link MailboxConfiguration}; this test
 * fails when one is missing from the generated component metadata (or has no description there), the
 * route template's parameters, its {@code from:} block, or the docs (README, application.properties,
 * the release bundle's config/mailpipe.properties).
 */
class MailboxOptionsDocumentedTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The option list the component reads by reflection is the one the generated binder serves. */
    @Test
    void theOptionsAreTheGeneratedBindersOptions() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            PropertyConfigurer binder = PluginHelper.getConfigurerResolver(context)
                    .resolvePropertyConfigurer(MailboxConfiguration.class.getName(), context);
            assertThat(binder).isInstanceOf(ExtendedPropertyConfigurerGetter.class);
            // The binder names them as bean properties (Auth, BatchBytes), and takes either spelling.
            assertThat(((ExtendedPropertyConfigurerGetter) binder)
                            .getAllOptions(new MailboxConfiguration()).keySet().stream()
                                    .map(name -> Character.toLowerCase(name.charAt(0)) + name.substring(1))
                                    .toList())
                    .hasSameElementsAs(MailboxConfiguration.OPTIONS)
                    .contains("port", "oauthTokenUrl", "passwordEnv", "readTimeout");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "META-INF/dev/mailpipe/mailbox/mailbox.json",
                "META-INF/dev/mailpipe/files/mailpipe-files.json",
                "META-INF/dev/mailpipe/imap/imap-append.json"
            })
    void theGeneratedMetadataDescribesEveryOption(String resource) throws IOException {
        JsonNode metadata = metadata(resource);
        assertThat(metadata.path("component").path("description").asText()).isNotBlank();
        metadata.path("properties")
                .properties()
                .forEach(option -> assertThat(
                                option.getValue().path("description").asText())
                        .as("%s: option %s is described", resource, option.getKey())
                        .isNotBlank());
    }

    @Test
    void theMailboxMetadataHasEveryOptionWithItsSecrecy() throws IOException {
        JsonNode properties =
                metadata("META-INF/dev/mailpipe/mailbox/mailbox.json").path("properties");
        for (String option : MailboxConfiguration.OPTIONS) {
            assertThat(properties.path(option).path("configurationClass").asText())
                    .as("option %s in the metadata, from MailboxConfiguration", option)
                    .isEqualTo(MailboxConfiguration.class.getName());
        }
        for (String secret : List.of("username", "password", "oauthClientSecret")) {
            assertThat(properties.path(secret).path("secret").asBoolean())
                    .as("%s is secret", secret)
                    .isTrue();
        }
        assertThat(properties.path("pollDelay").path("secret").asBoolean()).isFalse();
        // camel-mail's own options stay, from the pop3s component it extends.
        assertThat(metadata("META-INF/dev/mailpipe/mailbox/mailbox.json")
                        .path("component")
                        .path("extendsScheme")
                        .asText())
                .isEqualTo("pop3s");
        assertThat(properties.path("maxMessagesPerPoll").path("description").asText())
                .isNotBlank();
        assertThat(properties.path("protocol").path("defaultValue").asText()).isEqualTo("pop3s");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRouteTemplateTakesEveryOptionAsADescribedParameterAndPassesItOn() throws IOException {
        Map<String, Object> template = null;
        for (Object entry : (List<Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("routes/mailbox.camel.yaml")))) {
            Map<String, Object> item = (Map<String, Object>) entry;
            if (item.containsKey("routeTemplate")) {
                template = (Map<String, Object>) item.get("routeTemplate");
            }
        }
        assertThat(template)
                .as("routes/mailbox.camel.yaml has the route template")
                .isNotNull();
        Map<String, Map<String, Object>> parameters = new LinkedHashMap<>();
        for (Object parameter : (List<Object>) template.get("parameters")) {
            Map<String, Object> p = (Map<String, Object>) parameter;
            parameters.put((String) p.get("name"), p);
        }
        parameters.forEach((name, parameter) -> assertThat((String) parameter.get("description"))
                .as("template parameter %s is described", name)
                .isNotBlank());
        Map<String, Object> from = (Map<String, Object>) ((Map<String, Object>) template.get("route")).get("from");
        assertThat((String) from.get("uri")).isEqualTo("mailbox://{{host}}");
        Map<String, Object> passedOn = (Map<String, Object>) from.get("parameters");
        for (String option : MailboxConfiguration.OPTIONS) {
            assertThat(parameters).as("template parameter %s", option).containsKey(option);
            assertThat(parameters.get(option).get("required"))
                    .as("%s may be left out", option)
                    .isEqualTo(false);
            assertThat(passedOn).as("from: passes %s on", option).containsEntry(option, "{{?" + option + "}}");
        }
        assertThat(passedOn.keySet())
                .as("from: passes on the mailbox options only")
                .hasSameElementsAs(MailboxConfiguration.OPTIONS);
    }

    @Test
    void theDocsListEveryOption() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String defaults = resource("application.properties");
        String bundle = Files.readString(Path.of("src/bundle/config/mailpipe.properties"));
        List<String> missing = new ArrayList<>();
        for (String option : MailboxConfiguration.OPTIONS) {
            if (!readme.contains("`" + option + "`")) {
                missing.add("README: the mailbox parameter " + option);
            }
            if (MailboxOptionGroups.PER_MAILBOX_ONLY.contains(option)) {
                continue;
            }
            String setting = MailboxConfiguration.settingOf(option);
            if (!readme.contains("| `" + setting + "` |")) {
                missing.add("README's settings table: " + setting);
            }
            if (!defaults.contains("\n" + setting + " =")) {
                missing.add("application.properties: " + setting);
            }
            if (!bundle.contains("\n# " + setting + " =")) {
                missing.add("config/mailpipe.properties: " + setting);
            }
        }
        assertThat(missing).isEmpty();
    }

    private static JsonNode metadata(String resource) throws IOException {
        try (InputStream in =
                MailboxOptionsDocumentedTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as("generated %s on the class path", resource).isNotNull();
            return JSON.readTree(in);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in =
                MailboxOptionsDocumentedTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
