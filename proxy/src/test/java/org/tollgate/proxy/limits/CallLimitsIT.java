package org.tollgate.proxy.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollgate.proxy.testutil.TestDatabase;

/** Limits from the database, changed while the proxy runs; counts kept in memory. */
class CallLimitsIT {

    static TestDatabase db;
    static JdbcCallLimits store;
    static CallLimits limits;

    @BeforeAll
    static void start() {
        db = new TestDatabase();
        store = new JdbcCallLimits(db.dataSource());
        limits = new CallLimits(db.dataSource());
    }

    @AfterAll
    static void stop() throws Exception {
        limits.close();
        db.close();
    }

    @Test
    void callsAreAdmittedUpToTheLimitAndAnEndedOneMakesRoom() throws InterruptedException {
        store.set("alice@example.com", 2);
        eventually(() -> twoButNotThree("alice@example.com"), "the limit heard by NOTIFY");
        assertThat(limits.calls("alice@example.com")).isZero();
        assertThat(limits.admit("alice@example.com")).isTrue();
        assertThat(limits.admit("alice@example.com")).isTrue();
        assertThat(limits.admit("alice@example.com")).as("the third at once").isFalse();
        assertThat(limits.calls("alice@example.com")).isEqualTo(2);
        limits.release("alice@example.com");
        assertThat(limits.admit("alice@example.com")).as("an ended call made room").isTrue();
        assertThat(limits.admit("bob@example.com")).as("others are not limited").isTrue();
        limits.release("alice@example.com");
        limits.release("alice@example.com");
        limits.release("bob@example.com");
        assertThat(limits.calls("alice@example.com")).isZero();
    }

    @Test
    void aLimitSetWhileCallsAreUpCountsThemAndRemovingItLiftsIt() throws InterruptedException {
        limits.restored("carol@example.com"); // up before a restart
        assertThat(limits.admit("carol@example.com")).isTrue();
        store.set("carol@example.com", 1);
        eventually(() -> !probe("carol@example.com"), "two calls up, limit 1: no third");
        assertThat(store.remove("carol@example.com")).isTrue();
        eventually(() -> probe("carol@example.com"), "no limit any more");
        store.set("carol@example.com", 0);
        eventually(() -> !probe("carol@example.com"), "limit 0: no call at all");
        assertThat(store.list()).extracting(JdbcCallLimits.Limit::name).contains("carol@example.com");
    }

    /** Whether two calls are admitted and a third is not (all given back). */
    private static boolean twoButNotThree(String account) {
        boolean a = limits.admit(account);
        boolean b = limits.admit(account);
        boolean c = limits.admit(account);
        for (boolean admitted : new boolean[] {a, b, c}) {
            if (admitted) {
                limits.release(account);
            }
        }
        return a && b && !c;
    }

    /** Whether one more call would be admitted now (given back at once). */
    private static boolean probe(String account) {
        boolean admitted = limits.admit(account);
        if (admitted) {
            limits.release(account);
        }
        return admitted;
    }

    private static void eventually(BooleanSupplier check, String what) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!check.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
