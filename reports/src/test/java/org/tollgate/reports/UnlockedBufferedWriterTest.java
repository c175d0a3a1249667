package org.tollgate.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;

import org.junit.jupiter.api.Test;

class UnlockedBufferedWriterTest {

    @Test
    void passesOnEveryCharacterInOrderWhateverTheSizeOfTheWrites() throws Exception {
        StringWriter target = new StringWriter();
        StringBuilder expected = new StringBuilder();
        try (UnlockedBufferedWriter w = new UnlockedBufferedWriter(target, 16)) {
            for (int i = 0; i < 200; i++) {
                String s = "x".repeat(i % 40) + i + "é€";
                switch (i % 5) {
                    case 0: w.write(s); break;
                    case 1: w.write(s.toCharArray(), 0, s.length()); break;
                    case 2: w.append(new StringBuilder(s)); break;
                    case 3: w.append(s, 1, s.length()); s = s.substring(1); break;
                    default: for (char c : s.toCharArray()) { w.append(c); } break;
                }
                expected.append(s);
            }
        }
        assertThat(target.toString()).isEqualTo(expected.toString());
    }

    @Test
    void holdsNothingBackAfterFlush() throws Exception {
        StringWriter target = new StringWriter();
        UnlockedBufferedWriter w = new UnlockedBufferedWriter(target, 1024);
        w.write("abc");
        assertThat(target.toString()).isEmpty();
        w.flush();
        assertThat(target.toString()).isEqualTo("abc");
    }
}
