package dev.mailpipe.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;
import java.util.Map;

/**
 * A JSON Web Token signed with an RSA key (RFC 7515 and 7519): RS256 for Google's service accounts,
 * PS256 (RSASSA-PSS) for Microsoft's certificate credentials, as each documents. Made with the JDK's
 * signatures and Jackson: mailpipe only signs assertions, it never verifies tokens.
 */
final class SignedJwt {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private SignedJwt() {}

    /** The algorithms mailpipe signs with. */
    enum Algorithm {
        RS256,
        PS256
    }

    /** {@code header} gets {@code alg} and {@code typ}; the claims are written as given. */
    static String sign(Algorithm algorithm, Map<String, Object> header, Map<String, Object> claims, PrivateKey key) {
        try {
            Map<String, Object> fullHeader = new java.util.LinkedHashMap<>();
            fullHeader.put("alg", algorithm.name());
            fullHeader.put("typ", "JWT");
            fullHeader.putAll(header);
            String signingInput = part(fullHeader) + "." + part(claims);
            Signature rsa;
            if (algorithm == Algorithm.PS256) {
                rsa = Signature.getInstance("RSASSA-PSS");
                rsa.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            } else {
                rsa = Signature.getInstance("SHA256withRSA");
            }
            rsa.initSign(key);
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + BASE64URL.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the RSA key: " + e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the token's claims", e);
        }
    }

    static String base64url(byte[] bytes) {
        return BASE64URL.encodeToString(bytes);
    }

    private static String part(Map<String, Object> fields) throws JsonProcessingException {
        return BASE64URL.encodeToString(JSON.writeValueAsBytes(fields));
    }
}
