package dev.mailpipe.mailbox;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The options of a mailbox that belong together, so that an endpoint naming one of them takes none of
 * the others from the component's defaults (the global {@code mailbox.*} settings): one account's
 * secrets never meet another account or another server. The README lists the same rules
 * ("Many mailboxes").
 */
final class MailboxOptionGroups {

    /**
     * The account's own secrets: a mailbox naming one of them takes none of the others from the
     * global settings (a global password beside its own refresh token would be "set together").
     */
    static final List<String> ACCOUNT_SECRETS =
            List.of("password", "passwordFile", "oauthRefreshTokenFile", "oauthTokenFile");

    /** The secrets that belong to one user: a refresh token or an access token is never another user's. */
    static final List<String> USER_TOKENS = List.of("oauthRefreshTokenFile", "oauthTokenFile");

    /**
     * The OAuth2 app a mailbox signs in through: a mailbox naming any of these takes none of the
     * others from the global settings (a global client secret must not go to its own token endpoint).
     */
    static final List<String> OAUTH_APP = MailboxConfiguration.OPTIONS.stream()
            .filter(option -> option.equals("auth") || (option.startsWith("oauth") && !USER_TOKENS.contains(option)))
            .toList();

    /** Options with no global setting: the environment variable is always the mailbox's own. */
    static final List<String> PER_MAILBOX_ONLY = List.of("passwordEnv");

    private MailboxOptionGroups() {}

    /**
     * The options that must not fall back to the defaults one by one, because they belong together:
     * a mailbox naming one of its account secrets names all it has; one naming a password takes no
     * OAuth2 app, and one naming any of its OAuth2 app's options names all of them; one naming its
     * user takes no global refresh token or token file (they are another user's); one naming its
     * protocol gets that protocol's port and STARTTLS; one naming its server gets no global provider;
     * one naming a provider gets that provider's settings, and if it differs from the global
     * provider, none of the global sign-in; and one on another server than the default mailbox's
     * ({@code defaultHost}: {@code mailbox.host}, else the global provider's) never gets the default
     * mailbox's user or sign-in.
     *
     * @param own the endpoint's options that are given (not blank), with {@code host} its path
     */
    static Set<String> withoutFallback(
            Map<String, String> own, Optional<MailboxProvider> globalProvider, Optional<String> defaultHost) {
        Set<String> noFallback = new HashSet<>(PER_MAILBOX_ONLY);
        if (ACCOUNT_SECRETS.stream().anyMatch(own::containsKey)) {
            noFallback.addAll(ACCOUNT_SECRETS);
        }
        if (own.containsKey("password") || own.containsKey("passwordFile")) {
            // A password needs no OAuth2 app; a global mailbox.auth=xoauth2 would refuse it.
            noFallback.addAll(OAUTH_APP);
        }
        if (OAUTH_APP.stream().anyMatch(own::containsKey)) {
            noFallback.addAll(OAUTH_APP);
        }
        if (own.containsKey("username")) {
            noFallback.addAll(USER_TOKENS);
        }
        if (own.containsKey("protocol")) {
            noFallback.addAll(List.of("port", "starttls"));
        }
        Optional<MailboxProvider> provider =
                Optional.ofNullable(own.get("provider")).map(MailboxProvider::named);
        if (own.containsKey("host")) {
            // Its own server: no provider's preset unless it names one.
            noFallback.add("provider");
        }
        provider.ifPresent(preset -> noFallback.addAll(preset.suppliedOptions()));
        if (provider.isPresent() && !provider.equals(globalProvider)) {
            noFallback.addAll(ACCOUNT_SECRETS);
            noFallback.addAll(OAUTH_APP);
        }
        String host = own.containsKey("host")
                ? own.get("host")
                : provider.map(MailboxProvider::host).orElse(null);
        if (host != null && defaultHost.isPresent() && !defaultHost.get().equalsIgnoreCase(host)) {
            noFallback.add("username");
            noFallback.addAll(ACCOUNT_SECRETS);
            noFallback.addAll(OAUTH_APP);
        }
        return noFallback;
    }
}
