package org.tollgate.app.api.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BearerTokenCallersTest {

    static final String TOKEN = "0123456789abcdef-token";

    private final BearerTokenCallers callers = new BearerTokenCallers(TOKEN);

    @Test
    void theTokenAsABearerCredentialIsTheAdmin() {
        assertThat(callers.identify("Bearer " + TOKEN)).isEqualTo(new Identification.Known(new Caller("admin")));
        assertThat(callers.identify("bearer " + TOKEN)).isInstanceOf(Identification.Known.class); // RFC 7235: any case
        assertThat(callers.identify("  BEARER   " + TOKEN + " ")).isInstanceOf(Identification.Known.class);
        assertThat(callers.configured()).isTrue();
    }

    @Test
    void anythingElseIsAnonymousOrInvalid() {
        assertThat(callers.identify((String) null)).isInstanceOf(Identification.Anonymous.class);
        assertThat(callers.identify(" ")).isInstanceOf(Identification.Anonymous.class);
        for (String wrong : new String[] {"Bearer", "Bearer ", "Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1),
                "Bearer " + TOKEN.toUpperCase(), "Basic " + TOKEN, TOKEN, "Bearer" + TOKEN}) {
            assertThat(callers.identify(wrong)).as(wrong).isInstanceOf(Identification.Invalid.class);
        }
    }

    @Test
    void withoutATokenNobodyIsIdentified() {
        BearerTokenCallers none = new BearerTokenCallers("");
        assertThat(none.configured()).isFalse();
        assertThat(none.identify("Bearer ")).isInstanceOf(Identification.Invalid.class);
        assertThat(none.identify("Bearer anything-at-all-long-enough")).isInstanceOf(Identification.Invalid.class);
        assertThat(none.identify((String) null)).isInstanceOf(Identification.Anonymous.class);
    }

    @Test
    void aGuessableOrUnsendableTokenIsRefusedWithoutShowingIt() {
        for (String bad : new String[] {"s3cret", "fifteen-chars-x", "has a space in it!", "with\"quote-0123456789"}) {
            assertThatThrownBy(() -> new BearerTokenCallers(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tollgate.api.token")
                    .hasMessageNotContaining(bad);
        }
        assertThat(new BearerTokenCallers("sixteen-chars-ok").configured()).isTrue();
    }
}
