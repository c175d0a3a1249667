package org.tollgate.proxy.ban;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollgate.api.db.JdbcDeadline;
import org.tollgate.proxy.testutil.TestDatabase;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class BanSyncIT {

    static TestDatabase db;
    static JdbcDeadline deadline;
    static JdbcBanStore store;

    @BeforeAll
    static void start() {
        db = new TestDatabase();
        deadline = new JdbcDeadline(Duration.ofSeconds(2), "ban-sync-it");
        store = new JdbcBanStore(db.dataSource(), deadline);
    }

    @AfterAll
    static void stop() throws Exception {
        deadline.close();
        db.close();
    }

    @Test
    void aBanPostgresqlRefusesIsDroppedAndCountedAndTheRoundGoesOn() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        BanTable table = new BanTable(new BanPolicy(10, Duration.ofSeconds(60), Duration.ofMinutes(5), 10,
                Duration.ofMinutes(10), 3, Duration.ofMinutes(2)), ip -> false, Clock.systemUTC(), meters);
        try (BanSync sync = new BanSync(table, store, "127.0.0.1:5060", 0, meters)) {
            // a user name with a NUL byte, which text in PostgreSQL cannot hold, locked first
            for (int i = 0; i < 3; i++) {
                table.failed("192.0.2.7", "a\0b@r");
            }
            assertThat(table.locked("a\0b@r")).isTrue();
            for (int i = 0; i < 11; i++) {
                table.admit("192.0.2.1");
            }
            // another instance's ban, to be adopted from the read-back
            db.jdbc().update("""
                    INSERT INTO sip_ban (kind, subject, source, reason, banned_at, until, proxy)
                    VALUES ('source', '192.0.2.99', '192.0.2.99', 'flood', now(), now() + interval '5 minutes', 'other')""");

            sync.sync();

            assertThat(db.jdbc().queryForList("SELECT subject FROM sip_ban WHERE proxy = '127.0.0.1:5060'", String.class))
                    .as("the ban behind the refused one was written").containsExactly("192.0.2.1");
            assertThat(table.banned("192.0.2.99")).as("read back in the same round").isTrue();
            assertThat(meters.get("tollgate_proxy_bans_unstored").counter().count()).isEqualTo(1);
            assertThat(table.locked("a\0b@r")).as("still in force here").isTrue();

            // lifts keep arriving: the refused ban does not come back to block the next rounds
            assertThat(store.lift(Ban.Kind.SOURCE, "192.0.2.1", "test")).isEqualTo(1);
            sync.sync();
            assertThat(table.banned("192.0.2.1")).isFalse();
            assertThat(meters.get("tollgate_proxy_bans_unstored").counter().count()).isEqualTo(1);
        }
    }
}
