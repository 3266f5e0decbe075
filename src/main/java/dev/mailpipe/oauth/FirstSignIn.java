package dev.mailpipe.oauth;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code mailpipe login}'s sign-in: obtains a mailbox's first refresh token through the flow its
 * settings choose ({@link DeviceSignIn} or {@link BrowserSignIn}), telling the user on {@code out} what
 * to open. A {@link TokenException} says in words why it ended without one; nothing is written here.
 */
public final class FirstSignIn {

    private FirstSignIn() {}

    /** Signs in and returns the refresh token the authorization server issued. */
    public static String refreshToken(OAuthSettings settings, PrintStream out, Duration requestTimeout)
            throws TokenException {
        if (settings.grant() != OAuthSettings.Grant.REFRESH_TOKEN) {
            throw new IllegalArgumentException("mailpipe login signs in for a refresh token: set "
                    + OAuthSettings.REFRESH_TOKEN_FILE + " to the file it should write (" + settings + ")");
        }
        Clock clock = Clock.systemUTC();
        TokenEndpoint endpoint = TokenEndpoint.of(settings, requestTimeout, clock);
        OAuthSettings.Login login = settings.login();
        AccessToken token = switch (login.chosenFlow()) {
            case DEVICE ->
                new DeviceSignIn(
                                endpoint,
                                required(login.deviceAuthorizationUrl(), OAuthSettings.DEVICE_AUTHORIZATION_URL),
                                out,
                                clock,
                                interval -> Thread.sleep(interval.toMillis()))
                        .signIn();
            case BROWSER ->
                new BrowserSignIn(
                                endpoint,
                                required(login.authorizeUrl(), OAuthSettings.AUTHORIZE_URL),
                                login.redirectPort(),
                                out)
                        .signIn();
        };
        return token.refreshToken()
                .orElseThrow(
                        () -> TokenException.rejected(
                                "the sign-in succeeded, but " + endpoint.url()
                                        + " issued no refresh token: the scope must allow offline access ("
                                        + "offline_access at Microsoft; Google gives one with access_type=offline, which mailpipe asks for)"));
    }

    private static <T> T required(Optional<T> value, String key) {
        return value.orElseThrow(() -> new IllegalArgumentException(
                key + " is not set: this flow needs it (a provider preset fills it for gmail, outlook and office365)"));
    }
}
