package dev.mailpipe.testing;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import jakarta.servlet.http.HttpServletRequest;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;

/**
 * Spring Authorization Server on loopback, in the test JVM: the grants mock-oauth2-server lacks, the
 * device authorization grant (RFC 8628) and client credentials with verified {@code private_key_jwt}
 * assertions (PS256, the client's keys fetched from its JWK set URL). Every access token carries the
 * mail user in a {@code username} claim, which its introspection endpoint returns to Dovecot.
 *
 * <p>Clients: {@link #DEVICE_CLIENT} (device code and refresh token, secret in the body), {@link
 * #QUICK_DEVICE_CLIENT} (the same, but its device codes expire in a second), {@link #CERTIFICATE_CLIENT}
 * (client credentials with a signed assertion, the token's user {@link #mailUser}), and {@link
 * #INTROSPECTION_CLIENT} for Dovecot. The user {@link #mailUser} signs in with {@link #PASSWORD}.
 */
public final class SpringAuthorizationServer implements AutoCloseable {

    public static final String DEVICE_CLIENT = "mailpipe-device";
    public static final String QUICK_DEVICE_CLIENT = "mailpipe-device-quick";
    public static final String CONFIDENTIAL_DEVICE_CLIENT = "mailpipe-device-confidential";
    public static final String CERTIFICATE_CLIENT = "mailpipe-certificate";
    public static final String INTROSPECTION_CLIENT = "dovecot";
    private static final String CLIENT_SECRET = "device-s3cret";
    public static final String INTROSPECTION_SECRET = "dovecot-secret";
    public static final String PASSWORD = "user-Pa55word";
    public static final String SCOPE = "pop3";

    private final ConfigurableApplicationContext context;
    private final int port;

    private SpringAuthorizationServer(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Starts the server; {@code clientJwkSetUrl} serves the certificate client's public keys. */
    public static SpringAuthorizationServer start(String mailUser, String clientJwkSetUrl) {
        // Spring Boot would otherwise reconfigure the tests' Log4j.
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Config.class)
                .web(WebApplicationType.SERVLET)
                .properties(Map.of(
                        "server.port", "0",
                        "server.address", "127.0.0.1",
                        "spring.main.banner-mode", "off",
                        "test.mail-user", mailUser,
                        "test.client-jwk-set-url", clientJwkSetUrl))
                .run();
        return new SpringAuthorizationServer(context);
    }

