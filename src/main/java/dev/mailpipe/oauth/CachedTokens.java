package dev.mailpipe.oauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the last access token a grant obtained and asks for a new one shortly before it expires
 * (a minute before, or at half its lifetime for short-lived tokens), so a sign-in never presents a
 * token that expires on the way. When the endpoint answers 429 or 503 with a {@code Retry-After}, it
 * is not asked again before then: every mailbox sharing these tokens fails its sign-in at once with
 * the same words until the time has come.
 */
final class CachedTokens implements TokenSource {

    private static final Logger LOG = LoggerFactory.getLogger(CachedTokens.class);

    private static final Duration MARGIN = Duration.ofMinutes(1);

    /** A way to obtain a fresh token from the token endpoint. */
    interface Grant {
        AccessToken obtain() throws TokenException;
    }

    private final Grant grant;
    private final Clock clock;
    private AccessToken current;
    /** When {@link #current} should be replaced. */
    private Instant renewAt;
    /** The endpoint asked not to be asked before this ({@link Instant#MIN}: it did not). */
    private Instant notBefore = Instant.MIN;

    private String waitReason;

    CachedTokens(Grant grant, Clock clock) {
        this.grant = grant;
        this.clock = clock;
    }

    @Override
    public synchronized AccessToken token() throws TokenException {
        Instant now = clock.instant();
        if (current == null || !now.isBefore(renewAt)) {
            if (now.isBefore(notBefore)) {
                throw TokenException.unavailable(
                        waitReason + "; not asked again before then", "", java.util.Optional.of(notBefore));
            }
            try {
                current = grant.obtain();
            } catch (TokenException e) {
                e.retryAt().ifPresent(at -> {
                    notBefore = at;
                    waitReason = e.getMessage();
                });
                throw e;
            }
            renewAt = renewalTime(current, now);
            // AccessToken.toString() shows the expiry only, never the token.
            LOG.debug("Obtained a new {}; renewing it from {}", current, renewAt);
        }
        return current;
    }

    @Override
    public synchronized void forget(AccessToken rejected) {
        // Unless another sign-in already replaced it.
        if (current != null && current.value().equals(rejected.value())) {
            current = null;
        }
    }

    private static Instant renewalTime(AccessToken token, Instant now) {
        if (token.expiresAt().equals(Instant.MAX)) {
            return Instant.MAX;
        }
        Duration lifetime = Duration.between(now, token.expiresAt());
        Duration margin = lifetime.compareTo(MARGIN.multipliedBy(2)) < 0 ? lifetime.dividedBy(2) : MARGIN;
        return token.expiresAt().minus(margin);
    }
}
