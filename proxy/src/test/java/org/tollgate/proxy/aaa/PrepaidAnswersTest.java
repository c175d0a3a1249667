package org.tollgate.proxy.aaa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** How the proxy reads a prepaid authorization's answer: the grant, and a refusal's SIP answer. */
class PrepaidAnswersTest {

    @Test
    void aGrantIsARenewableSessionTimeoutOrTheSessionTimeoutAvp() {
        assertThat(accept(List.of(), 300, true).prepaidSeconds()).isEqualTo(300);
        assertThat(accept(List.of("session_timeout#120"), 120, false).prepaidSeconds()).as("the last grant").isEqualTo(120);
        assertThat(accept(List.of("session_timeout#90"), 0, false).prepaidSeconds()).as("the AVP alone").isEqualTo(90);
        assertThat(accept(List.of("rpid:101"), 3600, false).prepaidSeconds()).as("a postpaid cap is no grant").isEqualTo(-1);
        assertThat(accept(List.of(), 0, false).prepaidSeconds()).isEqualTo(-1);
        assertThat(new DigestVerdict(false, false, List.of(), "insufficient credit", 0, false).prepaidSeconds())
                .isEqualTo(-1);
        assertThat(accept(List.of("session_timeout#x"), 0, false).prepaidSeconds()).isEqualTo(-1);
    }

    @Test
    void refusalsByTheirReplyMessage() {
        assertThat(PrepaidRefusal.of("insufficient credit: 0.00 EUR available")).get()
                .extracting(PrepaidRefusal::sipCode).isEqualTo(402);
        assertThat(PrepaidRefusal.of("unknown account 301@example.org")).get()
                .extracting(PrepaidRefusal::sipCode).isEqualTo(403);
        assertThat(PrepaidRefusal.of("no rate for the destination: 99")).get()
                .extracting(PrepaidRefusal::sipCode).isEqualTo(404);
        assertThat(PrepaidRefusal.of("Forbidden")).as("a wrong password is not one").isEmpty();
        assertThat(PrepaidRefusal.of(null)).isEmpty();
        assertThat(PrepaidRefusal.unavailable("temporarily unavailable")).isTrue();
        assertThat(PrepaidRefusal.unavailable("insufficient credit")).isFalse();
    }

    private static DigestVerdict accept(List<String> avps, long sessionTimeout, boolean renewable) {
        return new DigestVerdict(true, false, avps, null, sessionTimeout, renewable);
    }
}
