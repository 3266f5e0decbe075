package dev.mailpipe.mailbox;

import dev.mailpipe.config.Settings;
import dev.mailpipe.oauth.OAuthSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code mailbox.provider}: the server, port and sign-in a mail provider wants, as defaults beneath
 * the mailbox's own settings, so any of them can still be set key by key. The README's provider
 * table says what each needs enabled on the provider's side.
 */
public enum MailboxProvider {
    /** Gmail and Google Workspace: POP must be enabled in Gmail's settings; OAuth2 with scope mail.google.com. */
    GMAIL(
            "pop.gmail.com",
            "xoauth2",
            false,
            Map.of(
                    OAuthSettings.TOKEN_URL, "https://oauth2.googleapis.com/token",
                    OAuthSettings.SCOPE, "https://mail.google.com/",
                    // Google's device flow does not allow the Gmail scope: mailpipe login opens a browser.
                    OAuthSettings.AUTHORIZE_URL, "https://accounts.google.com/o/oauth2/v2/auth")),
    /**
     * Outlook.com, Hotmail and Live personal accounts: OAuth2 only since 2024-09-16, XOAUTH2's two-line form,
     * delegated access (a refresh token) through the "consumers" tenant.
     */
    OUTLOOK(
            "outlook.office365.com",
            "xoauth2",
            true,
            Map.of(OAuthSettings.TENANT, "consumers", OAuthSettings.SCOPE, MicrosoftScopes.DELEGATED)),
    /**
     * Microsoft 365 (Exchange Online): OAuth2 only since 2022-10-01, XOAUTH2's two-line form; app-only
     * access (client credentials) needs the tenant's id, delegated access works through "organizations".
     */
    OFFICE365("outlook.office365.com", "xoauth2", true, Map.of()),
    /** Yahoo Mail: an app password (Yahoo grants OAuth2 for mail to approved apps only). */
    YAHOO("pop.mail.yahoo.com", "password", false, Map.of()),
    /** AOL Mail: an app password. */
    AOL("pop.aol.com", "password", false, Map.of()),
    /** Fastmail: an app password with POP access. */
    FASTMAIL("pop.fastmail.com", "password", false, Map.of()),
    /** GMX (gmx.net; gmx.com accounts set mailbox.host=pop.gmx.com): POP3 must be enabled in its settings. */
    GMX("pop.gmx.net", "password", false, Map.of()),
    /** WEB.DE: POP3 must be enabled in its settings. */
    WEBDE("pop3.web.de", "password", false, Map.of()),
    /** Zoho Mail: POP access enabled in its settings, an app password with two-factor sign-in. */
    ZOHO("pop.zoho.com", "password", false, Map.of());

    /** The key that names a provider. */
    public static final String PROVIDER = "mailbox.provider";

    private final String host;
    private final String auth;
    private final boolean twoLine;
    private final Map<String, String> oauthDefaults;

    MailboxProvider(String host, String auth, boolean twoLine, Map<String, String> oauthDefaults) {
        this.host = host;
        this.auth = auth;
        this.twoLine = twoLine;
        this.oauthDefaults = oauthDefaults;
    }

    /** The provider {@code mailbox.provider} names, if any; an unknown name is an error listing the known ones. */
    public static Optional<MailboxProvider> of(Settings settings) {
        return settings.optional(PROVIDER).map(MailboxProvider::named);
    }

    /** The provider of this name (as {@code mailbox.provider} is written); an unknown name is an error listing the known ones. */
    static MailboxProvider named(String written) {
        String name = written.strip().toLowerCase(Locale.ROOT);
        if (name.equals("icloud")) {
            throw Settings.invalid(
                    PROVIDER, "is icloud, but iCloud Mail offers IMAP only, no POP3: mailpipe cannot drain it");
        }
        return Arrays.stream(values())
                .filter(provider -> provider.optionName().equals(name))
                .findFirst()
                .orElseThrow(() -> Settings.invalid(PROVIDER, "must be one of " + names() + ", got '" + name + "'"));
    }

