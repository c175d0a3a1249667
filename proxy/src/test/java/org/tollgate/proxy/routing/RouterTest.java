package org.tollgate.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;

import javax.sip.address.SipURI;
import javax.sip.address.URI;

import org.junit.jupiter.api.Test;
import org.tollgate.proxy.location.LocationService;
import org.tollgate.proxy.testutil.Sip;

/**
 * Routing of requests addressed to one of our domains. Such a request never asks the
 * SipEndpoint ("is this my address?"), so none is started here; an AoR with no bindings is
 * answered from the LocationService's memory without its store.
 */
class RouterTest {

    private static final PstnRoute INTERNATIONAL =
            new PstnRoute("00", null, List.of("gw1.example:5060", "gw2.example:5070;transport=tcp"), 2, "+");
    private static final PstnRoute NATIONAL = new PstnRoute(null, "0[1-9][0-9]{5,}", List.of("10.0.0.5"), 1, "+49");
    private static final PstnRoute EMERGENCY = new PstnRoute("11", null, List.of("sos.example"), 0, null);

    private final Router router = new Router(List.of("Example.COM", "example.org"),
            List.of(INTERNATIONAL, NATIONAL, EMERGENCY), null,
            new LocationService(null, Clock.systemUTC()));

    @Test
    void pstnRouteByPrefix() {
        assertThat(router.pstnRoute("004930123456")).isSameAs(INTERNATIONAL);
        assertThat(router.pstnRoute("112")).isSameAs(EMERGENCY);
    }

    @Test
    void pstnRouteByPatternMustMatchTheWholeUser() {
        assertThat(router.pstnRoute("0301234567")).isSameAs(NATIONAL);
        assertThat(router.pstnRoute("030123")).isNull(); // too short for {5,}
        assertThat(router.pstnRoute("0301234x")).isNull();
    }

    @Test
    void firstMatchingRouteWins() {
        Router r = new Router(List.of("example.com"),
                List.of(new PstnRoute("0", null, List.of("a.example"), 0, null), INTERNATIONAL), null, null);
        assertThat(r.pstnRoute("004930")).isNotSameAs(INTERNATIONAL);
        assertThat(r.pstnRoute("004930").gateways()).containsExactly("a.example");
    }

    @Test
    void noPstnRouteForOtherUsers() {
        assertThat(router.pstnRoute("alice")).isNull();
        assertThat(router.pstnRoute("")).isNull();
        assertThat(router.pstnRoute(null)).isNull();
    }

    @Test
    void pstnNumberGoesToTheGatewaysInOrderWithStripAndPrepend() throws Exception {
        Router.Decision d = router.route(Sip.uri("sip:004930123456@example.com;user=phone"), Sip.ADDRESSES);
        assertThat(d).isInstanceOf(Router.Decision.Pstn.class);
        List<URI> gws = ((Router.Decision.Pstn) d).gateways();
        assertThat(gws).extracting(URI::toString)
                .containsExactly("sip:+4930123456@gw1.example:5060", "sip:+4930123456@gw2.example:5070;transport=tcp");
        SipURI second = (SipURI) gws.get(1);
        assertThat(second.getUser()).isEqualTo("+4930123456");
        assertThat(second.getHost()).isEqualTo("gw2.example");
        assertThat(second.getPort()).isEqualTo(5070);
        assertThat(second.getTransportParam()).isEqualTo("tcp");
    }

    @Test
    void patternRouteStripsAndPrepends() throws Exception {
        Router.Decision d = router.route(Sip.uri("sip:0301234567@example.org"), Sip.ADDRESSES);
        assertThat(((Router.Decision.Pstn) d).gateways()).extracting(URI::toString)
                .containsExactly("sip:+49301234567@10.0.0.5");
    }

    @Test
    void noStripNoPrependKeepsTheNumber() throws Exception {
        Router.Decision d = router.route(Sip.uri("sip:112@EXAMPLE.com"), Sip.ADDRESSES);
        assertThat(((Router.Decision.Pstn) d).gateways()).extracting(URI::toString)
                .containsExactly("sip:112@sos.example");
    }

    @Test
    void stripLongerThanTheNumberLeavesOnlyThePrepend() throws Exception {
        Router r = new Router(List.of("example.com"),
                List.of(new PstnRoute("9", null, List.of("gw.example"), 5, "0")), null, null);
        Router.Decision d = r.route(Sip.uri("sip:99@example.com"), Sip.ADDRESSES);
        assertThat(((Router.Decision.Pstn) d).gateways()).extracting(URI::toString)
                .containsExactly("sip:0@gw.example");
    }

    @Test
    void localUserWithoutBindingsIsLocalAndEmpty() throws Exception {
        Router.Decision d = router.route(Sip.uri("sip:alice@example.org"), Sip.ADDRESSES);
        assertThat(d).isEqualTo(new Router.Decision.Local("alice@example.org", List.of(), java.util.Map.of()));
    }

    @Test
    void aorUsesTheDomainLowerCased() {
        assertThat(router.aor(Sip.uri("sip:bob@EXAMPLE.com"))).isEqualTo("bob@example.com");
    }

    @Test
    void ourDomainsAreOursWhateverTheCase() {
        assertThat(router.isOurs(Sip.uri("sip:bob@example.com"))).isTrue();
        assertThat(router.isOurs(Sip.uri("sip:bob@Example.Org:5080"))).isTrue();
    }
}
