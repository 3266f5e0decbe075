package dev.mailpipe.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.testing.TemplatedRoutes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code mailpipe login} refuses before any sign-in (exit 2, the reason on stderr, nothing
 * written): an unknown argument, several mailboxes without {@code --route}, a route that does not
 * exist, a mailbox that does not sign in with a refresh token. The flows themselves are tested on
 * the packaged jar against real authorization servers (LoginInteropTest).
 */
class LoginCommandTest {

    private static final Path PROJECT_DIR = Path.of(System.getProperty("mailpipe.project.dir", "."));

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Two mailboxes: one signing in with a refresh token (not written yet), one with a password. */
    private Path twoMailboxes() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        for (String shipped : List.of("mailbox.camel.yaml", "mailpipe-errors.camel.yaml")) {
            Files.copy(PROJECT_DIR.resolve("routes").resolve(shipped), routes.resolve(shipped));
        }
        Files.writeString(
                routes.resolve("fleet.camel.yaml"),
                TemplatedRoutes.mailbox(
                                "outlook",
                                Map.of(
                                        "provider", "outlook",
                                        "username", "you@outlook.com",
                                        "oauthClientId", "app-id",
                                        "oauthRefreshTokenFile",
                                                dir.resolve("refresh-token").toString()))
                        + TemplatedRoutes.mailbox(
                                "office", Map.of("host", "127.0.0.1", "port", "1", "username", "u", "password", "pw")));
        return Files.writeString(
                dir.resolve("mailpipe.properties"),
                String.join(
                        "\n",
                        "camel.main.routesIncludePattern=file:" + routes + "/*.yaml",
                        "sink.files.dir=" + dir.resolve("out"),
                        "ledger.dir=" + dir.resolve("ledger")));
    }

    private int login(Path properties, String... args) throws Exception {
        return new LoginCommand(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(Optional.of(properties), List.of(args));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anUnknownArgumentIsBadUsage() throws Exception {
        assertThat(login(twoMailboxes(), "--browser")).isEqualTo(2);
        assertThat(stderr()).contains("unknown argument '--browser'").contains(LoginCommand.USAGE);
    }

    @Test
    void severalMailboxesNeedARouteAndTheRouteMustExist() throws Exception {
        Path properties = twoMailboxes();

        assertThat(login(properties)).isEqualTo(2);
        assertThat(stderr())
                .contains("2 mailboxes are configured; name one with --route: ")
                .contains("outlook")
                .contains("office");

        assertThat(login(properties, "--route", "gmail")).isEqualTo(2);
        assertThat(stderr()).contains("no mailbox route 'gmail'; the routes are: ");
    }

    @Test
    void aMailboxWithAPasswordHasNothingToSignInFor() throws Exception {
        assertThat(login(twoMailboxes(), "--route", "office")).isEqualTo(2);

        assertThat(stderr())
                .contains("does not sign in with a refresh token (password)")
                .contains("set mailbox.auth=xoauth2 and mailbox.oauth.refreshTokenFile");
        assertThat(dir.resolve("refresh-token")).doesNotExist();
    }
}
