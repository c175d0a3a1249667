package org.tollgate.aaa.radius.acct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tollgate.aaa.radius.support.Events.nasState;
import static org.tollgate.aaa.radius.support.Events.sip;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tollgate.aaa.radius.support.TestDatabase;
import org.tollgate.api.AccountingStatus;
import org.tollgate.api.db.JdbcDeadline;

class JdbcAccountingStoreIT {

    private static TestDatabase db;
    private static JdbcAccountingStore store;
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    @BeforeAll
    static void start() {
        db = new TestDatabase();
        store = new JdbcAccountingStore(db.dataSource(), new JdbcDeadline(java.time.Duration.ofSeconds(5), "test"));
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @BeforeEach
    void clean() {
        db.truncateAll();
    }

    @Test
    void storesTypedColumnsAndAllAttributes() throws Exception {
        store.store(List.of(sip("k1", AccountingStatus.START, "call-1", "fa", "tb", T0, "kam")));
        Map<String, Object> row = db.jdbc().queryForMap("SELECT * FROM acc_event");
        assertThat(row).containsEntry("status", "START").containsEntry("status_code", 1)
                .containsEntry("acct_session_id", "call-1").containsEntry("sip_from_tag", "fa")
                .containsEntry("sip_to_tag", "tb").containsEntry("sip_method", "INVITE")
                .containsEntry("sip_response_code", 200).containsEntry("nas_name", "kam");
        String json = db.jdbc().queryForObject("SELECT attributes::text FROM acc_event", String.class);
        assertThat(json).contains("\"SIP-AVP\": [\"a\", \"b\"]").contains("\"Acct-Session-Id\": \"call-1\"");
    }

    @Test
    void retransmissionIsStoredOnceWhetherInTheSameBatchOrLater() throws Exception {
        var start = sip("same-key", AccountingStatus.START, "call-2", "fa", "tb", T0, "kam");
        store.store(List.of(start, start));
        store.store(List.of(start));
        assertThat(count("acc_event")).isEqualTo(1);
        assertThat(count("acc_session")).isEqualTo(1);
    }

    @Test
    void startInterimStopMakeOneSessionWhicheverSideHungUp() throws Exception {
        store.store(List.of(sip("s", AccountingStatus.START, "call-3", "fa", "tb", T0, "kam")));
        store.store(List.of(sip("i", AccountingStatus.INTERIM_UPDATE, "call-3", "fa", "tb", T0.plusSeconds(60), "kam")));
        // the callee hangs up: tags reversed
        store.store(List.of(sip("e", AccountingStatus.STOP, "call-3", "tb", "fa", T0.plusSeconds(90), "kam")));
        Map<String, Object> s = db.jdbc().queryForMap("SELECT * FROM acc_session");
        assertThat(count("acc_session")).isEqualTo(1);
        assertThat(s.get("start_time").toString()).isEqualTo(ts(T0));
        assertThat(s.get("stop_time").toString()).isEqualTo(ts(T0.plusSeconds(90)));
        assertThat(s.get("last_update").toString()).isEqualTo(ts(T0.plusSeconds(90)));
    }

    @Test
    void stopBeforeStartStillMakesOneClosedSession() throws Exception {
        store.store(List.of(sip("e", AccountingStatus.STOP, "call-4", "fa", "tb", T0.plusSeconds(30), "kam"),
                sip("s", AccountingStatus.START, "call-4", "fa", "tb", T0, "kam")));
        Map<String, Object> s = db.jdbc().queryForMap("SELECT * FROM acc_session");
        assertThat(s.get("start_time").toString()).isEqualTo(ts(T0));
        assertThat(s.get("stop_time").toString()).isEqualTo(ts(T0.plusSeconds(30)));
    }

    @Test
    void accountingOnClosesOnlyThatNasOpenSessions() throws Exception {
        store.store(List.of(
                sip("a", AccountingStatus.START, "call-a", "fa", "ta", T0, "gw1"),
                sip("b", AccountingStatus.START, "call-b", "fb", "tb", T0, "gw2"),
                sip("c", AccountingStatus.START, "call-c", "fc", "tc", T0, "gw1"),
                sip("c2", AccountingStatus.STOP, "call-c", "fc", "tc", T0.plusSeconds(5), "gw1")));
        store.store(List.of(nasState("on", AccountingStatus.ACCOUNTING_ON, T0.plusSeconds(100), "gw1")));

        assertThat(db.jdbc().queryForList(
                "SELECT acct_session_id FROM acc_session WHERE stop_time IS NULL", String.class))
                .containsExactly("call-b");
        Map<String, Object> closed = db.jdbc().queryForMap("SELECT * FROM acc_session WHERE acct_session_id = 'call-a'");
        assertThat(closed.get("stop_time").toString()).isEqualTo(ts(T0.plusSeconds(100)));
        assertThat(closed.get("terminate_cause")).isEqualTo(11);
        // the session that had really stopped keeps its own end
        assertThat(db.jdbc().queryForObject("SELECT stop_time FROM acc_session WHERE acct_session_id = 'call-c'",
                java.sql.Timestamp.class).toInstant()).isEqualTo(T0.plusSeconds(5));
        assertThat(db.jdbc().queryForObject("SELECT count(*) FROM acc_event WHERE status = 'ACCOUNTING_ON'",
                Integer.class)).isEqualTo(1);
    }

    private static long count(String table) {
        return db.jdbc().queryForObject("SELECT count(*) FROM " + table, Long.class);
    }

    private static String ts(Instant i) {
        return java.sql.Timestamp.from(i).toString();
    }
}
