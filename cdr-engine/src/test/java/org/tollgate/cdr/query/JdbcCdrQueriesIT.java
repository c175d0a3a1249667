package org.tollgate.cdr.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollgate.cdr.pairing.Disposition;
import org.tollgate.cdr.pairing.Repair;
import org.tollgate.cdr.pairing.ReviewItem;
import org.tollgate.cdr.support.TestDatabase;

class JdbcCdrQueriesIT {

    private static TestDatabase db;
    private static JdbcCdrQueries queries;

    @BeforeAll
    static void start() {
        db = new TestDatabase();
        queries = new JdbcCdrQueries(db.dataSource());
        // one day's traffic and the days around it; end times are in call order
        cdr("00000000-0000-0000-0000-000000000001", "before", "2026-11-20", "2026-11-20T23:50:00Z", "ANSWERED", 200,
                "sip:alice@example.com", "sip:+4930123@example.com", "alice", null);
        cdr("00000000-0000-0000-0000-000000000002", "answered", "2026-11-21", "2026-11-21T10:05:00Z", "ANSWERED", 200,
                "sip:Alice@Example.com", "sip:+4930999@example.com", "alice", null);
        cdr("00000000-0000-0000-0000-000000000003", "busy", "2026-11-21", "2026-11-21T11:00:00Z", "BUSY", 486,
                "sip:bob@example.com", "sip:+4930123@example.com", "bob", null);
        cdr("00000000-0000-0000-0000-000000000004", "timed-out", "2026-11-21", "2026-11-21T12:00:00Z", "ANSWERED", 200,
                "sip:carol@example.com", "sip:100%_x@example.com", "carol", "MEDIA_TIMEOUT");
        cdr("00000000-0000-0000-0000-000000000006", "same-end-b", "2026-11-21", "2026-11-21T13:00:00Z", "NO_ANSWER", 480,
                "sip:dave@example.com", "sip:1000x@example.com", "dave", null);
        cdr("00000000-0000-0000-0000-000000000005", "same-end-a", "2026-11-21", "2026-11-21T13:00:00Z", "ANSWERED", 200,
                "sip:dave@example.com", "sip:1000y@example.com", "dave", "UNTERMINATED");
        cdr("00000000-0000-0000-0000-000000000007", "next-day", "2026-11-22", "2026-11-22T00:10:00Z", "CANCELLED", 487,
                null, "sip:alice@example.com", null, null);

        review("00000000-0000-0000-0000-0000000000a1", "orphan-1", "STOP_WITHOUT_START", "2026-11-21T09:00:00Z", false);
        review("00000000-0000-0000-0000-0000000000a2", null, "NO_CALL_ID", "2026-11-21T08:00:00Z", false);
        review("00000000-0000-0000-0000-0000000000a3", "orphan-3", "STOP_WITHOUT_START", "2026-11-21T07:00:00Z", true);
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @Test
    void aDateRangeIsOnTheCallDateWithBothEndsIncluded() {
        assertThat(callIds(queries.search(filter().fromDate(LocalDate.parse("2026-11-21"))
                .toDate(LocalDate.parse("2026-11-21")).build())))
                .containsExactly("answered", "busy", "timed-out", "same-end-a", "same-end-b");
        assertThat(callIds(queries.search(filter().fromDate(LocalDate.parse("2026-11-22")).build())))
                .containsExactly("next-day");
        assertThat(callIds(queries.search(filter().toDate(LocalDate.parse("2026-11-20")).build())))
                .containsExactly("before");
    }

    @Test
    void anEndTimeRangeIncludesItsStartAndExcludesItsEnd() {
        assertThat(callIds(queries.search(filter().endFrom(Instant.parse("2026-11-21T11:00:00Z"))
                .endBefore(Instant.parse("2026-11-21T13:00:00Z")).build())))
                .containsExactly("busy", "timed-out");
    }

    @Test
    void callerAndCalleeMatchAPartIgnoringCase() {
        assertThat(callIds(queries.search(filter().caller("ALICE@").build()))).containsExactly("before", "answered");
        assertThat(callIds(queries.search(filter().callee("+4930123").build()))).containsExactly("before", "busy");
        assertThat(callIds(queries.search(filter().caller("alice").callee("999").build()))).containsExactly("answered");
    }

    @Test
    void likeWildcardsInTheSearchTextAreLiteral() {
        assertThat(callIds(queries.search(filter().callee("100%_").build()))).containsExactly("timed-out");
        assertThat(callIds(queries.search(filter().callee("100_").build()))).isEmpty();
    }

    @Test
    void dispositionsAreAnyOf() {
        assertThat(callIds(queries.search(filter().dispositions(Set.of(Disposition.BUSY, Disposition.CANCELLED))
                .build()))).containsExactly("busy", "next-day");
        assertThat(callIds(queries.search(filter().dispositions(Set.of(Disposition.FORBIDDEN)).build()))).isEmpty();
    }

    @Test
    void repairedAnyOneMethodOrNone() {
        assertThat(callIds(queries.search(filter().repair(RepairFilter.ANY).build())))
                .containsExactly("timed-out", "same-end-a");
        assertThat(callIds(queries.search(filter().repair(RepairFilter.of(Repair.UNTERMINATED)).build())))
                .containsExactly("same-end-a");
        assertThat(callIds(queries.search(filter().repair(RepairFilter.NONE).build())))
                .containsExactly("before", "answered", "busy", "same-end-b", "next-day");
    }

    @Test
    void billingPartyAndCallIdMatchExactly() {
        assertThat(callIds(queries.search(filter().billingParty("dave").build())))
                .containsExactly("same-end-a", "same-end-b");
        assertThat(callIds(queries.search(filter().billingParty("dav").build()))).isEmpty();
        assertThat(callIds(queries.search(filter().callId("busy").build()))).containsExactly("busy");
    }

    @Test
    void rowsCarryEveryColumn() {
        CdrRow r = queries.search(filter().callId("timed-out").build()).rows().get(0);
        assertThat(r.cdrKey()).isEqualTo(UUID.fromString("00000000-0000-0000-0000-000000000004"));
        assertThat(r.callDate()).isEqualTo(LocalDate.parse("2026-11-21"));
        assertThat(r.answerTime()).isEqualTo(Instant.parse("2026-11-21T11:59:00Z"));
        assertThat(r.endTime()).isEqualTo(Instant.parse("2026-11-21T12:00:00Z"));
        assertThat(r.durationSeconds()).isEqualTo(60);
        assertThat(r.disposition()).isEqualTo(Disposition.ANSWERED);
        assertThat(r.repair()).isEqualTo(Repair.MEDIA_TIMEOUT);
        assertThat(r.sipCode()).isEqualTo(200);
        assertThat(r.nasAddress()).isEqualTo("192.0.2.1");
        assertThat(r.setupTime()).isNull();
        assertThat(r.terminateCause()).isNull();
        assertThat(r.version()).isEqualTo(1);
    }

    @Test
    void searchGivesTheFirstRowsAndSaysWhenMoreMatched() {
        Limited<CdrRow> two = queries.search(filter().limit(2).build());
        assertThat(callIds(two)).containsExactly("before", "answered");
        assertThat(two.more()).isTrue();
        Limited<CdrRow> all = queries.search(filter().limit(7).build());
        assertThat(all.rows()).hasSize(7);
        assertThat(all.more()).isFalse();
    }

    @Test
    void recentGivesTheLastRowsOldestFirst() {
        Limited<CdrRow> three = queries.recent(filter().limit(3).build());
        assertThat(callIds(three)).containsExactly("same-end-a", "same-end-b", "next-day");
        assertThat(three.more()).isTrue();
        assertThat(queries.recent(filter().limit(100).build()).more()).isFalse();
    }

    @Test
    void missedCallsAreTheOnesThatDidNotConnect() {
        assertThat(callIds(queries.missed(filter().build()))).containsExactly("busy", "same-end-b", "next-day");
        Limited<CdrRow> newest = queries.missed(filter().limit(1).build());
        assertThat(callIds(newest)).containsExactly("next-day");
        assertThat(newest.more()).isTrue();
        assertThat(callIds(queries.missed(filter().toDate(LocalDate.parse("2026-11-21")).build())))
                .containsExactly("busy", "same-end-b");
        CdrRow busy = queries.missed(filter().callId("busy").build()).rows().get(0);
        assertThat(busy.sipCode()).isEqualTo(486);
        assertThat(busy.sipReason()).isEqualTo("reason 486");
        assertThat(busy.answerTime()).isNull();
    }

    @Test
    void reviewListsOpenRowsOldestFirst() {
        Limited<ReviewRow> open = queries.review(null, 100);
        assertThat(open.rows()).extracting(ReviewRow::reason).containsExactly("NO_CALL_ID", "STOP_WITHOUT_START");
        assertThat(open.more()).isFalse();
        Limited<ReviewRow> stops = queries.review(ReviewItem.Reason.STOP_WITHOUT_START, 100);
        assertThat(stops.rows()).extracting(ReviewRow::callId).containsExactly("orphan-1");
        assertThat(stops.rows().get(0).eventTime()).isEqualTo(Instant.parse("2026-11-21T09:00:00Z"));
        assertThat(queries.review(ReviewItem.Reason.UNPARSEABLE, 100).rows()).isEmpty();
        assertThat(queries.review(null, 1).more()).isTrue();
    }

    @Test
    void aFilterRefusesAnEmptyDateRangeAndANonPositiveLimit() {
        assertThatThrownBy(() -> filter().fromDate(LocalDate.parse("2026-11-22")).toDate(LocalDate.parse("2026-11-21"))
                .build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> filter().limit(0).build()).isInstanceOf(IllegalArgumentException.class);
    }

    private static CdrFilter.Builder filter() {
        return CdrFilter.builder();
    }

    private static List<String> callIds(Limited<CdrRow> rows) {
        return rows.rows().stream().map(CdrRow::callId).toList();
    }

    private static void cdr(String key, String callId, String date, String end, String disposition, int code,
                            String caller, String callee, String billingParty, String repair) {
        Instant endTime = Instant.parse(end);
        boolean answered = disposition.equals("ANSWERED");
        db.jdbc().update("""
                INSERT INTO cdr (cdr_key, call_id, call_date, answer_time, end_time, duration_seconds, billable_seconds,
                                 disposition, sip_code, sip_reason, caller, callee, billing_party, nas_name, nas_address,
                                 repair, source_keys)
                VALUES (?::uuid, ?, ?::date, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'kam', '192.0.2.1', ?, ARRAY[gen_random_uuid()])
                """, key, callId, date, answered ? Timestamp.from(endTime.minusSeconds(60)) : null,
                Timestamp.from(endTime), answered ? 60 : 0, answered ? 60 : 0, disposition, code,
                "reason " + code, caller, callee, billingParty, repair);
    }

    private static void review(String key, String callId, String reason, String eventTime, boolean resolved) {
        db.jdbc().update("""
                INSERT INTO cdr_review (record_key, call_id, reason, detail, event_time, resolved_at)
                VALUES (?::uuid, ?, ?, 'detail', ?, CASE WHEN ? THEN now() END)
                """, key, callId, reason, Timestamp.from(Instant.parse(eventTime)), resolved);
    }
}
