package dev.mailpipe.oauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
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
    /** A refused token is replaced at most this often (see {@link #forget}). */
    private static final Duration FORGET_AT_MOST_EVERY = Duration.ofMinutes(1);

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
    /** When a refusal last made this source drop its token. */
    private Instant lastForgotten;

    CachedTokens(Grant grant, Clock clock) {
        this.grant = grant;
        this.clock = clock;
    }

    @Override
    public synchronized AccessToken token() throws TokenException {
        Instant now = clock.instant();
        if (current == null || !now.isBefore(renewAt)) {
            if (now.isBefore(notBefore)) {
                if (stillValid(current, now)) {
                    return current;
                }
                throw TokenException.unavailable(
                        waitReason + "; not asked again before then", "", Optional.of(notBefore));
            }
            AccessToken obtained;
            try {
                obtained = grant.obtain();
            } catch (TokenException e) {
                e.retryAt().ifPresent(at -> {
                    notBefore = at;
                    waitReason = e.getMessage();
                });
                if (stillValid(current, now)) {
                    // Renewed early on purpose: the token in hand serves until the endpoint answers again.
                    LOG.debug("Cannot renew the {} yet, using it until it expires: {}", current, e.getMessage());
                    return current;
                }
                throw e;
            }
            current = obtained;
            renewAt = renewalTime(current, now);
            // AccessToken.toString() shows the expiry only, never the token.
            LOG.debug("Obtained a new {}; renewing it from {}", current, renewAt);
        }
        return current;
    }

    private static boolean stillValid(AccessToken token, Instant now) {
        return token != null && now.isBefore(token.expiresAt());
    }

    /**
     * A server refused {@code rejected}: the next {@link #token()} asks for another, unless another
     * sign-in already replaced it, or a refusal made this source ask within the last minute. The
     * mailboxes sharing a token may be refused for reasons of their own (POP3 switched off, no
     * permission for that mailbox); one such mailbox must not make the app ask for a token at every
     * poll, and a token endpoint that then answers 429 would hold up the whole fleet.
     */
    @Override
    public synchronized void forget(AccessToken rejected) {
        Instant now = clock.instant();
        if (current != null
                && current.value().equals(rejected.value())
                && (lastForgotten == null || !now.isBefore(lastForgotten.plus(FORGET_AT_MOST_EVERY)))) {
            current = null;
            lastForgotten = now;
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
