package org.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tollgate.proxy.ProxySettings.Accounting;
import org.tollgate.proxy.ProxySettings.ExtraAttribute;
import org.tollgate.proxy.routing.PstnRoute;

class ProxySettingsTest {

    static Accounting accounting(List<String> extra, List<String> multiLeg) {
        return new Accounting(false, false, false, extra, multiLeg);
    }

    static ProxySettings settings(String address, List<String> transports, List<String> domains,
                                  Duration sessionExpires, Duration minSe, Accounting accounting) {
        return new ProxySettings(address, 5060, transports, domains, 4096, sessionExpires, minSe,
                Duration.ofHours(2), Duration.ofHours(12), Duration.ofSeconds(4), Duration.ofSeconds(60), Duration.ofSeconds(30),
                List.of("10.0.0.0/8", " ", ""), List.of(new PstnRoute("00", null, List.of("gw.example:5060"), 0, null)),
                accounting, 4, new org.tollgate.proxy.ban.BanPolicy(400, Duration.ofSeconds(2), Duration.ofMinutes(10), 10,
                        Duration.ofMinutes(10), 5, Duration.ofMinutes(10)), ProxySettings.Prepaid.defaults(),
                Duration.ofSeconds(20));
    }

    static ProxySettings valid() {
        return settings("192.0.2.1", List.of("UDP", "Tcp"), List.of("example.com", "example.org"),
                Duration.ofSeconds(1800), Duration.ofSeconds(90), accounting(List.of(), List.of()));
    }

    @Test
    void validSettingsAreNormalised() {
        ProxySettings s = valid();
        assertThat(s.transports()).containsExactly("udp", "tcp");
        assertThat(s.trusted()).containsExactly("10.0.0.0/8");
        assertThat(s.realm()).isEqualTo("example.com");
    }

    @Test
    void sessionExpiresZeroIsAllowedWhateverMinSe() {
        ProxySettings s = settings("192.0.2.1", List.of("udp"), List.of("example.com"),
                Duration.ZERO, Duration.ofSeconds(90), accounting(List.of(), List.of()));
        assertThat(s.sessionExpires()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "", " "})
    void addressMustBeConcrete(String address) {
        assertThatThrownBy(() -> settings(address, List.of("udp"), List.of("example.com"),
                Duration.ofSeconds(1800), Duration.ofSeconds(90), accounting(List.of(), List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tollgate.proxy.address");
    }

    @Test
    void needsADomain() {
        assertThatThrownBy(() -> settings("192.0.2.1", List.of("udp"), List.of(),
                Duration.ofSeconds(1800), Duration.ofSeconds(90), accounting(List.of(), List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tollgate.proxy.domains");
    }

    @Test
    void unknownTransportIsRejected() {
        assertThatThrownBy(() -> settings("192.0.2.1", List.of("udp", "sctp"), List.of("example.com"),
                Duration.ofSeconds(1800), Duration.ofSeconds(90), accounting(List.of(), List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tollgate.proxy.transports")
                .hasMessageContaining("sctp");
    }

    @Test
    void noTransportIsRejected() {
        assertThatThrownBy(() -> settings("192.0.2.1", List.of(), List.of("example.com"),
                Duration.ofSeconds(1800), Duration.ofSeconds(90), accounting(List.of(), List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tollgate.proxy.transports");
    }

    @Test
    void sessionExpiresBelowMinSeIsRejected() {
        assertThatThrownBy(() -> settings("192.0.2.1", List.of("udp"), List.of("example.com"),
                Duration.ofSeconds(60), Duration.ofSeconds(90), accounting(List.of(), List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("session-expires")
                .hasMessageContaining("min-se");
    }

    @Test
    void minSeBelowOneSecondIsRejected() {
        assertThatThrownBy(() -> settings("192.0.2.1", List.of("udp"), List.of("example.com"),
                Duration.ZERO, Duration.ofMillis(500), accounting(List.of(), List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("min-se");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Foo", "=$si", "Foo="})
    void extraItemWithoutAttributeAndSourceIsRejected(String item) {
        assertThatThrownBy(() -> accounting(List.of(item), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + item + "'")
                .hasMessageContaining("is not Attribute=source");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X=$nope", "X=si", "X=$hdr()", "X=$hdr(User Agent)", "X=$si$sp"})
    void extraItemWithUnknownSourceIsRejected(String item) {
        assertThatThrownBy(() -> accounting(List.of(item), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + item + "'")
                .hasMessageContaining("unknown source");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Foo", "Leg=$si", "Leg=src", "=$src", "Leg="})
    void multiLegItemMustBeSrcOrDst(String item) {
        assertThatThrownBy(() -> accounting(List.of(), List.of(item)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multi-leg item '" + item + "'");
    }

    @Test
    void blankItemsAreDropped() {
        Accounting a = accounting(List.of("", "Sip-From=$fu", " "), List.of(" ", "Src-Leg=$src"));
        assertThat(a.extra()).containsExactly("Sip-From=$fu");
        assertThat(a.multiLegInfo()).containsExactly("Src-Leg=$src");
    }

    @ParameterizedTest
    @ValueSource(strings = {"$si", "$sp", "$ru", "$rU", "$rd", "$fu", "$fU", "$fd", "$tu", "$tU", "$td", "$ua", "$ci",
            "$hdr(User-Agent)", "$hdr(X-Billing-Id2)"})
    void parseAcceptsEveryKnownSource(String source) {
        assertThat(ExtraAttribute.parse("Some-Attr=" + source)).isEqualTo(new ExtraAttribute("Some-Attr", source));
    }

    @Test
    void parseTrimsBothSides() {
        assertThat(ExtraAttribute.parse(" Sip-Call-Id = $ci ")).isEqualTo(new ExtraAttribute("Sip-Call-Id", "$ci"));
    }

    @Test
    void parseLegAcceptsSrcAndDst() {
        assertThat(ExtraAttribute.parseLeg("Src-Leg=$src")).isEqualTo(new ExtraAttribute("Src-Leg", "$src"));
        assertThat(ExtraAttribute.parseLeg(" Dst-Leg = $dst ")).isEqualTo(new ExtraAttribute("Dst-Leg", "$dst"));
    }

    @Test
    void parseLegRejectsOrdinarySources() {
        assertThatThrownBy(() -> ExtraAttribute.parseLeg("Dst-Leg=$ru"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Attribute=$src or Attribute=$dst");
    }
}
