package dev.mailpipe.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailpipe.config.ConfigurationException;
import dev.mailpipe.config.Settings;
import dev.mailpipe.oauth.OAuthSettings;
import java.net.URI;
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
    void aMailboxNamingItsProviderTakesTheProvidersServerAndSignInNotTheGlobalOnes() throws Exception {
        try (DefaultCamelContext context = context(
                name -> null,
                Map.of(
                        "mailbox.host", "pop.example.org",
                        "mailbox.port", "1995",
                        "mailbox.username", "alice",
                        "mailbox.password", "secret",
                        "mailbox.oauth.clientId", "global-app",
                        "mailbox.oauth.clientSecret", "global-app-secret"))) {
            MailboxEndpoint gmail = (MailboxEndpoint)
                    context.getEndpoint("mailbox:?provider=gmail&username=bob@gmail.com&oauthClientId=bobs-app"
                            + "&oauthRefreshTokenFile=" + refreshTokenFile());
            MailboxSettings bob = gmail.mailbox();
            assertThat(bob.id()).isEqualTo(new MailboxId("pop3s", "pop.gmail.com", 995, "bob@gmail.com"));
            assertThat(bob.password())
                    .as("no global password beside its own token source")
                    .isEmpty();
            OAuthSettings oauth = bob.oauth().orElseThrow();
            assertThat(oauth.grant()).isEqualTo(OAuthSettings.Grant.REFRESH_TOKEN);
            assertThat(oauth.tokenUrl()).contains(URI.create("https://oauth2.googleapis.com/token"));
            assertThat(oauth.clientId()).contains("bobs-app");
            assertThat(oauth.clientSecret())
                    .as("no global client secret for its app")
                    .isEmpty();
            assertThat(oauth.scope()).contains("https://mail.google.com/");
        }
    }

    @Test
    void aFleetOfOneMicrosoft365AppSharesTheGlobalClientCredentials() throws Exception {
        try (DefaultCamelContext context = context(
                name -> null,
                Map.of(
                        "mailbox.provider", "office365",
                        "mailbox.oauth.tenant", "contoso.onmicrosoft.com",
                        "mailbox.oauth.clientId", "app",
                        "mailbox.oauth.clientSecret", "app-secret"))) {
            for (String user : List.of("sales@contoso.com", "support@contoso.com")) {
                MailboxSettings mailbox =
                        ((MailboxEndpoint) context.getEndpoint("mailbox:?username=" + user)).mailbox();
                assertThat(mailbox.id()).isEqualTo(new MailboxId("pop3s", "outlook.office365.com", 995, user));
                OAuthSettings oauth = mailbox.oauth().orElseThrow();
                assertThat(oauth.grant()).isEqualTo(OAuthSettings.Grant.CLIENT_CREDENTIALS);
                assertThat(oauth.twoLine()).isTrue();
                assertThat(oauth.tokenUrl())
                        .contains(URI.create(
                                "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"));
                assertThat(oauth.scope()).contains("https://outlook.office365.com/.default");
                assertThat(oauth.clientSecret()).contains("app-secret");
            }
        }
    }

    private static final Map<String, String> OFFICE365_APP = Map.of(
            "mailbox.provider", "office365",
            "mailbox.oauth.tenant", "contoso.onmicrosoft.com",
            "mailbox.oauth.clientId", "app",
            "mailbox.oauth.clientSecret", "app-secret");

    @Test
    void aMailboxOnItsOwnServerNeverGetsTheGlobalProvidersAppOrItsToken() throws Exception {
        try (DefaultCamelContext context = context(name -> null, OFFICE365_APP)) {
            assertThatThrownBy(() -> context.getEndpoint("mailbox:pop.elsewhere.example?username=x"))
                    .hasRootCauseInstanceOf(ConfigurationException.class)
                    .rootCause()
                    .hasMessageContaining("mailbox.password is not set")
                    .hasMessageNotContaining("app-secret");
            MailboxSettings own = ((MailboxEndpoint)
                            context.getEndpoint("mailbox:pop.elsewhere.example?username=y&password=pw"))
                    .mailbox();
            assertThat(own.id()).isEqualTo(new MailboxId("pop3s", "pop.elsewhere.example", 995, "y"));
            assertThat(own.oauth())
                    .as("no global provider's XOAUTH2 for its own server")
                    .isEmpty();
        }
    }

    @Test
    void aMailboxOfAnotherProviderNeverGetsTheGlobalClientSecret() throws Exception {
        try (DefaultCamelContext context = context(name -> null, OFFICE365_APP)) {
            assertThatThrownBy(() -> context.getEndpoint("mailbox:?provider=gmail&username=u@gmail.com"))
                    .hasRootCauseInstanceOf(ConfigurationException.class)
                    .rootCause()
                    .hasMessageContaining("mailbox.oauth.clientId is not set")
                    .hasMessageNotContaining("app-secret");
        }
    }

    @Test
    void aMailboxNamingTheGlobalProviderKeepsTheGlobalTenantAndApp() throws Exception {
        try (DefaultCamelContext context = context(name -> null, OFFICE365_APP)) {
            OAuthSettings oauth = ((MailboxEndpoint)
                            context.getEndpoint("mailbox:?provider=office365&username=sales@contoso.com"))
                    .mailbox()
                    .oauth()
                    .orElseThrow();
            assertThat(oauth.tokenUrl().orElseThrow().toString()).contains("/contoso.onmicrosoft.com/");
            assertThat(oauth.clientSecret()).contains("app-secret");
        }
    }

    @Test
    void aGmailFleetSharesTheAppButEachUserHasItsOwnRefreshToken() throws Exception {
        String shared = refreshTokenFile();
        try (DefaultCamelContext context = context(
                name -> null,
                Map.of(
                        "mailbox.provider", "gmail",
                        "mailbox.oauth.clientId", "123.apps.googleusercontent.com",
                        "mailbox.oauth.clientSecret", "GOCSPX-secret",
                        "mailbox.oauth.refreshTokenFile", shared))) {
            String own = refreshTokenFile();
            OAuthSettings alice = ((MailboxEndpoint)
                            context.getEndpoint("mailbox:?username=alice@gmail.com&oauthRefreshTokenFile=" + own))
                    .mailbox()
                    .oauth()
                    .orElseThrow();
            assertThat(alice.clientId()).contains("123.apps.googleusercontent.com");
            assertThat(alice.clientSecret()).contains("GOCSPX-secret");
            assertThat(alice.refreshTokenFile()).contains(java.nio.file.Path.of(own));
            assertThatThrownBy(() -> context.getEndpoint("mailbox:?username=bob@gmail.com"))
                    .as("another user never gets the global refresh token")
                    .hasRootCauseInstanceOf(ConfigurationException.class);
        }
    }

    @Test
    void xoauth2OptionsOfOneMailboxStopItsGlobalPassword() throws Exception {
        try (DefaultCamelContext context = context(name -> null)) {
            MailboxEndpoint carol = (MailboxEndpoint) context.getEndpoint(
                    "mailbox:pop.example.org?username=carol&auth=xoauth2&oauthTokenFile=" + refreshTokenFile());
            assertThat(carol.mailbox().password()).isEmpty();
            assertThat(carol.mailbox().oauth().orElseThrow().grant()).isEqualTo(OAuthSettings.Grant.TOKEN_FILE);
            assertThat(carol.mailbox().toString()).doesNotContain("default-password");
        }
    }

    @Test
    void optionNamesFollowTheKeys() {
        assertThat(MailboxConfiguration.optionOf("mailbox.oauth.tokenUrl")).isEqualTo("oauthTokenUrl");
        assertThat(MailboxConfiguration.optionOf("mailbox.oauth.clientSecretFile"))
                .isEqualTo("oauthClientSecretFile");
        assertThat(MailboxConfiguration.optionOf("mailbox.pollDelay")).isEqualTo("pollDelay");
        assertThat(MailboxConfiguration.settingOf("oauthTwoLine")).isEqualTo("mailbox.oauth.twoLine");
        assertThat(MailboxConfiguration.settingOf("batchBytes")).isEqualTo("mailbox.batchBytes");
        for (String key : List.of(
                OAuthSettings.AUTH,
                OAuthSettings.TOKEN_URL,
                OAuthSettings.TENANT,
                OAuthSettings.CLIENT_ID,
                OAuthSettings.CLIENT_SECRET,
                OAuthSettings.CLIENT_SECRET_FILE,
                OAuthSettings.SCOPE,
                OAuthSettings.REFRESH_TOKEN_FILE,
                OAuthSettings.TOKEN_FILE,
                OAuthSettings.TWO_LINE)) {
            assertThat(MailboxConfiguration.OPTIONS)
                    .as("%s is an endpoint option", key)
                    .contains(MailboxConfiguration.optionOf(key));
            assertThat(MailboxConfiguration.settingOf(MailboxConfiguration.optionOf(key)))
                    .isEqualTo(key);
        }
    }

    private static String refreshTokenFile() throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("refresh", ".token");
        file.toFile().deleteOnExit();
        java.nio.file.Files.writeString(file, "a-refresh-token\n");
        return file.toString();
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

    /** These tests make endpoints and never poll: nothing is ever settled or deleted. */
    private static final DeletionListener NO_DELETIONS = new DeletionListener() {
        @Override
        public java.util.Set<String> settled(java.util.Collection<String> keys) {
            return java.util.Set.of();
        }

        @Override
        public void deletionsSent(java.util.List<String> keys, boolean quitAcknowledged) {}
    };

    private static DefaultCamelContext context(java.util.function.Function<String, String> environment) {
        return context(environment, GLOBAL);
    }

    private static DefaultCamelContext context(
            java.util.function.Function<String, String> environment, Map<String, String> global) {
        DefaultCamelContext context = new DefaultCamelContext();
        MailboxComponent component = new MailboxComponent(
                new Settings(key -> Optional.ofNullable(global.get(key))), mailbox -> NO_DELETIONS, status -> {}, 8, 2);
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
