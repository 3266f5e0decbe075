package dev.mailpipe.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailpipe.config.ConfigurationException;
import dev.mailpipe.config.Settings;
import dev.mailpipe.oauth.OAuthSettings;
import dev.mailpipe.oauth.OAuthSettings.Grant;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each {@code mailbox.provider} resolves to, and that every setting still wins over it key by key. */
class MailboxProviderTest {

    @TempDir
    Path dir;

    private MailboxSettings resolve(Map<String, String> given) {
        return MailboxSettings.from(new Settings(key -> Optional.ofNullable(given.get(key))));
    }

    private Path refreshTokenFile() throws Exception {
        return Files.writeString(dir.resolve("refresh-token"), "1//refresh\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "yahoo,    pop.mail.yahoo.com",
        "aol,      pop.aol.com",
        "fastmail, pop.fastmail.com",
        "gmx,      pop.gmx.net",
        "webde,    pop3.web.de",
        "zoho,     pop.zoho.com"
    })
    void passwordProvidersArePop3sOn995AtTheirHost(String provider, String host) {
        MailboxSettings mailbox = resolve(
                Map.of("mailbox.provider", provider, "mailbox.username", "me", "mailbox.password", "app-password"));
        assertThat(mailbox.id()).isEqualTo(new MailboxId("pop3s", host, 995, "me"));
        assertThat(mailbox.starttls()).isFalse();
        assertThat(mailbox.oauth()).isEmpty();
        assertThat(mailbox.password()).isEqualTo("app-password");
    }

    @Test
    void gmailIsXoauth2WithGooglesTokenEndpointAndTheMailScope() throws Exception {
        MailboxSettings mailbox = resolve(Map.of(
                "mailbox.provider", "gmail",
                "mailbox.username", "me@gmail.com",
                "mailbox.oauth.clientId", "123.apps.googleusercontent.com",
                "mailbox.oauth.clientSecret", "GOCSPX-secret",
                "mailbox.oauth.refreshTokenFile", refreshTokenFile().toString()));
        assertThat(mailbox.id()).isEqualTo(new MailboxId("pop3s", "pop.gmail.com", 995, "me@gmail.com"));
        OAuthSettings oauth = mailbox.oauth().orElseThrow();
        assertThat(oauth.grant()).isEqualTo(Grant.REFRESH_TOKEN);
        assertThat(oauth.tokenUrl()).contains(URI.create("https://oauth2.googleapis.com/token"));
        assertThat(oauth.scope()).contains("https://mail.google.com/");
        assertThat(oauth.twoLine()).isFalse();
    }

    @Test
    void gmailWithAnAppPasswordSignsInWithThePassword() {
        MailboxSettings mailbox = resolve(Map.of(
                "mailbox.provider", "gmail",
                "mailbox.username", "me@gmail.com",
                "mailbox.password", "abcd efgh ijkl mnop"));
        assertThat(mailbox.oauth()).isEmpty();
        assertThat(mailbox.host()).isEqualTo("pop.gmail.com");
    }

    @Test
    void outlookIsTwoLineXoauth2ThroughTheConsumersTenantWithPopScope() throws Exception {
        MailboxSettings mailbox = resolve(Map.of(
                "mailbox.provider", "outlook",
                "mailbox.username", "me@outlook.com",
                "mailbox.oauth.clientId", "00000000-aaaa",
                "mailbox.oauth.refreshTokenFile", refreshTokenFile().toString()));
        assertThat(mailbox.id()).isEqualTo(new MailboxId("pop3s", "outlook.office365.com", 995, "me@outlook.com"));
        OAuthSettings oauth = mailbox.oauth().orElseThrow();
        assertThat(oauth.grant()).isEqualTo(Grant.REFRESH_TOKEN);
        assertThat(oauth.twoLine()).isTrue();
        assertThat(oauth.tokenUrl())
                .contains(URI.create("https://login.microsoftonline.com/consumers/oauth2/v2.0/token"));
        assertThat(oauth.scope()).contains("https://outlook.office.com/POP.AccessAsUser.All offline_access");
        assertThat(oauth.clientSecret()).as("a public client has none").isEmpty();
    }

