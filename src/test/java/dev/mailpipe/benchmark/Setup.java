package dev.mailpipe.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

/** What every contender is given: the account, the CA that signed the server's certificate, the code. */
record Setup(String user, Path passwordFile, Path caFile, Path trustStore, String classPath, Path jar) {

    static final String TRUST_STORE_PASSWORD = "changeit";

    /** Writes the password file and a PKCS12 trust store holding {@code caFile} (for the stock route) into {@code dir}. */
    static Setup create(Path dir, String user, String password, Path caFile, String classPath, Path jar)
            throws IOException, GeneralSecurityException {
        Path passwordFile = Files.writeString(dir.resolve("password"), password + "\n");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream pem = Files.newInputStream(caFile)) {
            store.setCertificateEntry(
                    "benchmark-ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        Path trustStore = dir.resolve("truststore.p12");
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            store.store(out, TRUST_STORE_PASSWORD.toCharArray());
        }
        return new Setup(user, passwordFile, caFile, trustStore, classPath, jar);
    }
}
