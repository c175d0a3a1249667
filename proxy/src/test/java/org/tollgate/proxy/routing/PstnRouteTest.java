package org.tollgate.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class PstnRouteTest {

    private static final List<String> GW = List.of("gw1.example:5060", "gw2.example:5070;transport=tcp");

    @Test
    void prefixRoute() {
        PstnRoute r = new PstnRoute("00", null, GW, 2, "+");
        assertThat(r.prefix()).isEqualTo("00");
        assertThat(r.gateways()).containsExactlyElementsOf(GW);
        assertThat(r.strip()).isEqualTo(2);
        assertThat(r.prepend()).isEqualTo("+");
    }

    @Test
    void patternRouteWithNullPrependGetsEmptyPrepend() {
        PstnRoute r = new PstnRoute(null, "0[1-9][0-9]+", GW, 0, null);
        assertThat(r.pattern()).isEqualTo("0[1-9][0-9]+");
        assertThat(r.prepend()).isEmpty();
    }

    @Test
    void emptyStringsCountAsAbsent() {
        assertThat(new PstnRoute("", "00.*", GW, 0, "").pattern()).isEqualTo("00.*");
        assertThat(new PstnRoute("00", "", GW, 0, "").prefix()).isEqualTo("00");
    }

    @Test
    void gatewaysAreCopied() {
        List<String> gws = new ArrayList<>(GW);
        PstnRoute r = new PstnRoute("00", null, gws, 0, null);
        gws.clear();
        assertThat(r.gateways()).hasSize(2);
    }

    @Test
    void needsPrefixOrPattern() {
        assertThatThrownBy(() -> new PstnRoute(null, null, GW, 0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly one of prefix or pattern");
        assertThatThrownBy(() -> new PstnRoute("", "", GW, 0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly one of prefix or pattern");
    }

    @Test
    void notBothPrefixAndPattern() {
        assertThatThrownBy(() -> new PstnRoute("00", "00.*", GW, 0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly one of prefix or pattern");
    }

    @Test
    void needsAGateway() {
        assertThatThrownBy(() -> new PstnRoute("00", null, List.of(), 0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PSTN route 00 has no gateways");
        assertThatThrownBy(() -> new PstnRoute(null, "9.*", List.of(), 0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9.*")
                .hasMessageContaining("has no gateways");
    }

    @Test
    void badRegexIsRejected() {
        assertThatThrownBy(() -> new PstnRoute(null, "00[1-9", GW, 0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PSTN route pattern 00[1-9");
    }

    @Test
    void negativeStripIsRejected() {
        assertThatThrownBy(() -> new PstnRoute("00", null, GW, -1, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strip");
    }
}
