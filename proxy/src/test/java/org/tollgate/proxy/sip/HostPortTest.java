package org.tollgate.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.tollgate.proxy.testutil.Sip;

class HostPortTest {

    @Test
    void aStoredContactAndARequestUriToTheSamePlaceAreEqual() {
        HostPort contact = HostPort.parse("<sip:101@192.0.2.7:5070;transport=tcp;ob>");
        assertThat(contact).isEqualTo(new HostPort("192.0.2.7", 5070));
        assertThat(HostPort.of(Sip.uri("sip:anyone@192.0.2.7:5070"))).isEqualTo(contact);
        assertThat(HostPort.parse("sip:Phone.Example.COM")).isEqualTo(new HostPort("phone.example.com", 5060));
        assertThat(HostPort.parse("sips:a@b.example")).isEqualTo(new HostPort("b.example", 5061));
        assertThat(HostPort.parse("sip:[::1]:5062")).isEqualTo(new HostPort("0:0:0:0:0:0:0:1", 5062));
        assertThat(HostPort.of(Sip.uri("sip:x@[0:0:0:0:0:0:0:1]:5062"))).isEqualTo(new HostPort("0:0:0:0:0:0:0:1", 5062));
    }

    @Test
    void aUserPartMayHoldWhatEndsAHostElsewhere() {
        assertThat(HostPort.parse("sip:a;b?c:d@192.0.2.9:7000;lr")).isEqualTo(new HostPort("192.0.2.9", 7000));
    }

    @Test
    void theRegistrarsReceivedAddress() {
        assertThat(HostPort.received("udp:192.0.2.7:40000")).isEqualTo(new HostPort("192.0.2.7", 40000));
        assertThat(HostPort.received("tcp:0:0:0:0:0:0:0:1:5060")).isEqualTo(new HostPort("0:0:0:0:0:0:0:1", 5060));
        assertThat(HostPort.received(null)).isNull();
    }

    @Test
    void whatIsNoSipUriIsNoPlace() {
        assertThat(HostPort.parse("tel:+4930111")).isNull();
        assertThat(HostPort.of(Sip.uri("tel:+4930111"))).isNull();
        assertThat(HostPort.parse(null)).isNull();
    }
}
