package dev.mailpipe.oauth;

import java.util.Optional;

/** Where a mailbox's access tokens come from; shared by the mailboxes of one app and user ({@link TokenSources}). */
public interface TokenSource {

    /** A token that is valid for a while yet: the cached one, or a new one when it is about to expire. */
    AccessToken token() throws TokenException;

    /** Drops {@code rejected}, so that the next {@link #token()} obtains or reads another. */
    void forget(AccessToken rejected);

    /**
     * The mail server refused {@code rejected}: the token to sign in again with, if another is to be
     * had (a sign-in with the same token is not worth retrying).
     */
    default Optional<AccessToken> renew(AccessToken rejected) throws TokenException {
        forget(rejected);
        AccessToken next = token();
        return next.value().equals(rejected.value()) ? Optional.empty() : Optional.of(next);
    }
}
