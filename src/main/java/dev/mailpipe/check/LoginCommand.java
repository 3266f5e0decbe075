package dev.mailpipe.check;

import dev.mailpipe.mailbox.MailboxSettings;
import dev.mailpipe.oauth.FirstSignIn;
import dev.mailpipe.oauth.OAuthSettings;
import dev.mailpipe.oauth.RefreshTokenFile;
import dev.mailpipe.oauth.TokenException;
import dev.mailpipe.runner.MailpipeBeans;
import dev.mailpipe.runner.MailpipeRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code mailpipe login [--route ROUTE_ID]}: signs one mailbox in through its OAuth2 provider (the
 * device flow or a browser), writes the refresh token to its {@code mailbox.oauth.refreshTokenFile}
 * (owner-only, in one rename, only once the sign-in succeeded), then proves it as {@code check}
 * does: signs in to the POP3 server with it and prints what {@code STAT} says. The routes are loaded
 * as the runner loads them, without starting them; the mailbox is the only one, or the route named.
 */
public final class LoginCommand {

    public static final String USAGE = "Usage: mailpipe login [--route ROUTE_ID]   (--properties FILE before or after)";

    /** Exit code: the sign-in failed or was refused, or the new token does not open the mailbox. */
    public static final int SIGN_IN_FAILS = CheckCommand.MAILBOX_FAILS;

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final PrintStream out;
    private final PrintStream err;

    public LoginCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Returns 0 when signed in and the mailbox opens with the new token, 3 when not, 2 on bad usage. */
    public int run(Optional<Path> propertiesFile, List<String> args) throws Exception {
        Optional<String> route = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--route") && i + 1 < args.size()) {
                route = Optional.of(args.get(++i));
            } else {
                err.println("mailpipe login: unknown argument '" + args.get(i) + "'");
                err.println(USAGE);
                return 2;
            }
        }
        CheckPlan plan = MailpipeRunner.inspect(
                propertiesFile, context -> CheckPlan.of(context, MailpipeBeans.settings(context)));
        Optional<MailboxProbe> chosen = choose(plan.mailboxes, route);
        if (chosen.isEmpty()) {
            return 2;
        }
        MailboxProbe probe = chosen.get();
        MailboxSettings mailbox = probe.mailbox();
        Optional<OAuthSettings> oauth = mailbox.oauth().filter(o -> o.grant() == OAuthSettings.Grant.REFRESH_TOKEN);
        if (oauth.isEmpty()) {
            err.println("mailpipe login: " + probe.subject() + " does not sign in with a refresh token ("
                    + mailbox.oauth().map(Object::toString).orElse("password") + "): set " + OAuthSettings.AUTH
                    + "=xoauth2 and " + OAuthSettings.REFRESH_TOKEN_FILE + " to the file login should write");
            return 2;
        }
        RefreshTokenFile file =
                new RefreshTokenFile(oauth.get().refreshTokenFile().orElseThrow());
        out.println("Signing in " + probe.subject() + " ("
                + oauth.get().login().chosenFlow().name().toLowerCase(java.util.Locale.ROOT)
                + " flow); the refresh token goes to " + file.path());
        String refreshToken;
        try {
            refreshToken = FirstSignIn.refreshToken(oauth.get(), out, REQUEST_TIMEOUT);
        } catch (TokenException e) {
            err.println("mailpipe login: " + e.getMessage());
            return SIGN_IN_FAILS;
        } catch (IllegalArgumentException e) {
            err.println("mailpipe login: " + e.getMessage());
            return 2;
        }
        try {
            file.write(refreshToken);
        } catch (IOException e) {
            err.println("mailpipe login: signed in, but cannot write " + file.path() + " (" + e
                    + "); make its folder writable and run mailpipe login again");
            return SIGN_IN_FAILS;
        }
        out.println("Wrote the refresh token to " + file.path() + " (readable by its owner only).");
        Finding finding = probe.run();
        out.println((finding.ok() ? "Signed in to the mailbox: " : "The mailbox did not open with it: ")
                + finding.detail());
        return finding.ok() ? 0 : SIGN_IN_FAILS;
    }

    private Optional<MailboxProbe> choose(List<MailboxProbe> mailboxes, Optional<String> route) {
        if (route.isPresent()) {
            Optional<MailboxProbe> named = mailboxes.stream()
                    .filter(probe -> probe.routeId().equals(route.get()))
                    .findFirst();
            if (named.isEmpty()) {
                err.println("mailpipe login: no mailbox route '" + route.get() + "'; the routes are: "
                        + routeIds(mailboxes));
            }
            return named;
        }
        if (mailboxes.size() == 1) {
            return Optional.of(mailboxes.get(0));
        }
        err.println("mailpipe login: "
                + (mailboxes.isEmpty()
                        ? "no mailbox route is loaded"
                        : mailboxes.size() + " mailboxes are configured; name one with --route: "
                                + routeIds(mailboxes)));
        return Optional.empty();
    }

    private static String routeIds(List<MailboxProbe> mailboxes) {
        return mailboxes.stream().map(MailboxProbe::routeId).collect(Collectors.joining(", "));
    }
}
