package org.tollgate.aaa.radius.client;

import org.tollgate.api.net.Cidr;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tollgate.aaa.radius.dictionary.DictionaryProfile;

class NasClientRegistryTest {

    private static NasClient nas(String name, String cidr) {
        return new NasClient(name, Cidr.parse(cidr), "secret-" + name, "other", DictionaryProfile.SIP_ACC, true);
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    private static Optional<String> matchName(NasClientRegistry r, String address) throws UnknownHostException {
        return r.match(ip(address)).map(NasClient::name);
    }

    // listed least specific first, so that a first-match-in-source-order registry would fail
    private final NasClientRegistry registry = new NasClientRegistry(() -> List.of(
            nas("any", "0.0.0.0/0"),
            nas("corp", "10.0.0.0/8"),
            nas("lan", "10.1.2.0/24"),
            nas("proxy", "10.1.2.3/32"),
            nas("v6net", "2001:db8::/32"),
            nas("v6host", "2001:db8::5/128")));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "10.1.2.3,     proxy",
            "10.1.2.4,     lan",
            "10.1.2.255,   lan",
            "10.1.3.1,     corp",
            "10.200.0.1,   corp",
            "192.0.2.1,    any",
            "2001:db8::5,  v6host",
            "2001:db8::6,  v6net",
    })
    void mostSpecificNetworkWins(String address, String expected) throws UnknownHostException {
        assertThat(matchName(registry, address)).contains(expected);
    }

    @Test
    void noMatchIsEmpty() throws UnknownHostException {
        NasClientRegistry r = new NasClientRegistry(() -> List.of(nas("lan", "10.1.2.0/24"), nas("v6", "2001:db8::/32")));
        assertThat(r.match(ip("10.1.3.1"))).isEmpty();
        assertThat(r.match(ip("2001:db9::1"))).isEmpty();
        assertThat(r.match(ip("::1"))).isEmpty();
        assertThat(new NasClientRegistry(List::of).match(ip("127.0.0.1"))).isEmpty();
    }

    @Test
    void ipv4CatchAllDoesNotMatchIpv6() throws UnknownHostException {
        assertThat(matchName(registry, "2001:db9::1")).isEmpty();
    }

    @Test
    void reloadPicksUpNewSourceContents() throws UnknownHostException {
        List<NasClient> table = new ArrayList<>(List.of(nas("lan", "10.1.2.0/24")));
        NasClientRegistry r = new NasClientRegistry(() -> List.copyOf(table));
        assertThat(r.size()).isEqualTo(1);
        assertThat(matchName(r, "10.1.2.3")).contains("lan");

        table.add(nas("proxy", "10.1.2.3/32"));
        table.add(nas("other", "192.0.2.0/24"));
        assertThat(matchName(r, "10.1.2.3")).as("before reload").contains("lan");
        assertThat(r.match(ip("192.0.2.1"))).as("before reload").isEmpty();

        r.reload();
        assertThat(r.size()).isEqualTo(3);
        assertThat(matchName(r, "10.1.2.3")).contains("proxy");
        assertThat(matchName(r, "192.0.2.1")).contains("other");

        table.clear();
        r.reload();
        assertThat(r.size()).isZero();
        assertThat(r.match(ip("10.1.2.3"))).isEmpty();
    }

    @Test
    void matchReturnsTheClientWithItsSettings() throws UnknownHostException {
        NasClient c = registry.match(ip("10.1.2.3")).orElseThrow();
        assertThat(c.secret()).isEqualTo("secret-proxy");
        assertThat(c.address()).isEqualTo(Cidr.parse("10.1.2.3/32"));
    }
}
