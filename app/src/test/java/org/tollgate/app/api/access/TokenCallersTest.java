package org.tollgate.app.api.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenCallersTest {

    static final String TOKEN = "0123456789abcdef-token";

    private final TokenCallers callers = new TokenCallers(TOKEN, null);

    @Test
    void theTokenAsABearerCredentialIsTheAdmin() {
        assertThat(callers.identify("Bearer " + TOKEN)).isEqualTo(new Identification.Known(Caller.admin("config")));
        assertThat(callers.identify("bearer " + TOKEN)).isInstanceOf(Identification.Known.class); // RFC 7235: any case
        assertThat(callers.identify("  BEARER   " + TOKEN + " ")).isInstanceOf(Identification.Known.class);
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
    void withoutAConfiguredOrStoredTokenNobodyIsIdentified() {
        TokenCallers none = new TokenCallers("", null);
        assertThat(none.identify("Bearer ")).isInstanceOf(Identification.Invalid.class);
        assertThat(none.identify("Bearer anything-at-all-long-enough")).isInstanceOf(Identification.Invalid.class);
        assertThat(none.identify((String) null)).isInstanceOf(Identification.Anonymous.class);
    }

    @Test
    void aGuessableOrUnsendableTokenIsRefusedWithoutShowingIt() {
        for (String bad : new String[] {"s3cret", "fifteen-chars-x", "has a space in it!", "with\"quote-0123456789"}) {
            assertThatThrownBy(() -> new TokenCallers(bad, null)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tollgate.api.token")
                    .hasMessageNotContaining(bad);
        }
        assertThat(new TokenCallers("sixteen-chars-ok", null).identify("Bearer sixteen-chars-ok"))
                .isInstanceOf(Identification.Known.class);
    }
}
