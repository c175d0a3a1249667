package org.tollgate.aaa.radius.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordsTest {

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"test", "", "correct horse battery staple", "pässwörd-ünïcode", "#\"quotes\"\\"})
    void papHashRoundTrip(String password) {
        String stored = Passwords.papHash(password);
        assertThat(stored).startsWith("{SSHA256}");
        assertThat(Passwords.papMatches(stored, password)).isTrue();
    }

    @Test
    void papHashIsSaltedSha256InFreeRadiusLayout() throws Exception {
        String stored = Passwords.papHash("secret");
        byte[] raw = Base64.getDecoder().decode(stored.substring("{SSHA256}".length()));
        assertThat(raw).hasSize(32 + 8);
        byte[] salt = Arrays.copyOfRange(raw, 32, raw.length);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update("secret".getBytes(StandardCharsets.UTF_8));
        sha.update(salt);
        assertThat(Arrays.copyOf(raw, 32)).isEqualTo(sha.digest());
    }

    @Test
    void samePasswordGetsDifferentSalts() {
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            hashes.add(Passwords.papHash("same"));
        }
        assertThat(hashes).hasSize(20);
        assertThat(hashes).allSatisfy(h -> assertThat(Passwords.papMatches(h, "same")).isTrue());
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"wrong", "", "Secret", "secret ", "secre"})
    void wrongPasswordFails(String attempt) {
        assertThat(Passwords.papMatches(Passwords.papHash("secret"), attempt)).isFalse();
    }

    @ParameterizedTest(name = "''{0}''")
    @NullSource
    @ValueSource(strings = {
            "", "secret", "{SSHA256}", "{SSHA256}not base64!!", "{SSHA}AAAA",
            // exactly 32 bytes: a digest with no salt
            "{SSHA256}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    })
    void malformedStoredHashFails(String stored) {
        assertThat(Passwords.papMatches(stored, "secret")).isFalse();
        assertThat(Passwords.papMatches(stored, "")).isFalse();
    }

    @Test
    void tamperedHashFails() {
        String stored = Passwords.papHash("secret");
        byte[] raw = Base64.getDecoder().decode(stored.substring(9));
        raw[0] ^= 1;
        assertThat(Passwords.papMatches("{SSHA256}" + Base64.getEncoder().encodeToString(raw), "secret")).isFalse();
    }

    @Test
    void ha1OfRfc2617() {
        assertThat(Passwords.ha1("test", "testrealm", "test")).isEqualTo("1e00d6dbd30441265df6064b9d9b7da9");
        assertThat(Passwords.ha1("Mufasa", "testrealm@host.com", "Circle Of Life"))
                .isEqualTo("939e7578ed9e3c518a452acee763bce9");
        assertThat(Passwords.ha1("101", "kamailio.org", "101")).matches("[0-9a-f]{32}")
                .isNotEqualTo(Passwords.ha1("101", "kamailio.org", "102"));
    }

    @Test
    void md5HexIsLowerCase() {
        assertThat(Passwords.md5Hex("")).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(Passwords.md5Hex("abc")).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
    }
}
