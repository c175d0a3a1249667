package org.tollgate.aaa.radius.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DigestCredentialsTest {

    /** An MD5 of the test's own, so the expected responses do not come from the code under test. */
    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    // ---- the Kamailio/FreeRADIUS tutorial: user test, realm testrealm, password test, no qop

    private static final String TUTORIAL_HA1 = md5("test:testrealm:test");

    private static DigestCredentials tutorial(String response, String algorithm) {
        return new DigestCredentials(response, "testrealm", "1234abcd", "INVITE", "sip:5555551212@example.com",
                null, algorithm, null, null, null, "test");
    }

    @Test
    void tutorialVector() {
        assertThat(tutorial("631d6d73147add2f9e437f59bbc3aeb7", "MD5").matches(TUTORIAL_HA1)).isTrue();
    }

    @Test
    void responseAndHa1AreCaseInsensitiveHex() {
        assertThat(tutorial("631D6D73147ADD2F9E437F59BBC3AEB7", "MD5").matches(TUTORIAL_HA1)).isTrue();
        assertThat(tutorial("631d6d73147add2f9e437f59bbc3aeb7", "MD5").matches(TUTORIAL_HA1.toUpperCase())).isTrue();
    }

    @ParameterizedTest(name = "algorithm ''{0}''")
    @NullAndEmptySource
    @ValueSource(strings = {"MD5", "md5"})
    void md5IsTheDefaultAlgorithm(String algorithm) {
        assertThat(tutorial("631d6d73147add2f9e437f59bbc3aeb7", algorithm).matches(TUTORIAL_HA1)).isTrue();
    }

    @Test
    void wrongPasswordFails() {
        assertThat(tutorial("631d6d73147add2f9e437f59bbc3aeb7", "MD5").matches(md5("test:testrealm:wrong"))).isFalse();
    }

    @Test
    void anyChangedParameterFails() {
        String ok = "631d6d73147add2f9e437f59bbc3aeb7";
        assertThat(new DigestCredentials(ok, "testrealm", "1234abce", "INVITE", "sip:5555551212@example.com",
                null, "MD5", null, null, null, "test").matches(TUTORIAL_HA1)).as("nonce").isFalse();
        assertThat(new DigestCredentials(ok, "testrealm", "1234abcd", "REGISTER", "sip:5555551212@example.com",
                null, "MD5", null, null, null, "test").matches(TUTORIAL_HA1)).as("method").isFalse();
        assertThat(new DigestCredentials(ok, "testrealm", "1234abcd", "INVITE", "sip:5555551213@example.com",
                null, "MD5", null, null, null, "test").matches(TUTORIAL_HA1)).as("uri").isFalse();
        assertThat(tutorial("631d6d73147add2f9e437f59bbc3aeb8", "MD5").matches(TUTORIAL_HA1)).as("response").isFalse();
        assertThat(tutorial("631d6d73147add2f9e437f59bbc3aeb", "MD5").matches(TUTORIAL_HA1)).as("short").isFalse();
    }

    @ParameterizedTest(name = "algorithm {0}")
    @ValueSource(strings = {"SHA-256", "SHA-512-256", "AKAv1-MD5", "MD5-sessx"})
    void unsupportedAlgorithmFails(String algorithm) {
        // the response is right for MD5, so only the algorithm can make it fail
        assertThat(tutorial("631d6d73147add2f9e437f59bbc3aeb7", algorithm).matches(TUTORIAL_HA1)).isFalse();
    }

    @Test
    void missingParametersFail() {
        String ok = "631d6d73147add2f9e437f59bbc3aeb7";
        String uri = "sip:5555551212@example.com";
        assertThat(tutorial(ok, "MD5").matches(null)).isFalse();
        assertThat(tutorial(null, "MD5").matches(TUTORIAL_HA1)).isFalse();
        assertThat(new DigestCredentials(ok, "testrealm", null, "INVITE", uri, null, null, null, null, null, "test")
                .matches(TUTORIAL_HA1)).isFalse();
        assertThat(new DigestCredentials(ok, "testrealm", "1234abcd", null, uri, null, null, null, null, null, "test")
                .matches(TUTORIAL_HA1)).isFalse();
        assertThat(new DigestCredentials(ok, "testrealm", "1234abcd", "INVITE", null, null, null, null, null, null,
                "test").matches(TUTORIAL_HA1)).isFalse();
    }

    // ---- RFC 2617 section 3.5: qop=auth

    private static final String MUFASA_HA1 = md5("Mufasa:testrealm@host.com:Circle Of Life");

    private static DigestCredentials rfc2617(String response, String qop, String nc, String cnonce) {
        return new DigestCredentials(response, "testrealm@host.com", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "GET",
                "/dir/index.html", qop, null, null, cnonce, nc, "Mufasa");
    }

    @Test
    void rfc2617QopAuthVector() {
        assertThat(rfc2617("6629fae49393a05397450978507c4ef1", "auth", "00000001", "0a4f113b").matches(MUFASA_HA1))
                .isTrue();
    }

    @Test
    void qopAuthDependsOnNonceCountAndCnonce() {
        assertThat(rfc2617("6629fae49393a05397450978507c4ef1", "auth", "00000002", "0a4f113b").matches(MUFASA_HA1))
                .isFalse();
        assertThat(rfc2617("6629fae49393a05397450978507c4ef1", "auth", "00000001", "0a4f113c").matches(MUFASA_HA1))
                .isFalse();
        assertThat(rfc2617("6629fae49393a05397450978507c4ef1", null, "00000001", "0a4f113b").matches(MUFASA_HA1))
                .as("same response without qop").isFalse();
    }

    @Test
    void qopAuthComputedIndependently() {
        String nonce = "5f2c1a";
        String cnonce = "c0ffee";
        String ha2 = md5("INVITE:sip:bob@example.com");
        String response = md5(TUTORIAL_HA1 + ":" + nonce + ":00000003:" + cnonce + ":auth:" + ha2);
        DigestCredentials c = new DigestCredentials(response, "testrealm", nonce, "INVITE", "sip:bob@example.com",
                "auth", "MD5", null, cnonce, "00000003", "test");
        assertThat(c.matches(TUTORIAL_HA1)).isTrue();
        assertThat(c.matches(md5("test:testrealm:other"))).isFalse();
    }

    // ---- MD5-sess: A1 = H(user:realm:password) ":" nonce ":" cnonce

    @Test
    void md5Sess() {
        String nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093";
        String cnonce = "0a4f113b";
        String sessionHa1 = md5(MUFASA_HA1 + ":" + nonce + ":" + cnonce);
        String ha2 = md5("GET:/dir/index.html");
        String response = md5(sessionHa1 + ":" + nonce + ":00000001:" + cnonce + ":auth:" + ha2);
        DigestCredentials c = new DigestCredentials(response, "testrealm@host.com", nonce, "GET", "/dir/index.html",
                "auth", "MD5-sess", null, cnonce, "00000001", "Mufasa");

        assertThat(c.matches(MUFASA_HA1)).isTrue();
        assertThat(c.matches(md5("Mufasa:testrealm@host.com:wrong"))).isFalse();
        // the plain-MD5 response of the same parameters is not accepted as MD5-sess
        DigestCredentials plain = new DigestCredentials("6629fae49393a05397450978507c4ef1", "testrealm@host.com",
                nonce, "GET", "/dir/index.html", "auth", "md5-sess", null, cnonce, "00000001", "Mufasa");
        assertThat(plain.matches(MUFASA_HA1)).isFalse();
    }

    // ---- qop=auth-int: A2 = method ":" uri ":" H(entity-body)

    @Test
    void authIntUsesTheBodyDigest() {
        String nonce = "abc123";
        String cnonce = "def456";
        String bodyDigest = md5("v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\n");
        String ha2 = md5("INVITE:sip:bob@example.com:" + bodyDigest);
        String response = md5(TUTORIAL_HA1 + ":" + nonce + ":00000001:" + cnonce + ":auth-int:" + ha2);

        assertThat(new DigestCredentials(response, "testrealm", nonce, "INVITE", "sip:bob@example.com", "auth-int",
                "MD5", bodyDigest, cnonce, "00000001", "test").matches(TUTORIAL_HA1)).isTrue();
        assertThat(new DigestCredentials(response, "testrealm", nonce, "INVITE", "sip:bob@example.com", "auth-int",
                "MD5", md5("other body"), cnonce, "00000001", "test").matches(TUTORIAL_HA1)).isFalse();
    }

    @Test
    void authIntWithoutBodyDigestFails() {
        String nonce = "abc123";
        String cnonce = "def456";
        // even a response computed as if the body digest were empty is refused
        String ha2 = md5("INVITE:sip:bob@example.com:");
        String response = md5(TUTORIAL_HA1 + ":" + nonce + ":00000001:" + cnonce + ":auth-int:" + ha2);
        assertThat(new DigestCredentials(response, "testrealm", nonce, "INVITE", "sip:bob@example.com", "auth-int",
                "MD5", null, cnonce, "00000001", "test").matches(TUTORIAL_HA1)).isFalse();
    }
}
