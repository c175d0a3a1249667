package org.tollgate.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sip.message.Request;

import org.junit.jupiter.api.Test;
import org.tollgate.proxy.testutil.Sip;

class NatTest {

    private static Request invite(String via, String contact) {
        return Sip.request("""
                INVITE sip:601@tollgate.test SIP/2.0
                Via: SIP/2.0/UDP %s;branch=z9hG4bK-1
                From: <sip:601@tollgate.test>;tag=a
                To: <sip:602@tollgate.test>
                Call-ID: nat-1
                CSeq: 1 INVITE
                Contact: <sip:601@%s>
                Max-Forwards: 70
                Content-Length: 0
                """.formatted(via, contact));
    }

    @Test
    void aPhoneThatSaysWhereItSendsFromIsNotBehindNat() {
        assertThat(Nat.behind(invite("192.0.2.7:5060", "192.0.2.7:5060"), new Source("192.0.2.7", 5060, "udp")))
                .isFalse();
        // over TCP the source port is the connection's, whatever the Via says
        assertThat(Nat.behind(invite("192.0.2.7:5060", "192.0.2.7:5060"), new Source("192.0.2.7", 41000, "tcp")))
                .isFalse();
    }

    @Test
    void aPrivateContactOrAViaOtherThanTheSourceIsBehindNat() {
        assertThat(Nat.behind(invite("192.0.2.7:5060", "10.0.0.5:5060"), new Source("192.0.2.7", 5060, "udp")))
                .as("private Contact").isTrue();
        assertThat(Nat.behind(invite("10.0.0.5:5060", "192.0.2.7:5060"), new Source("192.0.2.7", 5060, "udp")))
                .as("Via host").isTrue();
        assertThat(Nat.behind(invite("192.0.2.7:5060", "192.0.2.7:5060"), new Source("192.0.2.7", 40312, "udp")))
                .as("Via port over UDP").isTrue();
    }

    @Test
    void privateAddressesAreThoseNoOneRoutesPublicly() {
        assertThat(Nat.isPrivate("10.1.2.3")).isTrue();
        assertThat(Nat.isPrivate("172.16.0.1")).isTrue();
        assertThat(Nat.isPrivate("192.168.1.1")).isTrue();
        assertThat(Nat.isPrivate("100.64.0.1")).isTrue();
        assertThat(Nat.isPrivate("169.254.1.1")).isTrue();
        assertThat(Nat.isPrivate("[fd00::1]")).isTrue();
        assertThat(Nat.isPrivate("192.0.2.7")).isFalse();
        assertThat(Nat.isPrivate("100.128.0.1")).isFalse();
        assertThat(Nat.isPrivate("phone.example.org")).isFalse();
    }

    @Test
    void aContactRegisteredFromBehindNatIsReachedAtItsSource() {
        assertThat(Nat.registeredBehind(Sip.uri("sip:601@10.0.0.5:5060"), "udp:192.0.2.7:40312"))
                .isEqualTo(new HostPort("192.0.2.7", 40312));
        // the source's host, another port: a phone registered on its behalf as well as one behind NAT
        assertThat(Nat.registeredBehind(Sip.uri("sip:601@192.0.2.7:5060"), "udp:192.0.2.7:40312")).isNull();
        assertThat(Nat.registeredBehind(Sip.uri("sip:601@192.0.2.7:40312"), "udp:192.0.2.7:40312")).isNull();
        // registered on its behalf from another public address: routed to the contact as it is
        assertThat(Nat.registeredBehind(Sip.uri("sip:601@198.51.100.9:5060"), "udp:192.0.2.7:40312")).isNull();
    }
}
