package org.tollgate.proxy.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class DialogTokensTest {

    final DialogTokens tokens = new DialogTokens(key(1));

    static byte[] key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    @Test
    void aTokenIsValidForItsCallIdWithTheTagOnEitherSide() {
        String t = tokens.token("call-1@host", "caller-tag");
        assertThat(t).hasSize(16).matches("[A-Za-z0-9_-]+");
        assertThat(tokens.valid(t, "call-1@host", "caller-tag", "callee-tag")).isTrue();
        // the callee's requests carry the caller's tag as To tag
        assertThat(tokens.valid(t, "call-1@host", "callee-tag", "caller-tag")).isTrue();
    }

    @Test
    void anotherCallIdTagOrKeyIsRefused() {
        String t = tokens.token("call-1@host", "caller-tag");
        assertThat(tokens.valid(t, "call-2@host", "caller-tag", "x")).isFalse();
        assertThat(tokens.valid(t, "call-1@host", "other", "x")).isFalse();
        assertThat(new DialogTokens(key(2)).valid(t, "call-1@host", "caller-tag", "x")).isFalse();
        assertThat(tokens.valid(null, "call-1@host", "caller-tag", "x")).isFalse();
        assertThat(tokens.valid("short", "call-1@host", "caller-tag", "x")).isFalse();
        assertThat(tokens.valid(t, "call-1@host", null, null)).isFalse();
    }

    @Test
    void theSameKeyGivesTheSameTokenAsAfterARestart() {
        assertThat(new DialogTokens(key(1)).token("c", "t")).isEqualTo(tokens.token("c", "t"));
    }

    @Test
    void threadsSharingTheTokensGetTheSameAnswers() throws Exception {
        String expected = tokens.token("c", "t");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> all = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                all.add(pool.submit(() -> {
                    for (int k = 0; k < 200; k++) {
                        if (!tokens.token("c", "t").equals(expected) || !tokens.valid(expected, "c", "x", "t")) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : all) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatThrownBy(() -> new DialogTokens(new byte[8])).isInstanceOf(IllegalArgumentException.class);
    }
}