    @Test
    void office365AppOnlyAccessUsesTheTenantAndTheDefaultScope() {
        MailboxSettings mailbox = resolve(Map.of(
                "mailbox.provider", "office365",
                "mailbox.username", "sales@contoso.com",
                "mailbox.oauth.tenant", "contoso.onmicrosoft.com",
                "mailbox.oauth.clientId", "app",
                "mailbox.oauth.clientSecret", "app-secret"));
        OAuthSettings oauth = mailbox.oauth().orElseThrow();
        assertThat(oauth.grant()).isEqualTo(Grant.CLIENT_CREDENTIALS);
        assertThat(oauth.twoLine()).isTrue();
        assertThat(oauth.tokenUrl())
                .contains(URI.create("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"));
        assertThat(oauth.scope()).contains("https://outlook.office365.com/.default");
    }

    @Test
    void office365DelegatedAccessGoesThroughOrganizationsWithPopScope() throws Exception {
        MailboxSettings mailbox = resolve(Map.of(
                "mailbox.provider", "office365",
                "mailbox.username", "me@contoso.com",
                "mailbox.oauth.clientId", "app",
                "mailbox.oauth.refreshTokenFile", refreshTokenFile().toString()));
        OAuthSettings oauth = mailbox.oauth().orElseThrow();
        assertThat(oauth.tokenUrl())
                .contains(URI.create("https://login.microsoftonline.com/organizations/oauth2/v2.0/token"));
        assertThat(oauth.scope()).contains("https://outlook.office.com/POP.AccessAsUser.All offline_access");
    }

    @Test
    void office365AppOnlyAccessWithoutATenantSaysToSetIt() {
        assertThatThrownBy(() -> resolve(Map.of(
                        "mailbox.provider", "office365",
                        "mailbox.username", "sales@contoso.com",
                        "mailbox.oauth.clientId", "app",
                        "mailbox.oauth.clientSecret", "app-secret")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(OAuthSettings.TENANT)
                .hasMessageNotContaining("app-secret");
    }

    @Test
    void everySettingWinsOverThePresetKeyByKey() throws Exception {
        Map<String, String> given = new HashMap<>(Map.of(
                "mailbox.provider", "office365",
                "mailbox.host", "pop.eu.example",
                "mailbox.port", "1995",
                "mailbox.username", "me@contoso.com",
                "mailbox.oauth.tokenUrl", "https://login.example/token",
                "mailbox.oauth.scope", "custom",
                "mailbox.oauth.twoLine", "false",
                "mailbox.oauth.clientId", "app",
                "mailbox.oauth.refreshTokenFile", refreshTokenFile().toString()));
        MailboxSettings mailbox = resolve(given);
        assertThat(mailbox.id()).isEqualTo(new MailboxId("pop3s", "pop.eu.example", 1995, "me@contoso.com"));
        OAuthSettings oauth = mailbox.oauth().orElseThrow();
        assertThat(oauth.tokenUrl()).contains(URI.create("https://login.example/token"));
        assertThat(oauth.scope()).contains("custom");
        assertThat(oauth.twoLine()).isFalse();
    }

    @Test
    void aProviderWithPlainPop3AndStarttlsUsesPort110() {
        MailboxSettings mailbox = resolve(Map.of(
                "mailbox.provider", "gmx",
                "mailbox.protocol", "pop3",
                "mailbox.starttls", "true",
                "mailbox.username", "me",
                "mailbox.password", "pw"));
        assertThat(mailbox.id()).isEqualTo(new MailboxId("pop3", "pop.gmx.net", 110, "me"));
        assertThat(mailbox.starttls()).isTrue();
    }

    @Test
    void gmailWithClientCredentialsSaysItNeedsARefreshToken() {
        assertThatThrownBy(() -> resolve(Map.of(
                        "mailbox.provider", "gmail",
                        "mailbox.username", "me@gmail.com",
                        "mailbox.oauth.clientId", "123.apps.googleusercontent.com",
                        "mailbox.oauth.clientSecret", "GOCSPX-secret")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("mailbox.oauth.refreshTokenFile is not set: gmail signs in on a user's behalf")
                .hasMessageNotContaining("GOCSPX-secret");
    }

    @Test
    void icloudIsRefusedBecauseItHasNoPop3() {
        assertThatThrownBy(() -> resolve(Map.of("mailbox.provider", "iCloud", "mailbox.username", "me")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("IMAP only, no POP3")
                .hasMessageContaining("MAILBOX_PROVIDER");
    }

    @Test
    void anUnknownProviderListsTheKnownOnes() {
        assertThatThrownBy(() -> resolve(Map.of("mailbox.provider", "hotmail", "mailbox.username", "me")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("gmail, outlook, office365, yahoo, aol, fastmail, gmx, webde, zoho")
                .hasMessageContaining("'hotmail'");
    }
}
