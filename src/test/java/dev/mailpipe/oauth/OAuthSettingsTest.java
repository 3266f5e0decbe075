package dev.mailpipe.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailpipe.config.ConfigurationException;
import dev.mailpipe.config.Settings;
import dev.mailpipe.mailbox.JavaMailProperties;
import dev.mailpipe.mailbox.MailboxSettings;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mailbox.auth and mailbox.oauth.*: which token source a configuration means, and errors that name the key. */
class OAuthSettingsTest {

    @TempDir
    Path dir;

    private static Map<String, String> mailbox() {
        Map<String, String> settings = new HashMap<>();
        settings.put("mailbox.host", "outlook.office365.com");
        settings.put("mailbox.username", "alice@example.org");
        settings.put(OAuthSettings.AUTH, "xoauth2");
        return settings;
    }

    private static MailboxSettings read(Map<String, String> settings) {
        return MailboxSettings.from(new Settings(key -> Optional.ofNullable(settings.get(key))));
    }

    @Test
    void passwordIsTheDefault() {
        Map<String, String> settings = mailbox();
        settings.remove(OAuthSettings.AUTH);
        settings.put("mailbox.password", "pw");

        MailboxSettings mailbox = read(settings);

        assertThat(mailbox.oauth()).isEmpty();
        assertThat(JavaMailProperties.of(mailbox).stringPropertyNames()).noneMatch(key -> key.contains("xoauth2"));
    }

