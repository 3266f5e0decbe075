package dev.mailpipe.oauth;

import dev.mailpipe.config.Settings;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * How a request to an authorization server identifies the client: its id alone (a public client),
 * with its secret in the body ({@code client_secret_post}), or with an assertion its certificate's key
 * signs for each request ({@code private_key_jwt}, RFC 7523 section 2.2, as Microsoft's certificate
 * credentials want it). A service account's grant carries its own assertion and no client fields.
 */
final class ClientAuthentication {

    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    /** Short enough that a captured assertion is soon worthless; long enough for a slow clock. */
    private static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(5);

    private final Optional<String> clientId;
    private final Optional<String> secret;
    private final Optional<SigningCertificate> certificate;
    private final Clock clock;

    private record SigningCertificate(String sha256Thumbprint, PrivateKey key) {}

    private ClientAuthentication(
            Optional<String> clientId, Optional<String> secret, Optional<SigningCertificate> certificate, Clock clock) {
        this.clientId = clientId;
        this.secret = secret;
        this.certificate = certificate;
        this.clock = clock;
    }

    /** Nothing about the client in the request: the grant's own assertion says who asks. */
    static ClientAuthentication none() {
        return new ClientAuthentication(Optional.empty(), Optional.empty(), Optional.empty(), Clock.systemUTC());
    }

    /** The client of these settings; a certificate and its key are read here, so errors come at start. */
    static ClientAuthentication of(String clientId, OAuthSettings.ClientCredential credential, Clock clock) {
        if (credential instanceof OAuthSettings.ClientCredential.Secret secret) {
            return new ClientAuthentication(
                    Optional.of(clientId), Optional.of(secret.value()), Optional.empty(), clock);
        }
        if (credential instanceof OAuthSettings.ClientCredential.Certificate files) {
            return new ClientAuthentication(
                    Optional.of(clientId), Optional.empty(), Optional.of(signing(files)), clock);
        }
        return new ClientAuthentication(Optional.of(clientId), Optional.empty(), Optional.empty(), clock);
    }

    private static SigningCertificate signing(OAuthSettings.ClientCredential.Certificate files) {
        X509Certificate certificate;
        PrivateKey key;
        try {
            certificate = Pem.certificate(files.certificateFile());
        } catch (IllegalArgumentException e) {
            throw Settings.invalid(OAuthSettings.CLIENT_CERTIFICATE_FILE, e.getMessage());
        }
        try {
            key = Pem.privateKey(files.keyFile());
        } catch (IllegalArgumentException e) {
            throw Settings.invalid(OAuthSettings.CLIENT_KEY_FILE, e.getMessage());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return new SigningCertificate(SignedJwt.base64url(digest), key);
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw Settings.invalid(OAuthSettings.CLIENT_CERTIFICATE_FILE, "cannot be encoded: " + e.getMessage());
        }
    }

    /** Adds the client's fields to a request's form; {@code audience} is the URL it is sent to. */
    void addTo(Map<String, String> form, URI audience) {
        clientId.ifPresent(id -> form.put("client_id", id));
        secret.ifPresent(s -> form.put("client_secret", s));
        certificate.ifPresent(signing -> {
            form.put("client_assertion_type", ASSERTION_TYPE);
            form.put("client_assertion", assertion(signing, audience));
        });
    }

    private String assertion(SigningCertificate signing, URI audience) {
        Instant now = clock.instant();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", clientId.orElseThrow());
        claims.put("sub", clientId.orElseThrow());
        claims.put("aud", audience.toString());
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", now.plus(ASSERTION_LIFETIME).getEpochSecond());
        return SignedJwt.sign(
                SignedJwt.Algorithm.PS256, Map.of("x5t#S256", signing.sha256Thumbprint()), claims, signing.key());
    }

    /** The client's id, if the requests name one. */
    Optional<String> clientId() {
        return clientId;
    }

    /** The settings to check when the server refuses the client. */
    String settingsToCheck() {
        if (certificate.isPresent()) {
            return OAuthSettings.CLIENT_ID + ", " + OAuthSettings.CLIENT_CERTIFICATE_FILE + " and "
                    + OAuthSettings.CLIENT_KEY_FILE + " (the certificate must be uploaded to the app registration)";
        }
        return OAuthSettings.CLIENT_ID + " and " + OAuthSettings.CLIENT_SECRET + " / "
                + OAuthSettings.CLIENT_SECRET_FILE + " (an expired or revoked secret needs a new one)";
    }
}
