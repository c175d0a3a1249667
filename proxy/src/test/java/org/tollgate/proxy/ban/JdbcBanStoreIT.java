package org.tollgate.proxy.ban;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.tollgate.api.db.DeadlineExceededException;
import org.tollgate.api.db.JdbcDeadline;
import org.tollgate.proxy.testutil.TestDatabase;

class JdbcBanStoreIT {

    static TestDatabase db;
    static JdbcDeadline deadline;
    static JdbcBanStore store;

    @BeforeAll
    static void start() {
        db = new TestDatabase();
        deadline = new JdbcDeadline(Duration.ofMillis(500), "ban-store-it");
        store = new JdbcBanStore(db.dataSource(), deadline);
    }

    @AfterAll
    static void stop() throws Exception {
        deadline.close();
        db.close();
    }

    static Ban ban(String subject) {
        Instant now = Instant.now();
        return new Ban(0, Ban.Kind.SOURCE, subject, subject, "flood", null, now, now.plusSeconds(600));
    }

    @Test
    void aStatementOnAFrozenServerCostsTheDeadlineNotMore() throws Exception {
        // one connection, open and not validated on use: the statement itself meets the frozen server
        SingleConnectionDataSource one = new SingleConnectionDataSource(db.jdbcUrl(), true);
        try {
            JdbcBanStore onOne = new JdbcBanStore(one, deadline);
            onOne.insert(ban("192.0.2.40"), "test");
            try (AutoCloseable frozen = db.freeze()) {
                // a statement timeout would hang here: its cancel request goes to the same frozen server
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(onOne::unexpired)
                        .isInstanceOf(DeadlineExceededException.class));
            }
        } finally {
            one.destroy();
        }
        assertThat(store.unexpired()).extracting(r -> r.ban().subject()).contains("192.0.2.40");
    }

    @Test
    void anAddressIsLiftedInAnyOfItsSpellings() throws Exception {
        // sources are keyed as the SIP stack reports them, in Java's spelling
        store.insert(ban("0:0:0:0:0:0:0:1"), "test");
        store.insert(ban("2001:db8:0:0:0:0:0:7"), "test");
        assertThat(store.lift(Ban.Kind.SOURCE, "::1", "test")).isEqualTo(1);
        assertThat(store.lift(Ban.Kind.SOURCE, "[2001:DB8::7]", "test")).isEqualTo(1);
        assertThat(store.lift(Ban.Kind.SOURCE, "2001:db8::7", "test")).as("already lifted").isZero();
    }
}
