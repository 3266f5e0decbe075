package dev.mailpipe.oauth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RSA private keys and X.509 certificates in PEM, read with the JDK alone: a key in PKCS#8 ({@code
 * PRIVATE KEY}, as Google's service account keys and {@code openssl genpkey} write it) or PKCS#1
 * ({@code RSA PRIVATE KEY}, older OpenSSL); encrypted keys are refused with words, never a password
 * prompt. Errors never quote the key.
 */
final class Pem {

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    private Pem() {}

    /** The RSA private key in {@code text}; {@code where} names it in errors (a file, a key's field). */
    static PrivateKey privateKey(String text, String where) {
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            String type = block.group(1);
            byte[] der = Base64.getMimeDecoder().decode(block.group(2));
            switch (type) {
                case "PRIVATE KEY":
                    return rsa(der, where);
                case "RSA PRIVATE KEY":
                    return rsa(pkcs8(der), where);
                case "ENCRYPTED PRIVATE KEY":
                    throw new IllegalArgumentException(where + " holds an encrypted private key: mailpipe needs it"
                            + " unencrypted (openssl pkey -in KEY -out PLAIN), in a file only its user can read");
                default:
                // A certificate or parameters beside the key: look further.
            }
        }
        throw new IllegalArgumentException(where + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    static PrivateKey privateKey(Path file) {
        return privateKey(read(file), file.toString());
    }

    /** The first certificate in the PEM file. */
    static X509Certificate certificate(Path file) {
        Matcher block = BLOCK.matcher(read(file));
        while (block.find()) {
            if (block.group(1).equals("CERTIFICATE")) {
                byte[] der = Base64.getMimeDecoder().decode(block.group(2));
                try {
                    return (X509Certificate)
                            CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
                } catch (CertificateException e) {
                    throw new IllegalArgumentException(
                            file + " holds a certificate that cannot be read: " + e.getMessage());
                }
            }
        }
        throw new IllegalArgumentException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static PrivateKey rsa(byte[] pkcs8, String where) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(where + " holds no RSA private key that can be read");
        }
    }

    /** PKCS#1's RSAPrivateKey wrapped as PKCS#8's PrivateKeyInfo (version 0, rsaEncryption, the key). */
    private static byte[] pkcs8(byte[] pkcs1) {
        byte[] algorithm = {
            0x30,
            0x0d,
            0x06,
            0x09,
            0x2a,
            (byte) 0x86,
            0x48,
            (byte) 0x86,
            (byte) 0xf7,
            0x0d,
            0x01,
            0x01,
            0x01,
            0x05,
            0x00
        };
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = derItem(0x04, pkcs1);
        byte[] body = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
        System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
        return derItem(0x30, body);
    }

    private static byte[] derItem(int tag, byte[] content) {
        int length = content.length;
        byte[] header;
        if (length < 0x80) {
            header = new byte[] {(byte) tag, (byte) length};
        } else if (length < 0x100) {
            header = new byte[] {(byte) tag, (byte) 0x81, (byte) length};
        } else if (length < 0x10000) {
            header = new byte[] {(byte) tag, (byte) 0x82, (byte) (length >> 8), (byte) length};
        } else {
            header = new byte[] {(byte) tag, (byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
        }
        byte[] item = new byte[header.length + length];
        System.arraycopy(header, 0, item, 0, header.length);
        System.arraycopy(content, 0, item, header.length, length);
        return item;
    }
}
