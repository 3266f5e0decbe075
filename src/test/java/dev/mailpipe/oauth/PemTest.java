package dev.mailpipe.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Private keys as administrators have them: PKCS#8 (Google's keys, openssl genpkey), PKCS#1 (older openssl). */
class PemTest {

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type
                + "-----\n";
    }

    @Test
    void readsPkcs8AndPkcs1KeysAlike() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        PrivateKey key = generator.generateKeyPair().getPrivate();
        byte[] pkcs8 = key.getEncoded();
        // PrivateKeyInfo of a 2048-bit key: SEQUENCE(4) version(3) algorithm(15) OCTET STRING(4) then PKCS#1.
        assertThat(pkcs8[22]).isEqualTo((byte) 0x04);
        byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);

        assertThat(Pem.privateKey(pem("PRIVATE KEY", pkcs8), "k").getEncoded()).isEqualTo(pkcs8);
        assertThat(Pem.privateKey("a certificate first\n" + pem("RSA PRIVATE KEY", pkcs1), "k")
                        .getEncoded())
                .isEqualTo(pkcs8);
    }

    @Test
    void anEncryptedKeyIsRefusedWithWhatToDoAndNoKeyMaterial() {
        String encrypted = pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3, 4, 5, 6});

        assertThatThrownBy(() -> Pem.privateKey(encrypted, "/etc/mailpipe/app-key.pem"))
                .hasMessage("/etc/mailpipe/app-key.pem holds an encrypted private key: mailpipe needs it unencrypted"
                        + " (openssl pkey -in KEY -out PLAIN), in a file only its user can read");
        assertThatThrownBy(() -> Pem.privateKey("no key here", "k")).hasMessageContaining("holds no PEM private key");
    }
}
