package org.tollgate.cdr.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.tollgate.cdr.pairing.Repair;

class RepairFilterTest {

    @Test
    void parsesAnyNoneAndEveryMethodWhicheverTheCaseOrSeparator() {
        assertThat(RepairFilter.parse("any")).isEqualTo(RepairFilter.ANY);
        assertThat(RepairFilter.parse("NONE")).isEqualTo(RepairFilter.NONE);
        assertThat(RepairFilter.parse("media-timeout")).isEqualTo(RepairFilter.of(Repair.MEDIA_TIMEOUT));
        assertThat(RepairFilter.parse("Session_Timer")).isEqualTo(RepairFilter.of(Repair.SESSION_TIMER));
        for (Repair r : Repair.values()) {
            assertThat(RepairFilter.parse(r.name()).method()).isEqualTo(r);
        }
    }

    @Test
    void refusesAnythingElse() {
        assertThatThrownBy(() -> RepairFilter.parse("sometimes")).hasMessageContaining("'sometimes'");
        assertThatThrownBy(() -> new RepairFilter(false, Repair.NAS_REBOOT)).isInstanceOf(IllegalArgumentException.class);
    }
}
