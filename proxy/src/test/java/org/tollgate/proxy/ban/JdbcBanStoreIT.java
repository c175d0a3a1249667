package org.tollgate.proxy.ban;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
    void aFrozenServerCostsTheDeadlineNotMore() throws Exception {
        store.insert(ban("192.0.2.40"), "test");
        try (AutoCloseable frozen = db.freeze()) {
            // a statement timeout would hang here: its cancel request goes to the same frozen server
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                assertThatThrownBy(() -> store.unexpired()).isInstanceOf(DeadlineExceededException.class);
                assertThatThrownBy(() -> store.insert(ban("192.0.2.41"), "test"))
                        .isInstanceOf(java.sql.SQLException.class);
            });
        }
        assertThat(store.unexpired()).extracting(r -> r.ban().subject()).contains("192.0.2.40");
    }
}