    @Test
    void clientSecretFromAFileMeansClientCredentials() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "the-secret\n");
        Map<String, String> settings = mailbox();
        settings.put(OAuthSettings.TOKEN_URL, "https://login.microsoftonline.com/t/oauth2/v2.0/token");
        settings.put(OAuthSettings.CLIENT_ID, "app");
        settings.put(OAuthSettings.CLIENT_SECRET_FILE, secret.toString());
        settings.put(OAuthSettings.TWO_LINE, "true");

        MailboxSettings mailbox = read(settings);

        OAuthSettings oauth = mailbox.oauth().orElseThrow();
        assertThat(oauth.grant()).isEqualTo(OAuthSettings.Grant.CLIENT_CREDENTIALS);
        assertThat(oauth.clientSecret()).contains("the-secret");
        assertThat(mailbox.password()).isEmpty();
        assertThat(mailbox.toString()).doesNotContain("the-secret").contains("client credentials of app");
        Properties properties = JavaMailProperties.of(mailbox);
        assertThat(properties.getProperty("mail.pop3s.auth.mechanisms")).isEqualTo("XOAUTH2");
        assertThat(properties.getProperty("mail.pop3s.auth.xoauth2.disable")).isEqualTo("false");
        assertThat(properties.getProperty("mail.pop3s.auth.xoauth2.two.line.authentication.format"))
                .isEqualTo("true");
        assertThat(jakarta.mail.Session.getInstance(properties).getStore("pop3s"))
                .as("the store that notices a refused token at sign-in")
                .isInstanceOf(dev.mailpipe.mailbox.XOAuth2Pop3Store.class);
        assertThat(jakarta.mail.Session.getInstance(new Properties()).getStore("pop3s"))
                .as("password sign-ins keep Angus's own")
                .isExactlyInstanceOf(org.eclipse.angus.mail.pop3.POP3SSLStore.class);
    }

    /** Every properties example of the README's Providers and OAuth2 sections, its files made up here. */
    private List<MailboxSettings> readmeProviderExamples() throws Exception {
        String readme = Files.readString(
                Path.of(System.getProperty("mailpipe.project.dir", ".")).resolve("README.md"));
        String section = readme.substring(readme.indexOf("### Providers"), readme.indexOf("\n## Many mailboxes"));
        List<MailboxSettings> examples = new ArrayList<>();
        String[] blocks = section.split("```properties\n");
        for (String block : List.of(blocks).subList(1, blocks.length)) {
            Properties example = new Properties();
            example.load(new StringReader(block.substring(0, block.indexOf("```"))));
            Map<String, String> settings = new HashMap<>();
            for (String key : example.stringPropertyNames()) {
                String value = example.getProperty(key);
                // The example's secret files do not exist here.
                settings.put(
                        key,
                        key.endsWith("File")
                                ? Files.writeString(dir.resolve(key), "s\n").toString()
                                : value);
            }
            // The Workspace example is a fleet's global settings: each mailbox names its user.
            settings.putIfAbsent("mailbox.username", "user@example.org");
            examples.add(read(settings));
        }
        return examples;
    }

    @Test
    void readmeProviderExamplesMeanWhatTheySay() throws Exception {
        List<MailboxSettings> examples = readmeProviderExamples();

        assertThat(examples).hasSize(5);
        MailboxSettings gmail = examples.get(0);
        assertThat(gmail.host()).isEqualTo("pop.gmail.com");
        assertThat(gmail.oauth()).as("an app password").isEmpty();
        MailboxSettings outlook = examples.get(1);
        assertThat(outlook.host()).isEqualTo("outlook.office365.com");
        OAuthSettings delegated = outlook.oauth().orElseThrow();
        assertThat(delegated.grant()).isEqualTo(OAuthSettings.Grant.REFRESH_TOKEN);
        assertThat(delegated.login().chosenFlow()).isEqualTo(OAuthSettings.Flow.DEVICE);
        assertThat(delegated.login().deviceAuthorizationUrl().orElseThrow().toString())
                .isEqualTo("https://login.microsoftonline.com/consumers/oauth2/v2.0/devicecode");
        MailboxSettings office365 = examples.get(2);
        OAuthSettings app = office365.oauth().orElseThrow();
        assertThat(app.grant()).isEqualTo(OAuthSettings.Grant.CLIENT_CREDENTIALS);
        assertThat(app.credential()).isInstanceOf(OAuthSettings.ClientCredential.Certificate.class);
        assertThat(app.twoLine()).isTrue();
        assertThat(app.scope()).contains("https://outlook.office365.com/.default");
        assertThat(app.tokenUrl().orElseThrow().toString())
                .isEqualTo("https://login.microsoftonline.com/YOUR-TENANT-ID/oauth2/v2.0/token");
        OAuthSettings personalGmail = examples.get(3).oauth().orElseThrow();
        assertThat(personalGmail.grant()).isEqualTo(OAuthSettings.Grant.REFRESH_TOKEN);
        assertThat(personalGmail.login().chosenFlow()).isEqualTo(OAuthSettings.Flow.BROWSER);
        assertThat(personalGmail.login().authorizeUrl().orElseThrow().toString())
                .isEqualTo("https://accounts.google.com/o/oauth2/v2/auth");
        assertThat(personalGmail.clientSecret()).isPresent();
        OAuthSettings workspace = examples.get(4).oauth().orElseThrow();
        assertThat(workspace.grant()).isEqualTo(OAuthSettings.Grant.SERVICE_ACCOUNT);
        assertThat(workspace.scope()).contains("https://mail.google.com/");
        assertThat(examples).allSatisfy(mailbox -> {
            assertThat(mailbox.protocol()).isEqualTo("pop3s");
            assertThat(mailbox.port()).isEqualTo(995);
        });
    }

    @Test
    void refreshTokenFileMeansTheRefreshGrantWithoutASecret() throws Exception {
        Path refresh = Files.writeString(dir.resolve("refresh"), "r\n");
        Map<String, String> settings = mailbox();
        settings.put(OAuthSettings.TOKEN_URL, "https://oauth2.googleapis.com/token");
        settings.put(OAuthSettings.CLIENT_ID, "app");
        settings.put(OAuthSettings.REFRESH_TOKEN_FILE, refresh.toString());

        OAuthSettings oauth = read(settings).oauth().orElseThrow();

        assertThat(oauth.grant()).isEqualTo(OAuthSettings.Grant.REFRESH_TOKEN);
        assertThat(oauth.clientSecret()).isEmpty();
    }

    @Test
    void tokenFileNeedsNoTokenEndpoint() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "t\n");
        Map<String, String> settings = mailbox();
        settings.put(OAuthSettings.TOKEN_FILE, token.toString());

        assertThat(read(settings).oauth().orElseThrow().grant()).isEqualTo(OAuthSettings.Grant.TOKEN_FILE);
    }

    @Test
    void clientCredentialsWithoutASecretNamesTheKey() {
        Map<String, String> settings = mailbox();
        settings.put(OAuthSettings.TOKEN_URL, "https://login.example.org/token");
        settings.put(OAuthSettings.CLIENT_ID, "app");

        assertThatThrownBy(() -> read(settings))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("mailbox.oauth.clientSecret is not set")
                .hasMessageContaining("MAILBOX_OAUTH_CLIENTSECRET");
    }

    @Test
    void plainHttpTokenEndpointIsRefusedBeyondThisMachine() {
        Map<String, String> settings = mailbox();
        settings.put(OAuthSettings.TOKEN_URL, "http://login.example.org/token");
        settings.put(OAuthSettings.CLIENT_ID, "app");
        settings.put(OAuthSettings.CLIENT_SECRET, "s");

        assertThatThrownBy(() -> read(settings))
                .hasMessageStartingWith("mailbox.oauth.tokenUrl must be an https:// URL");
    }

    @Test
    void passwordBesideXoauth2IsRefused() throws Exception {
        Map<String, String> settings = mailbox();
        settings.put(
                OAuthSettings.TOKEN_FILE,
                Files.writeString(dir.resolve("t"), "t").toString());
        settings.put("mailbox.password", "pw");

        assertThatThrownBy(() -> read(settings))
                .hasMessageStartingWith("mailbox.password is set, but mailbox.auth=xoauth2");
    }

    @Test
    void unknownAuthIsRefused() {
        Map<String, String> settings = mailbox();
        settings.put(OAuthSettings.AUTH, "oauthbearer");

        assertThatThrownBy(() -> read(settings)).hasMessageStartingWith("mailbox.auth must be password or xoauth2");
    }

    private Map<String, String> app() {
        Map<String, String> settings = mailbox();
        settings.put(OAuthSettings.TENANT, "example.org");
        settings.put(OAuthSettings.CLIENT_ID, "app");
        return settings;
    }

    @Test
    void aCertificateNeedsItsKeyAndExcludesASecret() throws Exception {
        String certificate = Files.writeString(dir.resolve("cert.pem"), "c").toString();
        Map<String, String> settings = app();
        settings.put(OAuthSettings.CLIENT_CERTIFICATE_FILE, certificate);

        assertThatThrownBy(() -> read(settings))
                .hasMessageStartingWith("mailbox.oauth.clientKeyFile is not set: a certificate credential needs both");

        settings.put(
                OAuthSettings.CLIENT_KEY_FILE,
                Files.writeString(dir.resolve("key.pem"), "k").toString());
        settings.put(OAuthSettings.CLIENT_SECRET, "s");
        assertThatThrownBy(() -> read(settings))
                .hasMessageStartingWith("mailbox.oauth.clientCertificateFile is set together with a client secret");
    }

    @Test
    void aCertificateFileThatHoldsNoKeyIsAConfigurationErrorNamingTheSetting() throws Exception {
        Map<String, String> settings = app();
        settings.put(
                OAuthSettings.CLIENT_CERTIFICATE_FILE,
                Files.writeString(dir.resolve("cert.pem"), "not a certificate").toString());
        settings.put(
                OAuthSettings.CLIENT_KEY_FILE,
                Files.writeString(dir.resolve("key.pem"), "k").toString());
        OAuthSettings oauth = read(settings).oauth().orElseThrow();

        assertThatThrownBy(() -> new TokenSources(java.time.Clock.systemUTC())
                        .of(oauth, "alice@example.org", java.time.Duration.ofSeconds(1)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("mailbox.oauth.clientCertificateFile")
                .hasMessageContaining("holds no PEM certificate");
    }

    @Test
    void aServiceAccountKeyIsNotATokenFileOrARefreshToken() throws Exception {
        Map<String, String> settings = mailbox();
        settings.put(
                OAuthSettings.SERVICE_ACCOUNT_KEY_FILE,
                Files.writeString(dir.resolve("key.json"), "{}").toString());
        settings.put(OAuthSettings.REFRESH_TOKEN_FILE, dir.resolve("refresh").toString());

        assertThatThrownBy(() -> read(settings))
                .hasMessageStartingWith(
                        "mailbox.oauth.serviceAccountKeyFile is set together with mailbox.oauth.refreshTokenFile");
    }

    @Test
    void aRefreshTokenFileMayNotExistYetButItsFolderMust() {
        Map<String, String> settings = app();
        settings.put(OAuthSettings.REFRESH_TOKEN_FILE, dir.resolve("later").toString());
        assertThat(read(settings).oauth().orElseThrow().grant()).isEqualTo(OAuthSettings.Grant.REFRESH_TOKEN);

        settings.put(
                OAuthSettings.REFRESH_TOKEN_FILE,
                dir.resolve("no-such-folder/later").toString());
        assertThatThrownBy(() -> read(settings))
                .hasMessageStartingWith("mailbox.oauth.refreshTokenFile is in a folder that does not exist");
    }

    @Test
    void theLoginFlowIsDeviceOrBrowserAndItsUrlsAreHttps() {
        Map<String, String> settings = app();
        settings.put(OAuthSettings.REFRESH_TOKEN_FILE, dir.resolve("r").toString());
        settings.put(OAuthSettings.FLOW, "magic-link");
        assertThatThrownBy(() -> read(settings))
                .hasMessageStartingWith("mailbox.oauth.flow must be device or browser, got 'magic-link'");

        settings.put(OAuthSettings.FLOW, "Browser");
        settings.put(OAuthSettings.AUTHORIZE_URL, "http://login.example.org/authorize");
        assertThatThrownBy(() -> read(settings))
                .hasMessageStartingWith("mailbox.oauth.authorizeUrl must be an https:// URL");

        settings.remove(OAuthSettings.AUTHORIZE_URL);
        OAuthSettings.Login login = read(settings).oauth().orElseThrow().login();
        assertThat(login.chosenFlow()).isEqualTo(OAuthSettings.Flow.BROWSER);
        assertThat(login.authorizeUrl().orElseThrow().toString())
                .isEqualTo("https://login.microsoftonline.com/example.org/oauth2/v2.0/authorize");
    }
}
