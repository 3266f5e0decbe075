package dev.mailpipe.oauth;

import dev.mailpipe.common.Sha256;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The token sources of a fleet, one per app and subject: mailboxes signing in through the same token
 * endpoint, client, scope and user share one source and so one token. A fleet of 500 mailboxes of one
 * Microsoft 365 app (client credentials, no user) asks for one token per lifetime; a Workspace fleet
 * under one service account gets one token per user; refresh tokens are each their own user's.
 * Held by the mailbox component, so each Camel context has its own.
 */
public final class TokenSources {

    /** What makes two mailboxes' tokens the same token. */
    private record Key(String kind, String endpoint, String client, String scope, String subject) {}

    private final Map<Key, TokenSource> sources = new ConcurrentHashMap<>();
    /** Service account keys read, by canonical file: one key serves a fleet of users. */
    private final Map<String, ServiceAccountGrant.Key> accounts = new ConcurrentHashMap<>();

    private final Clock clock;

    public TokenSources(Clock clock) {
        this.clock = clock;
    }

    /**
     * The source for a mailbox of these settings signing in as {@code username}; {@code timeout}
     * bounds each request (the first mailbox's, when several share the source). Errors in a key or
     * certificate file are configuration errors naming the setting.
     */
    public TokenSource of(OAuthSettings settings, String username, Duration timeout) {
        // The key is made from the settings alone: the endpoint, and the key or certificate it reads,
        // are made once per source, not once per mailbox of a fleet.
        return switch (settings.grant()) {
            case TOKEN_FILE -> {
                Path file = settings.tokenFile().orElseThrow();
                yield sources.computeIfAbsent(new Key("file", "", "", "", canonical(file)), key -> new TokenFile(file));
            }
            case CLIENT_CREDENTIALS ->
                sources.computeIfAbsent(
                        key("app", settings, credential(settings.credential())),
                        key -> new CachedTokens(
                                new ClientCredentialsGrant(TokenEndpoint.of(settings, timeout, clock)), clock));
            case REFRESH_TOKEN -> {
                RefreshTokenFile file =
                        new RefreshTokenFile(settings.refreshTokenFile().orElseThrow());
                yield sources.computeIfAbsent(
                        key("user", settings, canonical(file.path())),
                        key -> new CachedTokens(
                                new RefreshTokenGrant(TokenEndpoint.of(settings, timeout, clock), file), clock));
            }
            case SERVICE_ACCOUNT -> {
                String keyFile = canonical(settings.serviceAccountKeyFile().orElseThrow());
                // Google's user names are e-mail addresses: one user, whatever the case.
                String subject = username.toLowerCase(Locale.ROOT);
                yield sources.computeIfAbsent(
                        new Key("service account", keyFile, "", settings.scope().orElse(""), subject), key -> {
                            ServiceAccountGrant.Key account = accounts.computeIfAbsent(
                                    keyFile, file -> ServiceAccountGrant.Key.read(Path.of(file)));
                            TokenEndpoint endpoint = new TokenEndpoint(
                                    account.tokenUri(), ClientAuthentication.none(), settings.scope(), timeout, clock);
                            return new CachedTokens(new ServiceAccountGrant(endpoint, account, subject, clock), clock);
                        });
            }
        };
    }

    /** How many distinct sources (tokens) the fleet's mailboxes need. */
    public int size() {
        return sources.size();
    }

    private static Key key(String kind, OAuthSettings settings, String subject) {
        return new Key(
                kind,
                settings.tokenUrl().orElseThrow().toString(),
                settings.clientId().orElseThrow(),
                settings.scope().orElse(""),
                subject);
    }

    /** Tells one client's credentials from another's, without keeping the secret. */
    private static String credential(OAuthSettings.ClientCredential credential) {
        if (credential instanceof OAuthSettings.ClientCredential.Secret secret) {
            return "secret " + Sha256.hex(secret.value());
        }
        if (credential instanceof OAuthSettings.ClientCredential.Certificate certificate) {
            return "certificate " + canonical(certificate.certificateFile()) + " " + canonical(certificate.keyFile());
        }
        return "public";
    }

    /**
     * One file, however it is written ({@code a/../b}, a link): two sources refreshing one refresh
     * token would each rotate it, and a server that detects reuse revokes both.
     */
    private static String canonical(Path file) {
        try {
            return file.toRealPath().toString();
        } catch (IOException notThereYet) {
            return file.toAbsolutePath().normalize().toString();
        }
    }
}
