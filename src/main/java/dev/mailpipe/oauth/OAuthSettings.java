package dev.mailpipe.oauth;

import dev.mailpipe.config.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * How a mailbox with {@code mailbox.auth=xoauth2} obtains its access tokens: from a token endpoint with
 * the client credentials grant (a client secret or a certificate), with a refresh token kept in a file,
 * with a Google service account's key, or from a token file another program maintains; and how
 * {@code mailpipe login} obtains the first refresh token ({@link Login}). Read from the
 * {@code mailbox.oauth.*} properties; {@link #toString} hides secrets.
 */
public record OAuthSettings(
        Grant grant,
        Optional<URI> tokenUrl,
        Optional<String> clientId,
        ClientCredential credential,
        Optional<String> scope,
        Optional<Path> refreshTokenFile,
        Optional<Path> tokenFile,
        Optional<Path> serviceAccountKeyFile,
        Login login,
        boolean twoLine) {

    /** {@code password} (default) or {@code xoauth2}. */
    public static final String AUTH = "mailbox.auth";

    public static final String TOKEN_URL = "mailbox.oauth.tokenUrl";
    /** Microsoft's tenant (id, domain, {@code organizations} or {@code consumers}): the endpoints without their URLs. */
    public static final String TENANT = "mailbox.oauth.tenant";

    public static final String CLIENT_ID = "mailbox.oauth.clientId";
    public static final String CLIENT_SECRET = "mailbox.oauth.clientSecret";
    public static final String CLIENT_SECRET_FILE = "mailbox.oauth.clientSecretFile";
    /** PEM certificate whose key signs the client's assertions (Microsoft's certificate credentials). */
    public static final String CLIENT_CERTIFICATE_FILE = "mailbox.oauth.clientCertificateFile";
    /** PEM private key (PKCS#8 or PKCS#1, unencrypted) of {@link #CLIENT_CERTIFICATE_FILE}. */
    public static final String CLIENT_KEY_FILE = "mailbox.oauth.clientKeyFile";

    public static final String SCOPE = "mailbox.oauth.scope";
    public static final String REFRESH_TOKEN_FILE = "mailbox.oauth.refreshTokenFile";
    public static final String TOKEN_FILE = "mailbox.oauth.tokenFile";
    /** Google's JSON key of a service account with domain-wide delegation. */
    public static final String SERVICE_ACCOUNT_KEY_FILE = "mailbox.oauth.serviceAccountKeyFile";
    /** XOAUTH2's two-line form (the token in a second line), which Microsoft's POP3 requires. */
    public static final String TWO_LINE = "mailbox.oauth.twoLine";

    /** {@code mailpipe login}: {@code device} or {@code browser}. */
    public static final String FLOW = "mailbox.oauth.flow";

    public static final String AUTHORIZE_URL = "mailbox.oauth.authorizeUrl";
    public static final String DEVICE_AUTHORIZATION_URL = "mailbox.oauth.deviceAuthorizationUrl";
    /** The loopback port the browser sign-in listens on; 0 (the default) for any free one. */
    public static final String REDIRECT_PORT = "mailbox.oauth.redirectPort";

    /** Google's scope for Gmail over POP3, which a service account asks for unless the scope is set. */
    static final String GMAIL_SCOPE = "https://mail.google.com/";

    private static final String MICROSOFT = "https://login.microsoftonline.com/";

    /** Where the access tokens come from. */
    public enum Grant {
        /** The token endpoint, with the client's secret or certificate (app-only access, Microsoft 365). */
        CLIENT_CREDENTIALS,
        /** The token endpoint, with a refresh token from {@link #REFRESH_TOKEN_FILE} (delegated access). */
        REFRESH_TOKEN,
        /** The service account's token endpoint, with an assertion its key signs for the mailbox's user. */
        SERVICE_ACCOUNT,
        /** {@link #TOKEN_FILE}, kept current by another program. */
        TOKEN_FILE
    }

    /** How the client proves itself to the token endpoint. */
    public sealed interface ClientCredential {
        /** A public client (an installed app): its id alone. */
        record None() implements ClientCredential {}

        /** A client secret, sent in the request body. */
        record Secret(String value) implements ClientCredential {
            @Override
            public String toString() {
                return "client secret";
            }
        }

        /** A certificate whose private key signs an assertion for each request. */
        record Certificate(Path certificateFile, Path keyFile) implements ClientCredential {}
    }

    /** {@code mailpipe login}'s sign-in: the flow and the authorization server's URLs it needs. */
    public record Login(
            Optional<Flow> flow, Optional<URI> authorizeUrl, Optional<URI> deviceAuthorizationUrl, int redirectPort) {

        /** The flow asked for, else the device flow where the server offers one, else the browser. */
        public Flow chosenFlow() {
            return flow.orElse(deviceAuthorizationUrl.isPresent() ? Flow.DEVICE : Flow.BROWSER);
        }
    }

    /** How {@code mailpipe login} asks the user to sign in. */
    public enum Flow {
        /** RFC 8628: a code to enter on another device; for servers without a browser. */
        DEVICE,
        /** RFC 7636 and RFC 8252: a browser on this machine, redirected back to a loopback port. */
        BROWSER
    }

    /** Whether these settings sign in on a user's behalf (a refresh token or a token file), not as an app. */
    public static boolean delegated(Settings settings) {
        return settings.optional(REFRESH_TOKEN_FILE).isPresent()
                || settings.optional(TOKEN_FILE).isPresent();
    }

    /** The OAuth2 settings when {@code mailbox.auth=xoauth2}; empty for password sign-in. */
    public static Optional<OAuthSettings> from(Settings settings) {
        String auth = settings.string(AUTH, "password").toLowerCase(Locale.ROOT);
        if (auth.equals("password")) {
            return Optional.empty();
        }
        if (!auth.equals("xoauth2")) {
            throw Settings.invalid(AUTH, "must be password or xoauth2, got '" + auth + "'");
        }
        Optional<Path> tokenFile = settings.readableFile(TOKEN_FILE);
        Optional<Path> refreshTokenFile = refreshTokenFile(settings);
        Optional<Path> keyFile = settings.readableFile(SERVICE_ACCOUNT_KEY_FILE);
        boolean twoLine = settings.bool(TWO_LINE, false);
        Optional<String> scope = settings.optional(SCOPE);
        Login login = login(settings);
        onlyOne(settings, TOKEN_FILE, REFRESH_TOKEN_FILE, SERVICE_ACCOUNT_KEY_FILE);
        if (tokenFile.isPresent()) {
            return Optional.of(new OAuthSettings(
                    Grant.TOKEN_FILE,
                    Optional.empty(),
                    Optional.empty(),
                    new ClientCredential.None(),
                    scope,
                    Optional.empty(),
                    tokenFile,
                    Optional.empty(),
                    login,
                    twoLine));
        }
        if (keyFile.isPresent()) {
            // The key names its own token endpoint and identifies the client: no id, secret or URL here.
            return Optional.of(new OAuthSettings(
                    Grant.SERVICE_ACCOUNT,
                    Optional.empty(),
                    Optional.empty(),
                    new ClientCredential.None(),
                    Optional.of(scope.orElse(GMAIL_SCOPE)),
                    Optional.empty(),
                    Optional.empty(),
                    keyFile,
                    login,
                    twoLine));
        }
        URI tokenUrl = url(
                        settings,
                        TOKEN_URL,
                        "token",
                        "is not set (for Microsoft, set " + TENANT + " to the tenant's id or domain instead)")
                .orElseThrow();
        String clientId = settings.required(CLIENT_ID);
        ClientCredential credential = credential(settings);
        Grant grant = refreshTokenFile.isPresent() ? Grant.REFRESH_TOKEN : Grant.CLIENT_CREDENTIALS;
        if (grant == Grant.CLIENT_CREDENTIALS && credential instanceof ClientCredential.None) {
            throw Settings.invalid(
                    CLIENT_SECRET,
                    "is not set (or set " + CLIENT_SECRET_FILE + ", or " + CLIENT_CERTIFICATE_FILE + " and "
                            + CLIENT_KEY_FILE + "); xoauth2 needs a client secret or certificate, a "
                            + REFRESH_TOKEN_FILE + ", a " + SERVICE_ACCOUNT_KEY_FILE + " or a " + TOKEN_FILE);
        }
        return Optional.of(new OAuthSettings(
                grant,
                Optional.of(tokenUrl),
                Optional.of(clientId),
                credential,
                scope,
                refreshTokenFile,
                Optional.empty(),
                Optional.empty(),
                login,
                twoLine));
    }

    /**
     * The refresh token file need not exist yet ({@code mailpipe login} writes it; until then a sign-in
     * says to run it), but its folder must.
     */
    private static Optional<Path> refreshTokenFile(Settings settings) {
        Optional<Path> file = settings.optional(REFRESH_TOKEN_FILE).map(Path::of);
        file.ifPresent(path -> {
            Path folder = path.toAbsolutePath().getParent();
            if (folder == null || !Files.isDirectory(folder)) {
                throw Settings.invalid(REFRESH_TOKEN_FILE, "is in a folder that does not exist: " + path);
            }
        });
        return file;
    }

    private static void onlyOne(Settings settings, String... keys) {
        String first = null;
        for (String key : keys) {
            if (settings.optional(key).isPresent()) {
                if (first != null) {
                    throw Settings.invalid(key, "is set together with " + first + "; set only one");
                }
                first = key;
            }
        }
    }

    private static ClientCredential credential(Settings settings) {
        Optional<String> secret = settings.secret(CLIENT_SECRET, CLIENT_SECRET_FILE);
        Optional<Path> certificate = settings.readableFile(CLIENT_CERTIFICATE_FILE);
        Optional<Path> key = settings.readableFile(CLIENT_KEY_FILE);
        if (certificate.isPresent() != key.isPresent()) {
            String missing = certificate.isPresent() ? CLIENT_KEY_FILE : CLIENT_CERTIFICATE_FILE;
            throw Settings.invalid(
                    missing,
                    "is not set: a certificate credential needs both " + CLIENT_CERTIFICATE_FILE + " and "
                            + CLIENT_KEY_FILE);
        }
        if (certificate.isPresent() && secret.isPresent()) {
            throw Settings.invalid(CLIENT_CERTIFICATE_FILE, "is set together with a client secret; set only one");
        }
        if (certificate.isPresent()) {
            return new ClientCredential.Certificate(certificate.get(), key.get());
        }
        return secret.<ClientCredential>map(ClientCredential.Secret::new).orElse(new ClientCredential.None());
    }

    private static Login login(Settings settings) {
        Optional<Flow> flow = settings.optional(FLOW)
                .map(written -> switch (written.strip().toLowerCase(Locale.ROOT)) {
                    case "device" -> Flow.DEVICE;
                    case "browser" -> Flow.BROWSER;
                    default -> throw Settings.invalid(FLOW, "must be device or browser, got '" + written + "'");
                });
        return new Login(
                flow,
                url(settings, AUTHORIZE_URL, "authorize", null),
                url(settings, DEVICE_AUTHORIZATION_URL, "devicecode", null),
                (int) settings.number(REDIRECT_PORT, 0, 0, 65_535));
    }

    /**
     * The URL {@code key} sets, else Microsoft's endpoint {@code microsoftPath} of the tenant when one is
     * set; empty (or, when {@code missing} says why, an error) when neither is.
     */
    private static Optional<URI> url(Settings settings, String key, String microsoftPath, String missing) {
        Optional<String> value = settings.optional(key)
                .or(() -> settings.optional(TENANT)
                        .map(t -> MICROSOFT + URLEncoder.encode(t, StandardCharsets.UTF_8) + "/oauth2/v2.0/"
                                + microsoftPath));
        if (value.isEmpty() && missing != null) {
            throw Settings.invalid(key, missing);
        }
        return value.map(written -> checkedUrl(key, written));
    }

    /** Secrets and codes travel to these URLs: https, or plain HTTP only to this machine. */
    static URI checkedUrl(String key, String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean loopback = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost());
            if (uri.getHost() == null || !(scheme.equals("https") || (scheme.equals("http") && loopback))) {
                throw Settings.invalid(key, "must be an https:// URL (http:// only on localhost), got '" + value + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw Settings.invalid(key, "is not a URL: '" + value + "'");
        }
    }

    /** The client secret, when the client authenticates with one. */
    public Optional<String> clientSecret() {
        return credential instanceof ClientCredential.Secret secret ? Optional.of(secret.value()) : Optional.empty();
    }

    /** The grant and the endpoint, without secrets. */
    @Override
    public String toString() {
        return "xoauth2" + (twoLine ? " two-line" : "") + ", "
                + switch (grant) {
                    case CLIENT_CREDENTIALS ->
                        "client credentials of " + clientId.orElse("")
                                + (credential instanceof ClientCredential.Certificate ? " (certificate)" : "") + " at "
                                + tokenUrl.get();
                    case REFRESH_TOKEN -> "refresh token " + refreshTokenFile.get() + " at " + tokenUrl.get();
                    case SERVICE_ACCOUNT -> "service account key " + serviceAccountKeyFile.get();
                    case TOKEN_FILE -> "token file " + tokenFile.get();
                };
    }
}
