package dev.mailpipe.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailpipe.config.ConfigurationException;
import dev.mailpipe.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** A mailbox endpoint's options over the global mailbox.* settings, and its secrets taken as written. */
class MailboxEndpointOptionsTest {

    private static final Map<String, String> GLOBAL = Map.of(
            "mailbox.port", "1995",
            "mailbox.protocol", "pop3s",
            "mailbox.username", "default-user",
            "mailbox.password", "default-password",
            "mailbox.pollDelay", "60000");

    @Test
    void optionsOverrideTheGlobalSettingsAndBlankOnesFallBackToThem() throws Exception {
        try (DefaultCamelContext context = context(name -> null)) {
            MailboxEndpoint bob = (MailboxEndpoint)
                    context.getEndpoint("mailbox:pop.example.org?protocol=pop3&port=1110&username=bob&pollDelay=");
            assertThat(bob.mailbox().id()).isEqualTo(new MailboxId("pop3", "pop.example.org", 1110, "bob"));
            assertThat(bob.mailbox().pollDelay()).isEqualTo(60_000);
            assertThat(bob.getDelay()).isEqualTo(60_000);
            assertThat(password(bob)).isEqualTo("default-password");
        }
    }

    @Test
    void aMailboxNamingOneSecretOrItsProtocolTakesNoOtherFromTheGlobalSettings() throws Exception {
        try (DefaultCamelContext context = context(name -> name.equals("CAROL_PASSWORD") ? "carol-pw" : null)) {
            MailboxEndpoint carol = (MailboxEndpoint) context.getEndpoint(
                    "mailbox:pop.example.org?username=carol&passwordEnv=CAROL_PASSWORD&protocol=pop3");
            assertThat(password(carol)).isEqualTo("carol-pw");
            assertThat(carol.mailbox().port())
                    .as("pop3's port, not the global one")
                    .isEqualTo(110);
        }
    }

    @Test
    void aMailboxOnAnotherServerNeverGetsTheDefaultMailboxsLogin() throws Exception {
        try (DefaultCamelContext context = context(
                name -> null,
                Map.of("mailbox.host", "pop.example.org", "mailbox.username", "alice", "mailbox.password", "secret"))) {
            assertThatThrownBy(() -> context.getEndpoint("mailbox:other.example.net"))
                    .hasRootCauseInstanceOf(ConfigurationException.class)
                    .rootCause()
                    .hasMessageContaining("mailbox.username is not set")
                    .hasMessageNotContaining("secret");
            MailboxEndpoint same = (MailboxEndpoint) context.getEndpoint("mailbox:POP.example.org");
            assertThat(password(same)).isEqualTo("secret");
        }
    }

    @Test
    void firstPollsAreSpreadOverThePollDelayInTheOrderTheMailboxesWereMade() throws Exception {
        try (DefaultCamelContext context = context(name -> null)) {
            List<MailboxEndpoint> fleet = new ArrayList<>();
            for (String user : List.of("a", "b", "c")) {
                fleet.add((MailboxEndpoint)
                        context.getEndpoint("mailbox:pop.example.org?username=" + user + "&pollDelay=60000"));
            }
            MailboxComponent component = fleet.get(0).getComponent();
            assertThat(fleet).extracting(component::firstPollDelay).containsExactly(0L, 20_000L, 40_000L);
        }
    }

    @Test
    void passwordEnvReadsTheVariableAsWritten() throws Exception {
        String secret = "p&ss+w%rd {{x}} #1";
        try (DefaultCamelContext context = context(name -> name.equals("BOB_PASSWORD") ? secret : null)) {
            MailboxEndpoint bob = (MailboxEndpoint)
                    context.getEndpoint("mailbox:pop.example.org?username=bob&passwordEnv=BOB_PASSWORD");
            assertThat(password(bob)).isEqualTo(secret);
        }
    }

    @Test
    void passwordEnvNamingAnUnsetVariableStopsTheStartNamingIt() throws Exception {
        try (DefaultCamelContext context = context(name -> null)) {
            assertThatThrownBy(() -> context.getEndpoint("mailbox:pop.example.org?username=bob&passwordEnv=NOT_SET"))
                    .hasRootCauseInstanceOf(ConfigurationException.class)
                    .rootCause()
                    .hasMessageContaining("NOT_SET")
                    .hasMessageContaining("pop.example.org");
        }
    }

    @Test
    void theSameMailboxInTwoEndpointsIsRefused() throws Exception {
        try (DefaultCamelContext context = context(name -> null)) {
            context.getEndpoint("mailbox:pop.example.org?username=bob");
            assertThatThrownBy(() -> context.getEndpoint("mailbox:POP.example.org?username=bob&pollDelay=5"))
                    .hasRootCauseInstanceOf(ConfigurationException.class)
                    .rootCause()
                    .hasMessageContaining("pop3s://bob@pop.example.org:1995 is declared twice");
        }
    }

    private static DefaultCamelContext context(java.util.function.Function<String, String> environment) {
        return context(environment, GLOBAL);
    }

    private static DefaultCamelContext context(
            java.util.function.Function<String, String> environment, Map<String, String> global) {
        DefaultCamelContext context = new DefaultCamelContext();
        MailboxComponent component = new MailboxComponent(
                new Settings(key -> Optional.ofNullable(global.get(key))), mailbox -> uidls -> {}, status -> {}, 8, 2);
        component.setEnvironment(environment);
        context.addComponent(MailboxComponent.SCHEME, component);
        return context;
    }

    private static String password(MailboxEndpoint endpoint) {
        return ((MailboxCredentials) endpoint.getConfiguration().getAuthenticator())
                .getPasswordAuthentication()
                .getPassword();
    }
}