    /** The name users write: {@code gmail}, {@code office365}, ... */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String host() {
        return host;
    }

    private static String names() {
        return Arrays.stream(values()).map(MailboxProvider::optionName).collect(Collectors.joining(", "));
    }

    /**
     * {@code given} with this provider's defaults beneath it: POP3S on 995 at its host, its sign-in,
     * and for OAuth2 its token endpoint, tenant, scope and XOAUTH2 form.
     */
    public Settings beneath(Settings given) {
        return given.orElse(key -> Optional.ofNullable(
                switch (key) {
                    case MailboxSettings.PROTOCOL -> "pop3s";
                    case MailboxSettings.HOST -> host;
                    case MailboxSettings.PORT ->
                        given.optional(MailboxSettings.PROTOCOL)
                                        .filter("pop3"::equals)
                                        .isPresent()
                                ? "110"
                                : "995";
                    case OAuthSettings.AUTH -> signsInWithPassword(given) ? "password" : auth;
                    case OAuthSettings.TWO_LINE -> Boolean.toString(twoLine);
                    case OAuthSettings.TENANT -> this == OFFICE365 ? office365Tenant(given) : oauthDefaults.get(key);
                    case OAuthSettings.SCOPE -> this == OFFICE365 ? office365Scope(given) : oauthDefaults.get(key);
                    default -> oauthDefaults.get(key);
                }));
    }

    /** A password given with a provider that prefers OAuth2 is an app password: it decides. */
    private static boolean signsInWithPassword(Settings given) {
        return given.optional(MailboxSettings.PASSWORD).isPresent()
                || given.optional(MailboxSettings.PASSWORD_FILE).isPresent();
    }

    /**
     * The endpoint options this provider supplies, which a mailbox naming it takes from it rather
     * than from the global settings: server, protocol and port always, and what it says of OAuth2.
     */
    List<String> suppliedOptions() {
        List<String> options = new ArrayList<>(List.of("host", "protocol", "port", "starttls"));
        if (auth.equals("xoauth2")) {
            // Microsoft's token endpoint comes from the tenant: a global URL would win over it.
            options.addAll(List.of(
                    "oauthTwoLine", "oauthScope", "oauthTokenUrl", "oauthAuthorizeUrl", "oauthDeviceAuthorizationUrl"));
            if (oauthDefaults.containsKey(OAuthSettings.TENANT)) {
                options.add("oauthTenant");
            }
        }
        return options;
    }

    /**
     * Refuses what this provider does not offer: Gmail and Outlook.com sign in on a user's behalf
     * only, so client credentials (app-only access, which Microsoft 365 has) cannot work there.
     */
    void check(Optional<OAuthSettings> oauth) {
        if ((this == GMAIL || this == OUTLOOK)
                && oauth.filter(o -> o.grant() == OAuthSettings.Grant.CLIENT_CREDENTIALS)
                        .isPresent()) {
            throw Settings.invalid(
                    OAuthSettings.REFRESH_TOKEN_FILE,
                    "is not set: " + optionName() + " signs in on a user's behalf, with a refresh token (or "
                            + OAuthSettings.TOKEN_FILE + "); app-only client credentials are for office365");
        }
    }

    /** Delegated sign-ins (a refresh token) of any Microsoft 365 tenant go through "organizations". */
    private static String office365Tenant(Settings given) {
        return OAuthSettings.delegated(given) ? "organizations" : null;
    }

    private static String office365Scope(Settings given) {
        return OAuthSettings.delegated(given) ? MicrosoftScopes.DELEGATED : MicrosoftScopes.APP_ONLY;
    }

    /** The scopes Microsoft's POP3 accepts. */
    private static final class MicrosoftScopes {
        /** A user's own mailbox, with a refresh token. */
        static final String DELEGATED = "https://outlook.office.com/POP.AccessAsUser.All offline_access";
        /** Any mailbox the app registration was granted (POP.AccessAsApp and an Exchange service principal). */
        static final String APP_ONLY = "https://outlook.office365.com/.default";
    }
}
