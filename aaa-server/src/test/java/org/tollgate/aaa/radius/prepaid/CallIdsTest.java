package org.tollgate.aaa.radius.prepaid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class CallIdsTest {

    @Test
    void ciscoConfIdComesFirstWithOrWithoutItsNameInTheValue() {
        assertThat(CallIds.callId(List.of("h323-conf-id=3B8F2D5A 1C2E11D6 8012A3F1 6D5E1D28"), List.of(), "0000001F"))
                .contains("3B8F2D5A 1C2E11D6 8012A3F1 6D5E1D28");
        assertThat(CallIds.callId(List.of("3B8F2D5A 1C2E11D6"), List.of(), "0000001F")).contains("3B8F2D5A 1C2E11D6");
        assertThat(CallIds.callId(List.of(), List.of("H323-Conf-Id=ABC"), "0000001F")).contains("ABC");
    }

    @Test
    void thenAcctSessionIdThenKamailiosCallIdPair() {
        assertThat(CallIds.callId(List.of(), List.of("call-id=kam-1@host"), "acct-1")).contains("acct-1");
        assertThat(CallIds.callId(List.of(), List.of("call-id=kam-1@host"), null)).contains("kam-1@host");
        assertThat(CallIds.callId(List.of(), List.of("call-id= "), "  ")).isEmpty();
        assertThat(CallIds.callId(List.of("h323-conf-id="), List.of("other=1"), null)).isEmpty();
    }

    @Test
    void aCiscoCallIsOneNamedByH323ConfIdNotKamailiosCallIdPair() {
        assertThat(CallIds.ciscoCall(List.of("h323-conf-id=A"), List.of())).isTrue();
        assertThat(CallIds.ciscoCall(List.of(), List.of("h323-conf-id=A"))).isTrue();
        assertThat(CallIds.ciscoCall(List.of(), List.of("call-id=x@y"))).isFalse();
    }

    @Test
    void aReportsSequenceFollowsTheSecondsUsed() {
        assertThat(PrepaidAuthorization.sequence(0)).isEqualTo(1);
        assertThat(PrepaidAuthorization.sequence(50)).isEqualTo(51);
        assertThat(PrepaidAuthorization.sequence(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }
}
