package org.tollgate.proxy.location;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The allowed-source check of REGISTER ({@code #2:ip} SIP-AVPs from the Access-Accept). */
class RegistrarTest {

    @Test
    void noAvpsMeansAnySource() {
        assertThat(Registrar.sourceAllowed(List.of(), "203.0.113.5")).isTrue();
    }

    @Test
    void otherAvpsDoNotRestrict() {
        assertThat(Registrar.sourceAllowed(List.of("rpid:101", "#3:192.168.2.10", "#20:10.0.0.1"), "203.0.113.5"))
                .isTrue();
    }

    @Test
    void sourceInTheListIsAllowed() {
        List<String> avps = List.of("rpid:101", "#2:192.168.2.10", "#2:192.168.2.11");
        assertThat(Registrar.sourceAllowed(avps, "192.168.2.10")).isTrue();
        assertThat(Registrar.sourceAllowed(avps, "192.168.2.11")).isTrue();
    }

    @Test
    void sourceNotInTheListIsRefused() {
        List<String> avps = List.of("#2:192.168.2.10", "rpid:101", "#2:192.168.2.11");
        assertThat(Registrar.sourceAllowed(avps, "192.168.2.12")).isFalse();
        assertThat(Registrar.sourceAllowed(avps, "192.168.2.1")).isFalse();
    }

    @Test
    void integerNameFormAndSpacesAreUnderstood() {
        assertThat(Registrar.sourceAllowed(List.of("i:2:10.0.0.7"), "10.0.0.7")).isTrue();
        assertThat(Registrar.sourceAllowed(List.of("i:2:10.0.0.7"), "10.0.0.8")).isFalse();
        assertThat(Registrar.sourceAllowed(List.of("#2: 10.0.0.7 "), "10.0.0.7")).isTrue();
    }

    @Test
    void ipv6SourceInTheList() {
        assertThat(Registrar.sourceAllowed(List.of("#2:2001:db8::1"), "2001:DB8::1")).isTrue();
        assertThat(Registrar.sourceAllowed(List.of("#2:2001:db8::1"), "2001:db8::2")).isFalse();
    }

    @Test
    void ipv6ComparedAsAddressesNotText() {
        // JAIN-SIP reports sources in the long form InetAddress.getHostAddress() gives
        assertThat(Registrar.sourceAllowed(List.of("#2:2001:db8::1"), "2001:db8:0:0:0:0:0:1")).isTrue();
        assertThat(Registrar.sourceAllowed(List.of("#2:gateway.example"), "2001:db8:0:0:0:0:0:1")).isFalse();
    }
}
