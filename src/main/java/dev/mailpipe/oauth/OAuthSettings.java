package dev.mailpipe.oauth;

import dev.mailpipe.config.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * How a mailbox with {@code mailbox.auth=xoauth2} obtains its access tokens: from a token endpoint with
 * the client credentials grant, with a refresh token kept in a file, or from a token file another
 * program maintains. Read from the {@code mailbox.oauth.*} properties; {@link #toString} hides secrets.
 */
public record OAuthSettings(
        Grant grant,
        Optional<URI> tokenUrl,
        Optional<String> clientId,
        Optional<String> clientSecret,
        Optional<String> scope,
        Optional<Path> refreshTokenFile,
        Optional<Path> tokenFile,
        boolean twoLine) {

    /** {@code password} (default) or {@code xoauth2}. */
    public static final String AUTH = "mailbox.auth";

    public static final String TOKEN_URL = "mailbox.oauth.tokenUrl";
    /** Microsoft's tenant (id, domain, {@code organizations} or {@code consumers}): the token endpoint without its URL. */
    public static final String TENANT = "mailbox.oauth.tenant";

    public static final String CLIENT_ID = "mailbox.oauth.clientId";
    public static final String CLIENT_SECRET = "mailbox.oauth.clientSecret";
    public static final String CLIENT_SECRET_FILE = "mailbox.oauth.clientSecretFile";
    public static final String SCOPE = "mailbox.oauth.scope";
    public static final String REFRESH_TOKEN_FILE = "mailbox.oauth.refreshTokenFile";
    public static final String TOKEN_FILE = "mailbox.oauth.tokenFile";
    /** XOAUTH2's two-line form (the token in a second line), which Microsoft's POP3 requires. */
    public static final String TWO_LINE = "mailbox.oauth.twoLine";

    /** Where the access tokens come from. */
    public enum Grant {
        /** The token endpoint, with the client's id and secret (app-only access, Microsoft 365). */
        CLIENT_CREDENTIALS,
        /** The token endpoint, with a refresh token from {@link #REFRESH_TOKEN_FILE} (delegated access). */
        REFRESH_TOKEN,
        /** {@link #TOKEN_FILE}, kept current by another program. */
        TOKEN_FILE
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
        Optional<Path> refreshTokenFile = settings.readableFile(REFRESH_TOKEN_FILE);
        boolean twoLine = settings.bool(TWO_LINE, false);
        Optional<String> scope = settings.optional(SCOPE);
        if (tokenFile.isPresent()) {
            if (refreshTokenFile.isPresent()) {
                throw Settings.invalid(TOKEN_FILE, "is set together with " + REFRESH_TOKEN_FILE + "; set only one");
            }
            return Optional.of(new OAuthSettings(
                    Grant.TOKEN_FILE,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    scope,
                    Optional.empty(),
                    tokenFile,
                    twoLine));
        }
        URI tokenUrl = tokenUrl(settings);
        String clientId = settings.required(CLIENT_ID);
        Optional<String> clientSecret = settings.secret(CLIENT_SECRET, CLIENT_SECRET_FILE);
        Grant grant = refreshTokenFile.isPresent() ? Grant.REFRESH_TOKEN : Grant.CLIENT_CREDENTIALS;
        if (grant == Grant.CLIENT_CREDENTIALS && clientSecret.isEmpty()) {
            throw Settings.invalid(
                    CLIENT_SECRET,
                    "is not set (or set " + CLIENT_SECRET_FILE + "); xoauth2 needs a client secret, a "
                            + REFRESH_TOKEN_FILE + " or a " + TOKEN_FILE);
        }
        return Optional.of(new OAuthSettings(
                grant,
                Optional.of(tokenUrl),
                Optional.of(clientId),
                clientSecret,
                scope,
                refreshTokenFile,
                Optional.empty(),
                twoLine));
    }

    private static URI tokenUrl(Settings settings) {
        Optional<String> tenant = settings.optional(TENANT);
        String value = settings.optional(TOKEN_URL)
                .or(() -> tenant.map(t -> "https://login.microsoftonline.com/"
                        + URLEncoder.encode(t, StandardCharsets.UTF_8) + "/oauth2/v2.0/token"))
                .orElseThrow(() -> Settings.invalid(
                        TOKEN_URL,
                        "is not set (for Microsoft, set " + TENANT + " to the tenant's id or domain instead)"));
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            // The client secret and refresh token travel in the request: plain HTTP only to this machine.
            boolean loopback = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost());
            if (uri.getHost() == null || !(scheme.equals("https") || (scheme.equals("http") && loopback))) {
                throw Settings.invalid(
                        TOKEN_URL, "must be an https:// URL (http:// only on localhost), got '" + value + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw Settings.invalid(TOKEN_URL, "is not a URL: '" + value + "'");
        }
    }

    /** The grant and the endpoint, without secrets. */
    @Override
    public String toString() {
        return "xoauth2" + (twoLine ? " two-line" : "") + ", "
                + switch (grant) {
                    case CLIENT_CREDENTIALS -> "client credentials of " + clientId.orElse("") + " at " + tokenUrl.get();
                    case REFRESH_TOKEN -> "refresh token " + refreshTokenFile.get() + " at " + tokenUrl.get();
                    case TOKEN_FILE -> "token file " + tokenFile.get();
                };
    }
}