    /** The confidential device client's secret. */
    public static String secret(String deviceClient) {
        return CLIENT_SECRET + "-" + deviceClient;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public String tokenUrl() {
        return url("/oauth2/token");
    }

    public String deviceAuthorizationUrl() {
        return url("/oauth2/device_authorization");
    }

    /** Dovecot's introspection URL, with its client's credentials. */
    public String introspectionUrl() {
        return "http://" + INTROSPECTION_CLIENT + ":" + INTROSPECTION_SECRET + "@127.0.0.1:" + port
                + "/oauth2/introspect";
    }

    @Override
    public void close() {
        context.close();
    }

    /** The server's beans. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Config {

        @Bean
        @Order(1)
        SecurityFilterChain authorizationServer(HttpSecurity http, RegisteredClientRepository clientRepository)
                throws Exception {
            OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
            http.securityMatcher(server.getEndpointsMatcher())
                    .with(
                            server,
                            configurer -> configurer.clientAuthentication(
                                    clients -> clients.authenticationConverter(Config::publicDeviceClient)
                                            .authenticationProvider(new PublicDeviceClients(clientRepository))))
                    .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                    .exceptionHandling(handling ->
                            handling.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login")));
            return http.build();
        }

        /**
         * Spring Authorization Server authenticates public clients only with PKCE: a device client
         * that sends its id alone (as Microsoft's public clients do) at the device authorization
         * endpoint, and for the device code and refresh token grants, is read here.
         */
        private static Authentication publicDeviceClient(HttpServletRequest request) {
            String clientId = request.getParameter("client_id");
            boolean device = request.getRequestURI().endsWith("/oauth2/device_authorization")
                    || DEVICE_GRANT.equals(request.getParameter("grant_type"))
                    || "refresh_token".equals(request.getParameter("grant_type"));
            if (!device
                    || clientId == null
                    || request.getParameter("client_secret") != null
                    || request.getParameter("client_assertion") != null
                    || request.getHeader("Authorization") != null) {
                return null;
            }
            return new OAuth2ClientAuthenticationToken(clientId, ClientAuthenticationMethod.NONE, null, null);
        }

        /** Accepts such a client when it is registered as public (authentication method none). */
        private record PublicDeviceClients(RegisteredClientRepository clients) implements AuthenticationProvider {
            @Override
            public Authentication authenticate(Authentication authentication) {
                OAuth2ClientAuthenticationToken token = (OAuth2ClientAuthenticationToken) authentication;
                if (!ClientAuthenticationMethod.NONE.equals(token.getClientAuthenticationMethod())) {
                    return null;
                }
                RegisteredClient client = clients.findByClientId(String.valueOf(token.getPrincipal()));
                if (client == null
                        || !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)) {
                    throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
                }
                return new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.NONE, null);
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
            }
        }

        private static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

        @Bean
        @Order(2)
        SecurityFilterChain signIn(HttpSecurity http) throws Exception {
            // The test's browser posts the login form without reading its CSRF token first.
            http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                    .formLogin(Customizer.withDefaults())
                    .csrf(csrf -> csrf.disable());
            return http.build();
        }

        @Bean
        UserDetailsService users(Environment environment) {
            return new InMemoryUserDetailsManager(User.withUsername(environment.getProperty("test.mail-user"))
                    .password("{noop}" + PASSWORD)
                    .roles("USER")
                    .build());
        }

        @Bean
        RegisteredClientRepository clients(Environment environment) {
            return new InMemoryRegisteredClientRepository(List.of(
                    deviceClient(DEVICE_CLIENT, Duration.ofMinutes(5)),
                    deviceClient(QUICK_DEVICE_CLIENT, Duration.ofSeconds(1)),
                    deviceClient(CONFIDENTIAL_DEVICE_CLIENT, Duration.ofMinutes(5)),
                    RegisteredClient.withId(UUID.randomUUID().toString())
                            .clientId(CERTIFICATE_CLIENT)
                            .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                            .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                            .scope(SCOPE)
                            .clientSettings(ClientSettings.builder()
                                    .jwkSetUrl(environment.getProperty("test.client-jwk-set-url"))
                                    .tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.PS256)
                                    .build())
                            .build(),
                    RegisteredClient.withId(UUID.randomUUID().toString())
                            .clientId(INTROSPECTION_CLIENT)
                            .clientSecret("{noop}" + INTROSPECTION_SECRET)
                            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                            .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                            .build()));
        }

        /**
         * A device client as Microsoft registers an app that allows public client flows: its id alone
         * ({@link #DEVICE_CLIENT}, {@link #QUICK_DEVICE_CLIENT}); or, with a secret, a confidential one.
         */
        private static RegisteredClient deviceClient(String id, Duration codeLifetime) {
            RegisteredClient.Builder client =
                    RegisteredClient.withId(UUID.randomUUID().toString()).clientId(id);
            if (id.equals(CONFIDENTIAL_DEVICE_CLIENT)) {
                client.clientSecret("{noop}" + secret(id))
                        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST);
            } else {
                client.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
            }
            return client.authorizationGrantType(AuthorizationGrantType.DEVICE_CODE)
                    .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                    .scope(SCOPE)
                    .tokenSettings(TokenSettings.builder()
                            .deviceCodeTimeToLive(codeLifetime)
                            .build())
                    .build();
        }

        /** Consents are not remembered: every device code shows the consent page, to approve or deny. */
        @Bean
        OAuth2AuthorizationConsentService consents() {
            return new OAuth2AuthorizationConsentService() {
                @Override
                public void save(OAuth2AuthorizationConsent consent) {}

                @Override
                public void remove(OAuth2AuthorizationConsent consent) {}

                @Override
                public OAuth2AuthorizationConsent findById(String registeredClientId, String principalName) {
                    return null;
                }
            };
        }

        /** The mail user in every access token: the signed-in user's name, or for the app the test's user. */
        @Bean
        OAuth2TokenCustomizer<JwtEncodingContext> username(Environment environment) {
            return context -> {
                if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                    String user = AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())
                            ? environment.getProperty("test.mail-user")
                            : context.getPrincipal().getName();
                    context.getClaims().claim("username", user);
                }
            };
        }

        @Bean
        JWKSource<SecurityContext> signingKeys() throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            var pair = generator.generateKeyPair();
            RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                    .privateKey((RSAPrivateKey) pair.getPrivate())
                    .keyID(UUID.randomUUID().toString())
                    .build();
            return new ImmutableJWKSet<>(new JWKSet(key));
        }

        @Bean
        AuthorizationServerSettings authorizationServerSettings() {
            return AuthorizationServerSettings.builder().build();
        }
    }
}
