package dev.mailpipe.testing;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * An app's certificate credential as an administrator makes one: a self-signed RSA certificate and its
 * unencrypted key in PEM files (made with the JDK's keytool), and the certificate's public key served
 * as a JWK set on loopback, where the authorization server looks it up (as Microsoft does once the
 * certificate is uploaded to the app registration).
 */
public final class ClientCertificate implements AutoCloseable {

    private final Path certificateFile;
    private final Path keyFile;
    private final HttpServer jwks;

    private ClientCertificate(Path certificateFile, Path keyFile, HttpServer jwks) {
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
        this.jwks = jwks;
    }

    /** Makes the files in {@code dir} and starts serving the JWK set. */
    public static ClientCertificate create(Path dir) throws Exception {
        Path store = dir.resolve("client.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "app",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-dname",
                        "CN=mailpipe test app",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        store.toString(),
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        X509Certificate certificate = (X509Certificate) keys.getCertificate("app");
        PrivateKey key = (PrivateKey) keys.getKey("app", "changeit".toCharArray());
        Path certificateFile =
                Files.writeString(dir.resolve("app-cert.pem"), pem("CERTIFICATE", certificate.getEncoded()));
        Path keyFile = Files.writeString(dir.resolve("app-key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        byte[] thumbprint = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        // x5t#S256 on the key: the server picks the key whose thumbprint the assertion's header names.
        String set = new JWKSet(new RSAKey.Builder((RSAPublicKey) certificate.getPublicKey())
                        .x509CertSHA256Thumbprint(Base64URL.encode(thumbprint))
                        .build())
                .toString();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks", exchange -> {
            byte[] body = set.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return new ClientCertificate(certificateFile, keyFile, server);
    }

    public String jwkSetUrl() {
        return "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks";
    }

    public Path certificateFile() {
        return certificateFile;
    }

    public Path keyFile() {
        return keyFile;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    @Override
    public void close() throws IOException {
        jwks.stop(0);
    }
}
