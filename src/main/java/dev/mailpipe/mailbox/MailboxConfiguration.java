package dev.mailpipe.mailbox;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Every option of a {@code mailbox:} endpoint, declared once. Camel's tooling generates the option
 * binder and the component's JSON (for Kaoto, the VS Code extension, {@code camel catalog}) from the
 * annotations here; the route template's parameters, the {@code mailbox.*} settings and the README
 * list the same names, and {@code MailboxOptionsDocumentedTest} fails when one is missing.
 *
 * <p>Each option is a text as written, so that a blank template parameter reads as "not given" and
 * the check of its value, with a message naming the setting, stays in one place: {@link
 * MailboxSettings#from}. The option {@code oauthTokenUrl} is the setting {@code mailbox.oauth.tokenUrl}
 * ({@link #settingOf}). The component's defaults are the global {@code mailbox.*} settings, read into
 * one of these ({@link MailboxComponent}); an endpoint's own options take their place by the rules of
 * {@link MailboxOptionGroups}.
 */
@UriParams
@Configurer(extended = true)
public class MailboxConfiguration implements Cloneable {

    /** The options' names, as declared below. */
    public static final List<String> OPTIONS = Arrays.stream(MailboxConfiguration.class.getDeclaredFields())
            .filter(field -> field.isAnnotationPresent(UriParam.class))
            .map(Field::getName)
            .toList();

    @UriParam(
            description = "A provider's host, port and sign-in as defaults beneath the other options.",
            enums = "gmail,outlook,office365,yahoo,aol,fastmail,gmx,webde,zoho")
    private String provider;

    @UriParam(
            description = "pop3s (TLS from the first byte) or pop3 (plain, or STARTTLS with starttls).",
            defaultValue = "pop3s",
            enums = "pop3,pop3s")
    private String protocol;

    @UriParam(description = "POP3 server port; blank: 995 for pop3s, 110 for pop3.")
    private String port;

    @UriParam(label = "security", description = "Login name.", secret = true)
    private String username;

    @UriParam(
            label = "security",
            description = "Password, taken as written (a secret option: Camel passes it as RAW()); it must not"
                    + " contain a property placeholder. Prefer passwordFile or passwordEnv.",
            secret = true)
    private String password;

    @UriParam(label = "security", description = "File holding the password (a trailing newline is ignored).")
    private String passwordFile;

    @UriParam(
            label = "security",
            description = "Name of an environment variable holding the password, taken as written. Per"
                    + " mailbox only: there is no global setting of it.")
    private String passwordEnv;

    @UriParam(
            label = "security",
            description = "password, or xoauth2: SASL XOAUTH2 with an OAuth2 access token.",
            defaultValue = "password",
            enums = "password,xoauth2")
    private String auth;

    @UriParam(label = "security", description = "xoauth2: the token endpoint (https; http only on localhost).")
    private String oauthTokenUrl;

    @UriParam(
            label = "security",
            description = "xoauth2 at Microsoft: the tenant's id or domain, instead of the token endpoint's URL.")
    private String oauthTenant;

    @UriParam(label = "security", description = "xoauth2: the app's client id.")
    private String oauthClientId;

    @UriParam(
            label = "security",
            description = "xoauth2: the app's client secret, taken as written. Prefer oauthClientSecretFile.",
            secret = true)
    private String oauthClientSecret;

    @UriParam(
            label = "security",
            description = "xoauth2: file holding the client secret (a trailing newline is ignored).")
    private String oauthClientSecretFile;

    @UriParam(label = "security", description = "xoauth2: the scope asked for.")
    private String oauthScope;

    @UriParam(
            label = "security",
            description = "xoauth2: file holding a refresh token (delegated access); a rotated refresh token"
                    + " is written back to it atomically, readable by the owner only.")
    private String oauthRefreshTokenFile;

    @UriParam(
            label = "security",
            description = "xoauth2: file holding an access token that another program keeps current.")
    private String oauthTokenFile;

    @UriParam(
            label = "security",
            description = "xoauth2: the two-line form (the token on a line of its own) that Microsoft requires.",
            defaultValue = "false")
    private String oauthTwoLine;

    @UriParam(
            label = "security",
            description = "xoauth2, client credentials: PEM certificate of the app (uploaded to its registration);"
                    + " its key signs each request instead of a client secret.")
    private String oauthClientCertificateFile;

    @UriParam(
            label = "security",
            description = "xoauth2: PEM private key (PKCS#8 or PKCS#1, unencrypted) of oauthClientCertificateFile.")
    private String oauthClientKeyFile;

    @UriParam(
            label = "security",
            description = "xoauth2, Google Workspace: the service account's JSON key (domain-wide delegation);"
                    + " signs in as the mailbox's username.")
    private String oauthServiceAccountKeyFile;

    @UriParam(
            label = "security",
            description = "mailpipe login: device (a code to enter on any device) or browser (a browser on this"
                    + " machine). Blank: device where the server offers it, else browser.",
            enums = "device,browser")
    private String oauthFlow;

    @UriParam(
            label = "security",
            description = "mailpipe login, browser: the authorization endpoint. Blank: the provider's, or from"
                    + " oauthTenant.")
    private String oauthAuthorizeUrl;

    @UriParam(
            label = "security",
            description = "mailpipe login, device: the device authorization endpoint. Blank: from oauthTenant.")
    private String oauthDeviceAuthorizationUrl;

    @UriParam(
            label = "security",
            description = "mailpipe login, browser: the port on 127.0.0.1 the sign-in returns to; 0 for any free"
                    + " one (the app registration must allow it).",
            defaultValue = "0")
    private String oauthRedirectPort;

    @UriParam(
            label = "security",
            description = "PEM file of the CA certificates to trust instead of the JDK's. Certificates and host"
                    + " names are always verified.")
    private String caFile;

    @UriParam(
            label = "security",
            description = "pop3 only: require the STLS upgrade before logging in.",
            defaultValue = "false")
    private String starttls;

    @UriParam(
            label = "consumer",
            description =
                    "Delete each message from the server once every sink has it and the ledger has" + " recorded it.",
            defaultValue = "true")
    private String delete;

    @UriParam(
            label = "consumer",
            description = "Milliseconds between polls once the mailbox is drained, and before a failed message"
                    + " is retried.",
            defaultValue = "60000")
    private String pollDelay;

    @UriParam(
            label = "consumer",
            description = "Messages per POP3 session; deletions are committed at the QUIT that ends each batch.",
            defaultValue = "500")
    private String batchSize;

    @UriParam(
            label = "consumer",
            description = "A batch also ends once it has downloaded this many bytes.",
            defaultValue = "268435456")
    private String batchBytes;

    @UriParam(
            label = "consumer",
            description = "Failures of its own after which a message is dead-lettered and deleted (outages do"
                    + " not count).",
            defaultValue = "5")
    private String maxAttempts;

    @UriParam(
            label = "advanced",
            description = "Milliseconds to connect and to receive the server's greeting.",
            defaultValue = "30000")
    private String connectTimeout;

    @UriParam(
            label = "advanced",
            description = "Milliseconds of silence from a connected server before the session is given up.",
            defaultValue = "120000")
    private String readTimeout;

    /** The prefix of the global settings, and of the group whose options carry it in their name. */
    private static final String SETTINGS = "mailbox.";

    private static final String OAUTH = "oauth";

    /** The {@code mailbox.*} setting of an option: {@code oauthTokenUrl -> mailbox.oauth.tokenUrl}. */
    public static String settingOf(String option) {
        if (option.startsWith(OAUTH)
                && option.length() > OAUTH.length()
                && Character.isUpperCase(option.charAt(OAUTH.length()))) {
            return SETTINGS + OAUTH + "." + Character.toLowerCase(option.charAt(OAUTH.length()))
                    + option.substring(OAUTH.length() + 1);
        }
        return SETTINGS + option;
    }

    /** The option of a {@code mailbox.*} setting: {@code mailbox.oauth.tokenUrl -> oauthTokenUrl}. */
    public static String optionOf(String setting) {
        String key = setting.startsWith(SETTINGS) ? setting.substring(SETTINGS.length()) : setting;
        String group = OAUTH + ".";
        if (key.startsWith(group) && key.length() > group.length()) {
            return OAUTH + Character.toUpperCase(key.charAt(group.length())) + key.substring(group.length() + 1);
        }
        return key;
    }

    public MailboxConfiguration copy() {
        try {
            return (MailboxConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    public String getProvider() {
        return provider;
    }

    public void setProvider(String provider) {
        this.provider = provider;
    }

    public String getProtocol() {
        return protocol;
    }

    public void setProtocol(String protocol) {
        this.protocol = protocol;
    }

    public String getPort() {
        return port;
    }

    public void setPort(String port) {
        this.port = port;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getPasswordFile() {
        return passwordFile;
    }

    public void setPasswordFile(String passwordFile) {
        this.passwordFile = passwordFile;
    }

    public String getPasswordEnv() {
        return passwordEnv;
    }

    public void setPasswordEnv(String passwordEnv) {
        this.passwordEnv = passwordEnv;
    }

    public String getAuth() {
        return auth;
    }

    public void setAuth(String auth) {
        this.auth = auth;
    }

    public String getOauthTokenUrl() {
        return oauthTokenUrl;
    }

    public void setOauthTokenUrl(String oauthTokenUrl) {
        this.oauthTokenUrl = oauthTokenUrl;
    }

    public String getOauthTenant() {
        return oauthTenant;
    }

    public void setOauthTenant(String oauthTenant) {
        this.oauthTenant = oauthTenant;
    }

    public String getOauthClientId() {
        return oauthClientId;
    }

    public void setOauthClientId(String oauthClientId) {
        this.oauthClientId = oauthClientId;
    }

    public String getOauthClientSecret() {
        return oauthClientSecret;
    }

    public void setOauthClientSecret(String oauthClientSecret) {
        this.oauthClientSecret = oauthClientSecret;
    }

    public String getOauthClientSecretFile() {
        return oauthClientSecretFile;
    }

    public void setOauthClientSecretFile(String oauthClientSecretFile) {
        this.oauthClientSecretFile = oauthClientSecretFile;
    }

    public String getOauthScope() {
        return oauthScope;
    }

    public void setOauthScope(String oauthScope) {
        this.oauthScope = oauthScope;
    }

    public String getOauthRefreshTokenFile() {
        return oauthRefreshTokenFile;
    }

    public void setOauthRefreshTokenFile(String oauthRefreshTokenFile) {
        this.oauthRefreshTokenFile = oauthRefreshTokenFile;
    }

    public String getOauthTokenFile() {
        return oauthTokenFile;
    }

    public void setOauthTokenFile(String oauthTokenFile) {
        this.oauthTokenFile = oauthTokenFile;
    }

    public String getOauthTwoLine() {
        return oauthTwoLine;
    }

    public void setOauthTwoLine(String oauthTwoLine) {
        this.oauthTwoLine = oauthTwoLine;
    }

    public String getOauthClientCertificateFile() {
        return oauthClientCertificateFile;
    }

    public void setOauthClientCertificateFile(String oauthClientCertificateFile) {
        this.oauthClientCertificateFile = oauthClientCertificateFile;
    }

    public String getOauthClientKeyFile() {
        return oauthClientKeyFile;
    }

    public void setOauthClientKeyFile(String oauthClientKeyFile) {
        this.oauthClientKeyFile = oauthClientKeyFile;
    }

    public String getOauthServiceAccountKeyFile() {
        return oauthServiceAccountKeyFile;
    }

    public void setOauthServiceAccountKeyFile(String oauthServiceAccountKeyFile) {
        this.oauthServiceAccountKeyFile = oauthServiceAccountKeyFile;
    }

    public String getOauthFlow() {
        return oauthFlow;
    }

    public void setOauthFlow(String oauthFlow) {
        this.oauthFlow = oauthFlow;
    }

    public String getOauthAuthorizeUrl() {
        return oauthAuthorizeUrl;
    }

    public void setOauthAuthorizeUrl(String oauthAuthorizeUrl) {
        this.oauthAuthorizeUrl = oauthAuthorizeUrl;
    }

    public String getOauthDeviceAuthorizationUrl() {
        return oauthDeviceAuthorizationUrl;
    }

    public void setOauthDeviceAuthorizationUrl(String oauthDeviceAuthorizationUrl) {
        this.oauthDeviceAuthorizationUrl = oauthDeviceAuthorizationUrl;
    }

    public String getOauthRedirectPort() {
        return oauthRedirectPort;
    }

    public void setOauthRedirectPort(String oauthRedirectPort) {
        this.oauthRedirectPort = oauthRedirectPort;
    }

    public String getCaFile() {
        return caFile;
    }

    public void setCaFile(String caFile) {
        this.caFile = caFile;
    }

    public String getStarttls() {
        return starttls;
    }

    public void setStarttls(String starttls) {
        this.starttls = starttls;
    }

    public String getDelete() {
        return delete;
    }

    public void setDelete(String delete) {
        this.delete = delete;
    }

    public String getPollDelay() {
        return pollDelay;
    }

    public void setPollDelay(String pollDelay) {
        this.pollDelay = pollDelay;
    }

    public String getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(String batchSize) {
        this.batchSize = batchSize;
    }

    public String getBatchBytes() {
        return batchBytes;
    }

    public void setBatchBytes(String batchBytes) {
        this.batchBytes = batchBytes;
    }

    public String getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(String maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public String getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(String connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public String getReadTimeout() {
        return readTimeout;
    }

    public void setReadTimeout(String readTimeout) {
        this.readTimeout = readTimeout;
    }
}
