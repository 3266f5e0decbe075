package dev.mailpipe.common;

import dev.mailpipe.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS trust for a mailbox given as a PEM file of CA certificates ({@code mailbox.caFile}): the
 * connection trusts exactly those CAs instead of the JDK's default set. Host names are still checked.
 */
public final class TrustedCertificates {

    private TrustedCertificates() {}

    public static SSLSocketFactory socketFactoryTrusting(Path pemFile, String property) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pemFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | GeneralSecurityException e) {
            throw Settings.invalid(
                    property, "is not a readable PEM file of certificates: " + pemFile + " (" + e.getMessage() + ")");
        }
        if (certificates.isEmpty()) {
            throw Settings.invalid(property, "holds no certificate: " + pemFile);
        }
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + index++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot build a TLS context from " + pemFile, e);
        }
    }
}
