package org.tollgate.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollgate.proxy.location.LocationService;
import org.tollgate.proxy.sip.SipEndpoint;
import org.tollgate.proxy.testutil.Sip;

/**
 * Routing that asks the SipEndpoint whether a URI names this proxy. The endpoint binds a UDP
 * socket on loopback (never started, so nothing is received); starting takes ~0.1 s but
 * stopping the JAIN-SIP stack takes a full second, hence an IT rather than a unit test.
 */
class RouterEndpointIT {

    private static SipEndpoint sip;
    private static Router router;

    @BeforeAll
    static void endpoint() {
        sip = new SipEndpoint("tollgate-router-test", "127.0.0.1", 0, List.of("udp"), 1, 4096);
        router = new Router(List.of("example.com", "example.org"),
                List.of(new PstnRoute("00", null, List.of("gw.example"), 2, "+")), sip,
                new LocationService(null, Clock.systemUTC()));
    }

    @AfterAll
    static void close() {
        sip.close();
    }

    @Test
    void anotherDomainIsForeign() throws Exception {
        var uri = Sip.uri("sip:004930123@elsewhere.net");
        assertThat(router.isOurs(uri)).isFalse();
        assertThat(router.route(uri, Sip.ADDRESSES)).isEqualTo(new Router.Decision.Foreign(uri));
    }

    @Test
    void ourAddressIsOursAndStandsForTheFirstDomain() throws Exception {
        var uri = Sip.uri("sip:alice@127.0.0.1:" + sip.port());
        assertThat(router.isOurs(uri)).isTrue();
        assertThat(router.aor(uri)).isEqualTo("alice@example.com");
        assertThat(router.route(uri, Sip.ADDRESSES)).isEqualTo(new Router.Decision.Local("alice@example.com", List.of(), java.util.Map.of()));
    }

    @Test
    void pstnNumberToOurAddressGoesToTheGateway() throws Exception {
        var d = router.route(Sip.uri("sip:004930123@127.0.0.1:" + sip.port()), Sip.ADDRESSES);
        assertThat(((Router.Decision.Pstn) d).gateways()).extracting(Object::toString)
                .containsExactly("sip:+4930123@gw.example");
    }

    @Test
    void ourAddressOnAnotherPortIsForeign() throws Exception {
        var uri = Sip.uri("sip:alice@127.0.0.1:" + (sip.port() == 5060 ? 5061 : 5060));
        assertThat(router.isOurs(uri)).isFalse();
        assertThat(router.route(uri, Sip.ADDRESSES)).isInstanceOf(Router.Decision.Foreign.class);
    }
}
