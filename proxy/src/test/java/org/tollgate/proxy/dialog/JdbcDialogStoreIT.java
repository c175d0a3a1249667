package org.tollgate.proxy.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollgate.proxy.testutil.TestDatabase;

/** Dialogs written behind and read back after a restart, with what bounds them. */
class JdbcDialogStoreIT {

    static TestDatabase db;

    @BeforeAll
    static void start() {
        db = new TestDatabase();
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @Test
    void aCallsDeadlineComesBackWithItsDialog() {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        JdbcDialogStore store = new JdbcDialogStore(db.dataSource(), "192.0.2.1:5060");
        Dialog capped = Dialogs.dialog("capped@x", "a", "b", t0, t0.plusSeconds(1800), t0.plusSeconds(600));
        Dialog free = Dialogs.dialog("free@x", "a", "b", t0, t0.plusSeconds(1800));
        store.write(List.of(capped, free), List.of());

        List<Dialog> back = new JdbcDialogStore(db.dataSource(), "192.0.2.1:5060").load();
        Dialog c = back.stream().filter(d -> d.leg().callId().equals("capped@x")).findFirst().orElseThrow();
        Dialog f = back.stream().filter(d -> d.leg().callId().equals("free@x")).findFirst().orElseThrow();
        assertThat(c.deadline()).isEqualTo(t0.plusSeconds(600));
        assertThat(c.expiresAt()).isEqualTo(t0.plusSeconds(600));
        c.refreshed(t0.plusSeconds(500), 1800, t0.plusSeconds(2300));
        assertThat(c.expiresAt()).as("a refresh after the restart still stops at the deadline").isEqualTo(t0.plusSeconds(600));
        assertThat(f.deadline()).isNull();
        assertThat(f.expiresAt()).isEqualTo(t0.plusSeconds(1800));
    }
}
