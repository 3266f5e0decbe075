package dev.mailpipe.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailpipe.testing.MutableClock;
import dev.mailpipe.testing.ScriptedTokenEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The device flow's polling rules (RFC 8628 section 3.5) on answers Spring Authorization Server does
 * not give (it has no slow_down) and on a clock the test moves: the server's interval, five seconds
 * more after each slow_down, and the code's own lifetime. The waits are recorded, not slept.
 */
class DeviceSignInTest {

    private final MutableClock clock = new MutableClock();
    private final List<Duration> pauses = new ArrayList<>();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private ScriptedTokenEndpoint server;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedTokenEndpoint();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The device authorization and token endpoints are one scripted URL, answered in order. */
    private DeviceSignIn signIn() {
        URI url = URI.create(server.url());
        TokenEndpoint endpoint = new TokenEndpoint(
                url,
                ClientAuthentication.of("device-app", new OAuthSettings.ClientCredential.None(), clock),
                Optional.of("pop3 offline_access"),
                Duration.ofSeconds(5),
                clock);
        return new DeviceSignIn(
                endpoint, url, new PrintStream(printed, true, StandardCharsets.UTF_8), clock, interval -> {
                    pauses.add(interval);
                    clock.advance(interval);
                });
    }

    private void codeGiven(int expiresIn, int interval) {
        server.answer(
                200,
                "{\"device_code\":\"dc-1\",\"user_code\":\"ABCD-EFGH\",\"verification_uri\":"
                        + "\"https://login.example.org/device\",\"expires_in\":" + expiresIn + ",\"interval\":"
                        + interval + "}");
    }

    private void error(String code) {
        server.answer(400, "{\"error\":\"" + code + "\"}");
    }

    @Test
    void pollsAtTheServersIntervalAndFiveSecondsSlowerAfterSlowDown() throws Exception {
        codeGiven(600, 2);
        error("authorization_pending");
        error("slow_down");
        error("authorization_pending");
        server.answer(200, "{\"access_token\":\"at\",\"refresh_token\":\"rt\",\"expires_in\":3600}");

        AccessToken token = signIn().signIn();

        assertThat(token.refreshToken()).contains("rt");
        assertThat(pauses)
                .containsExactly(
                        Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(7), Duration.ofSeconds(7));
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains(
                        "To sign in, open https://login.example.org/device on any device and enter the code ABCD-EFGH");
        List<String> requests = server.requests();
        assertThat(requests.get(0)).contains("client_id=device-app").contains("scope=pop3+offline_access");
        assertThat(requests.subList(1, requests.size()))
                .hasSize(4)
                .allSatisfy(form -> assertThat(form)
                        .contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code")
                        .contains("device_code=dc-1")
                        .contains("client_id=device-app"));
    }

    @Test
    void aCodeThatOutlivesItsLifetimeEndsTheWaitWithoutAnotherRequest() {
        codeGiven(12, 5);
        error("authorization_pending");
        error("authorization_pending");

        assertThatThrownBy(() -> signIn().signIn())
                .isInstanceOfSatisfying(
                        TokenException.class, e -> assertThat(e.isRejected()).isTrue())
                .hasMessageStartingWith("the code expired before the sign-in was completed: nothing written");
        // Polled at 5 and 10 seconds; at 15 the code had expired, so no third poll.
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void aServerErrorWhilePollingIsAskedAgainNotTheEndOfTheSignIn() throws Exception {
        codeGiven(600, 1);
        server.answer(500, "<html>proxy error</html>");
        error("authorization_pending");
        server.answer(200, "{\"access_token\":\"at\",\"refresh_token\":\"rt\"}");

        assertThat(signIn().signIn().refreshToken()).contains("rt");
    }

    @Test
    void microsoftsAuthorizationDeclinedIsADenial() {
        codeGiven(600, 1);
        error("authorization_declined");

        assertThatThrownBy(() -> signIn().signIn()).hasMessageStartingWith("the sign-in was denied");
    }

    @Test
    void theServersExpiredTokenAndAccessDeniedEndTheSignInInWords() {
        codeGiven(600, 1);
        error("expired_token");
        assertThatThrownBy(() -> signIn().signIn()).hasMessageStartingWith("the code expired");

        codeGiven(600, 1);
        error("access_denied");
        assertThatThrownBy(() -> signIn().signIn())
                .hasMessageStartingWith("the sign-in was denied (the user or an administrator declined it)");
    }
}
