package org.tollgate.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void whatAnAttackerWroteIsCutShortAndCannotForgeALine() {
        assertThat(Printable.text("x".repeat(500), 120)).hasSize(121).endsWith("…");
        assertThat(Printable.text("a\r\nInjected: yes\u0085", 120)).isEqualTo("a??Injected: yes?");
        assertThat(Printable.text(null, 120)).isEqualTo("-");
    }

    @Test
    void aWordHasNoSpaceLeftForFail2bansPatternToStopAt() {
        assertThat(Printable.word("a b\tc\u00a0d\u2003e@r", 64)).isEqualTo("a?b?c?d?e@r");
        assertThat(Printable.word("101@tollgate.test", 64)).isEqualTo("101@tollgate.test");
    }
}
