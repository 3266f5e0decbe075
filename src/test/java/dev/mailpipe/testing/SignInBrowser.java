package dev.mailpipe.testing;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user's browser in sign-in tests: an HTTP client with cookies that follows what {@code mailpipe
 * login} prints. For the browser flow it opens the authorization URL and follows the redirect back
 * to mailpipe's loopback listener (or brings back an answer of the test's making); for the device
 * flow it signs in to Spring Authorization Server and approves or denies the user code.
 */
public final class SignInBrowser {

    private static final Pattern HIDDEN =
            Pattern.compile("<input[^>]*name=\"(state|client_id)\"[^>]*value=\"([^\"]*)\"");

    private final HttpClient http = HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /**
     * Opens the authorization URL, signs in as {@code user} if the server shows its login form
     * (mock-oauth2-server does when asked to prompt, as mailpipe asks Google to), and returns where
     * the server redirects the browser (with code and state).
     */
    public URI authorize(String authorizationUrl, String user) throws IOException, InterruptedException {
        HttpResponse<String> response = get(URI.create(authorizationUrl));
        if (response.statusCode() == 200 && response.body().contains("name=\"username\"")) {
            // The user's claims as mock-oauth2-server's form takes them: the mail user Dovecot signs in.
            response = post(
                    URI.create(authorizationUrl),
                    "username=" + encode(user) + "&claims=" + encode("{\"username\":\"" + user + "\"}"));
        }
        HttpResponse<String> answered = response;
        return URI.create(answered.headers()
                .firstValue("Location")
                .orElseThrow(() -> new AssertionError("no redirect from " + authorizationUrl + ": HTTP "
                        + answered.statusCode() + " " + answered.body())));
    }

    /** Opens {@code uri} (mailpipe's redirect listener) and returns the page's status. */
    public int open(URI uri) throws IOException, InterruptedException {
        return get(uri).statusCode();
    }

    /** Signs in at Spring Authorization Server as {@code user} and approves (or, with no scope, denies) the code. */
    public int decideDeviceCode(SpringAuthorizationServer server, String user, String userCode, boolean approve)
            throws IOException, InterruptedException {
        post(
                URI.create(server.url("/login")),
                "username=" + encode(user) + "&password=" + encode(SpringAuthorizationServer.PASSWORD));
        HttpResponse<String> consent =
                get(URI.create(server.url("/oauth2/device_verification?user_code=" + encode(userCode))));
        String state = null;
        String clientId = null;
        Matcher hidden = HIDDEN.matcher(consent.body());
        while (hidden.find()) {
            if (hidden.group(1).equals("state")) {
                state = hidden.group(2);
            } else {
                clientId = hidden.group(2);
            }
        }
        if (state == null || clientId == null) {
            throw new AssertionError(
                    "no consent page for " + userCode + ": HTTP " + consent.statusCode() + " " + consent.body());
        }
        String form = "client_id=" + encode(clientId) + "&state=" + encode(state) + "&user_code=" + encode(userCode)
                + (approve ? "&scope=" + encode(SpringAuthorizationServer.SCOPE) : "");
        return post(URI.create(server.url("/oauth2/device_verification")), form).statusCode();
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI uri, String form) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
