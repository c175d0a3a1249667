package org.tollgate.api.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.Permission;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "10.1.2.3,            10.1.2.3/32",
            "10.1.2.3/32,         10.1.2.3/32",
            "10.1.2.3/24,         10.1.2.0/24",     // host bits masked
            "10.1.3.255/23,       10.1.2.0/23",
            "10.255.255.255/8,    10.0.0.0/8",
            "192.168.1.129/25,    192.168.1.128/25",
            "8.8.8.8/0,           0.0.0.0/0",
            "' 172.16.0.1/12 ',   172.16.0.0/12",   // surrounding blanks ignored
            "::1,                 0:0:0:0:0:0:0:1/128",
            "2001:db8::1/128,     2001:db8:0:0:0:0:0:1/128",
            "2001:db8:abcd:12::1/48, 2001:db8:abcd:0:0:0:0:0/48",
            "2001:DB8::ffff/64,   2001:db8:0:0:0:0:0:0/64",
            "::/0,                0:0:0:0:0:0:0:0/0",
    })
    void parsesAndMasksHostBits(String text, String expected) {
        assertThat(Cidr.parse(text)).hasToString(expected);
    }

    @Test
    void bareAddressIsAHostRoute() {
        assertThat(Cidr.parse("192.0.2.7").prefixLength()).isEqualTo(32);
        assertThat(Cidr.parse("192.0.2.7").network()).containsExactly(192, 0, 2, 7);
        assertThat(Cidr.parse("2001:db8::7").prefixLength()).isEqualTo(128);
        assertThat(Cidr.parse("2001:db8::7").network()).hasSize(16);
    }

    @Test
    void constructorMasksAndCopiesTheArray() {
        byte[] bytes = {10, 1, 2, 3};
        Cidr c = new Cidr(bytes, 16);
        assertThat(c.network()).containsExactly(10, 1, 0, 0);
        bytes[0] = 99;                       // the caller's array is not shared
        c.network()[1] = 99;                 // nor is the returned one
        assertThat(c).hasToString("10.1.0.0/16");
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
            // /0 matches every address of its family, none of the other
            "0.0.0.0/0,        0.0.0.0,          true",
            "0.0.0.0/0,        255.255.255.255,  true",
            "0.0.0.0/0,        ::1,              false",
            "::/0,             2001:db8::1,      true",
            "::/0,             10.0.0.1,         false",
            // /8 on a byte boundary
            "10.0.0.0/8,       10.0.0.0,         true",
            "10.0.0.0/8,       10.255.255.255,   true",
            "10.0.0.0/8,       9.255.255.255,    false",
            "10.0.0.0/8,       11.0.0.0,         false",
            // /23 inside a byte
            "10.1.2.0/23,      10.1.2.0,         true",
            "10.1.2.0/23,      10.1.3.255,       true",
            "10.1.2.0/23,      10.1.1.255,       false",
            "10.1.2.0/23,      10.1.4.0,         false",
            // /32: exactly one address
            "10.1.2.3/32,      10.1.2.3,         true",
            "10.1.2.3/32,      10.1.2.2,         false",
            "10.1.2.3/32,      10.1.2.4,         false",
            // /128 and an IPv6 prefix inside a byte
            "2001:db8::1/128,  2001:db8::1,      true",
            "2001:db8::1/128,  2001:db8::2,      false",
            "2001:db8::/33,    2001:db8:7fff::1, true",
            "2001:db8::/33,    2001:db8:8000::,  false",
            "::1/128,          127.0.0.1,        false",
    })
    void containsAtPrefixBoundaries(String cidr, String address, boolean expected) throws UnknownHostException {
        assertThat(Cidr.parse(cidr).contains(InetAddress.getByName(address))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {
            "", "   ", "example.com", "nas-1", "localhost", "*",
            "1.2.3.4/33", "1.2.3.4/-1", "1.2.3.4/", "1.2.3.4/x", "::1/129",
            "1:2:3", "1.2.3.4/24/8", "0x0a000001",
    })
    void rejectsBadInput(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsPrefixOutOfRangeInConstructor() {
        assertThatThrownBy(() -> new Cidr(new byte[4], 33)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Cidr(new byte[16], 129)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Cidr(new byte[4], -1)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Text made only of [0-9a-f:.] that is not an address literal ("abc", "cafe", "1.2.3.4.5",
     * "300.1.1.1") passes Cidr's character check and is handed to InetAddress.getByName, which
     * resolves it through DNS. This test runs under a security manager that refuses name look-ups,
     * so it neither opens a socket nor depends on the network.
     */
    @Test
    @SuppressWarnings("removal")
    void rejectsHexLetterHostNamesWithoutDns() {
        SecurityManager previous = System.getSecurityManager();
        System.setSecurityManager(new SecurityManager() {
            @Override
            public void checkPermission(Permission perm) {
            }

            @Override
            public void checkPermission(Permission perm, Object context) {
            }

            @Override
            public void checkConnect(String host, int port) {
                if (port == -1) {
                    throw new SecurityException("DNS look-up of " + host);
                }
            }
        });
        try {
            for (String name : new String[] {"abc", "cafe", "dead.beef", "1.2.3.4.5", "300.1.1.1"}) {
                assertThatThrownBy(() -> Cidr.parse(name)).as(name).isInstanceOf(IllegalArgumentException.class);
            }
        } finally {
            System.setSecurityManager(previous);
        }
    }

    /** InetAddress accepts the BSD short forms: "10.1.2" is 10.1.0.2, "10" is 0.0.0.10. */
    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"10.1.2/24", "10.1.2", "10", "127.1"})
    void rejectsAbbreviatedIpv4(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void equalsAndHashCodeCompareNetworkAndPrefix() {
        Cidr a = Cidr.parse("10.1.2.3/24");
        Cidr b = Cidr.parse("10.1.2.200/24");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isEqualTo(new Cidr(new byte[] {10, 1, 2, 0}, 24));

        assertThat(a).isNotEqualTo(Cidr.parse("10.1.2.0/25"));
        assertThat(a).isNotEqualTo(Cidr.parse("10.1.3.0/24"));
        assertThat(Cidr.parse("0.0.0.0/0")).isNotEqualTo(Cidr.parse("::/0"));
        assertThat(Cidr.parse("2001:db8::1")).isEqualTo(Cidr.parse("2001:DB8:0::1"))
                .hasSameHashCodeAs(Cidr.parse("2001:DB8:0::1"));
        assertThat(a).isNotEqualTo(null).isNotEqualTo("10.1.2.0/24");
    }
}
