package dev.mailpipe.oauth;

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
        return switch (settings.grant()) {
            case TOKEN_FILE ->
                sources.computeIfAbsent(
                        new Key(
                                "file",
                                "",
                                "",
                                "",
                                canonical(settings.tokenFile().orElseThrow())),
                        key -> new TokenFile(settings.tokenFile().orElseThrow()));
            case CLIENT_CREDENTIALS -> {
                TokenEndpoint endpoint = endpoint(settings, timeout);
                yield sources.computeIfAbsent(
                        key("app", endpoint, endpoint.client().fingerprint()),
                        key -> new CachedTokens(new ClientCredentialsGrant(endpoint), clock));
            }
            case REFRESH_TOKEN -> {
                TokenEndpoint endpoint = endpoint(settings, timeout);
                RefreshTokenFile file =
                        new RefreshTokenFile(settings.refreshTokenFile().orElseThrow());
                yield sources.computeIfAbsent(
                        key("user", endpoint, canonical(file.path())),
                        key -> new CachedTokens(new RefreshTokenGrant(endpoint, file), clock));
            }
            case SERVICE_ACCOUNT -> {
                ServiceAccountGrant.Key account = ServiceAccountGrant.Key.read(
                        settings.serviceAccountKeyFile().orElseThrow());
                TokenEndpoint endpoint = new TokenEndpoint(
                        account.tokenUri(), ClientAuthentication.none(), settings.scope(), timeout, clock);
                // Google's user names are e-mail addresses: one user, whatever the case.
                String subject = username.toLowerCase(Locale.ROOT);
                yield sources.computeIfAbsent(
                        key(
                                "service account " + account.clientEmail() + " "
                                        + account.keyId().orElse(""),
                                endpoint,
                                subject),
                        key -> new CachedTokens(new ServiceAccountGrant(endpoint, account, subject, clock), clock));
            }
        };
    }

    /** How many distinct sources (tokens) the fleet's mailboxes need. */
    public int size() {
        return sources.size();
    }

    private TokenEndpoint endpoint(OAuthSettings settings, Duration timeout) {
        return new TokenEndpoint(
                settings.tokenUrl().orElseThrow(),
                ClientAuthentication.of(settings.clientId().orElseThrow(), settings.credential(), clock),
                settings.scope(),
                timeout,
                clock);
    }

    private static Key key(String kind, TokenEndpoint endpoint, String subject) {
        return new Key(
                kind,
                endpoint.url().toString(),
                endpoint.client().clientId().orElse(""),
                endpoint.scope().orElse(""),
                subject);
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
