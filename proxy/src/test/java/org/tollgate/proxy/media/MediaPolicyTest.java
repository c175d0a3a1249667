package org.tollgate.proxy.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MediaPolicyTest {

    @Test
    void alwaysRelaysNatOnlyBehindNatNeverNever() {
        assertThat(MediaPolicy.parse("always").relays(false)).isTrue();
        assertThat(MediaPolicy.parse("NAT").relays(false)).isFalse();
        assertThat(MediaPolicy.parse(" nat ").relays(true)).isTrue();
        assertThat(MediaPolicy.parse("never").relays(true)).isFalse();
    }

    @Test
    void anUnknownPolicyIsExplained() {
        assertThatThrownBy(() -> MediaPolicy.parse("sometimes")).hasMessageContaining("always, nat or never");
    }
}
