package org.tollgate.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpLiteralTest {

    @Test
    void addressesComeInJavasSpelling() {
        assertThat(IpLiteral.normalized("::1")).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(IpLiteral.normalized("[2001:DB8::7]")).isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(IpLiteral.normalized(" 192.0.2.1 ")).isEqualTo("192.0.2.1");
        assertThat(IpLiteral.normalized("::ffff:192.0.2.1")).as("a mapped address is the IPv4 one").isEqualTo("192.0.2.1");
    }

    @Test
    void whatIsNotALiteralIsNoAddressAndNeverLookedUp() {
        assertThat(IpLiteral.normalized("localhost")).isNull();
        assertThat(IpLiteral.normalized("999.1.1.1")).isNull();
        assertThat(IpLiteral.normalized("1.2.3")).isNull();
        assertThat(IpLiteral.normalized("abc:xyz")).isNull();
        assertThat(IpLiteral.normalized("")).isNull();
        assertThat(IpLiteral.normalized(null)).isNull();
    }
}
