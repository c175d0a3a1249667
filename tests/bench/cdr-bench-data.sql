-- CDR benchmark data: accounting rows (acc_event) as Tollgate's SIP proxy writes them through the
-- AAA server, for :calls calls on 2026-11-20 (UTC), about two rows per call. Set-based and
-- deterministic: every choice comes from an MD5 of the call number, so two runs give the same rows.
--
-- Usage: psql -v calls=500000 [-v stored_at='2026-11-21 23:00:00+00'] -f tests/bench/cdr-bench-data.sql
--
-- stored_at is one fixed time for every row: it must lie inside the run's window (checkpoint, --until],
-- so it is before the benchmark's --until (2026-11-22T00:00:00Z) and after the last event.
--
-- The mix, per call (per mille of a hash, so the shares are close to, not exactly, these):
--   650  answered: Start + Stop (BYE from the caller); 40 % with session timers (Acct-Interim-Interval 1800
--        on the Start), 10 % with an Interim-Update (re-INVITE or UPDATE), 1 % the same Stop stored twice
--        under a different record_key
--    20  answered, the Stop written from the callee's side (From/To tags and stations swapped)
--    50  answered after forking: a 486 branch before the answer, a 487 branch (cancelled by the answer),
--        Start + Stop with a third To tag, all with the caller's From tag
--    30  missing BYE: Start only; half with Acct-Interim-Interval 1800 (repaired from the session timer),
--        a third of those also with an Interim-Update; the other half unterminated
--   250  missed or failed: one Failed row (487 35 %, 486 20 %, 480 15 %, 408 10 %, 404 8 %, 603 5 %,
--        503 4 %, 403 3 %); about half of the 487/486/480/408/603 ones rang two devices and have a
--        second Failed branch with its own To tag just before the final answer
-- About 2.0 rows per call: 500,000 calls give 1,001,062 rows (20,000 give 40,112). Calls start over the
-- whole day, last 0–600 s after 2–22 s of ringing, so some end on 2026-11-21; all end before 00:11 that day.
-- (Answered is 65 % rather than 60 %, and half the missed calls rang two devices, so that 500,000 calls
-- give 1.0 M rows; with 60 % answered and one row per missed call it would be about 1.8 rows per call.)
--
-- What the CDR run must produce is written to cdr_bench_expected (what, n) for the checks.
\set ON_ERROR_STOP on
\if :{?calls}
\else
\set calls 500000
\endif
\if :{?stored_at}
\else
\set stored_at '2026-11-21 23:00:00+00'
\endif

SET work_mem = '256MB';  -- the call CTEs and the sort into arrival order stay in memory
SET client_min_messages = warning;

CREATE TABLE IF NOT EXISTS cdr_bench_expected (what text PRIMARY KEY, n bigint NOT NULL);
TRUNCATE cdr_bench_expected;

WITH r AS MATERIALIZED (  -- raw hash-derived numbers per call (materialized: computed once, not per reference)
    SELECT i, h,
           ('x' || substr(h, 1, 4))::bit(16)::int % 1000      AS u,      -- category
           ('x' || substr(h, 5, 4))::bit(16)::int % 1000      AS v,      -- sub-choices
           ('x' || substr(h, 9, 7))::bit(28)::int % 86400000  AS t_ms,   -- INVITE time in the day
           ('x' || substr(h, 16, 5))::bit(20)::int % 600001   AS dur_ms, -- talk time, 0–600 s
           ('x' || substr(h, 21, 4))::bit(16)::int            AS w,
           ('x' || substr(h, 25, 4))::bit(16)::int            AS z
      FROM (SELECT i, md5('tollgate-cdr-bench/' || i) AS h FROM generate_series(1, :calls) AS i) s
), c0 AS MATERIALIZED (   -- the call
    SELECT r.*,
           CASE WHEN u < 650 THEN 'answered' WHEN u < 670 THEN 'callee_bye' WHEN u < 720 THEN 'forked'
                WHEN u < 750 THEN 'no_bye' ELSE 'failed' END                       AS cat,
           substr(h, 1, 12) || to_hex(i) || '@10.0.0.' || (1 + (z % 5000) % 250)   AS call_id,
           1000 + z % 5000                                                         AS caller,
           CASE WHEN w % 10 < 7 THEN '0049' || (30 + w % 60) || lpad(((i::bigint * 7919) % 10000000)::text, 7, '0')
                ELSE (1000 + (z * 7 + 13) % 5000)::text END                        AS callee,
           w % 10 < 7                                                              AS pstn,
           1 + (1000 + (z * 7 + 13) % 5000) % 250                                  AS callee_host,
           substr(h, 11, 10)                                                       AS ftag,
           substr(h, 21, 8)                                                        AS ttag,
           timestamptz '2026-11-20 00:00:00+00' + t_ms * interval '1 ms'           AS setup,
           CASE WHEN v < 350 THEN 487 WHEN v < 550 THEN 486 WHEN v < 700 THEN 480 WHEN v < 800 THEN 408
                WHEN v < 880 THEN 404 WHEN v < 930 THEN 603 WHEN v < 970 THEN 503 ELSE 403 END AS code
      FROM r
), c AS MATERIALIZED (
    SELECT c0.*,
           'sip:' || caller || '@example.com'                                     AS caller_uri,
           'sip:' || callee || '@example.com'                                     AS callee_uri,
           CASE WHEN pstn THEN 'sip:' || callee || '@10.0.1.10:5060'
                ELSE 'sip:' || callee || '@10.0.0.' || callee_host || ':5060' END   AS translated,
           '10.0.0.' || (1 + caller % 250)                                        AS caller_ip,
           CASE WHEN pstn THEN '10.0.1.10' ELSE '10.0.0.' || callee_host END    AS callee_ip,
           setup + (2000 + w % 20000) * interval '1 ms'                           AS answer,
           setup + (2000 + w % 20000 + dur_ms) * interval '1 ms'                  AS stop_t,
           CASE WHEN cat IN ('answered', 'callee_bye', 'forked') THEN v % 10 < 4
                WHEN cat = 'no_bye' THEN v % 2 = 0 ELSE false END                 AS timer,
           CASE WHEN cat = 'answered' THEN (v / 10) % 10 = 0
                WHEN cat = 'no_bye' THEN v % 2 = 0 AND (v / 10) % 3 = 0 ELSE false END AS interim,
           cat = 'answered' AND z % 100 = 0                                       AS dup,
           cat = 'failed' AND code IN (487, 486, 480, 408, 603) AND z % 1000 < 487 AS branch2,
           setup + (CASE code WHEN 487 THEN 3000 + w % 37000 WHEN 486 THEN 1000 + w % 4000
                              WHEN 480 THEN 30000 + w % 30000 WHEN 408 THEN 32000 + w % 1000
                              WHEN 603 THEN 2000 + w % 13000 ELSE 50 + w % 900 END) * interval '1 ms' AS fail_t
      FROM c0
), ins AS (
    INSERT INTO acc_event (record_key, session_key, received_at, event_time, nas_name, nas_address, status,
                           status_code, acct_session_id, acct_unique_session_id, user_name, calling_station_id,
                           called_station_id, sip_method, sip_response_code, sip_from_tag, sip_to_tag, sip_cseq,
                           sip_translated_uri, sip_src_ip, sip_src_port, session_time, terminate_cause, delay_time,
                           attributes, stored_at)
    SELECT -- as the AAA server keys rows: Event-Timestamp first (so the key grows with time), then an MD5
           (lpad(to_hex(extract(epoch FROM e.t)::bigint), 10, '0')
             || substr(md5(c.call_id || '/' || e.kind), 1, 22))::uuid,
           md5(c.call_id || '/' || least(c.ftag, e.to_tag) || '/' || greatest(c.ftag, e.to_tag))::uuid,
           e.t + (2 + c.z % 30 + CASE WHEN e.kind = 'stop2' THEN 1000 ELSE 0 END) * interval '1 ms',
           e.t, 'tollgate-proxy', inet '127.0.0.1', e.status,
           CASE e.status WHEN 'START' THEN 1 WHEN 'STOP' THEN 2 WHEN 'INTERIM_UPDATE' THEN 3 ELSE 15 END,
           c.call_id, md5(c.caller || '@example.com' || c.call_id || '127.0.0.1'), c.caller || '@example.com',
           CASE WHEN e.swap THEN c.callee_uri ELSE c.caller_uri END,
           CASE WHEN e.swap THEN c.caller_uri ELSE c.callee_uri END,
           e.method, e.code,
           CASE WHEN e.swap THEN e.to_tag ELSE c.ftag END,
           CASE WHEN e.swap THEN c.ftag ELSE e.to_tag END,
           e.cseq, c.translated, CASE WHEN e.swap THEN c.callee_ip ELSE c.caller_ip END, 5060,
           CASE WHEN e.status = 'STOP' THEN c.dur_ms / 1000 END,
           CASE WHEN e.status = 'STOP' THEN 1 END,
           0,
           jsonb_build_object(
               'Acct-Status-Type', CASE e.status WHEN 'START' THEN 'Start' WHEN 'STOP' THEN 'Stop'
                                                 WHEN 'INTERIM_UPDATE' THEN 'Interim-Update' ELSE 'Failed' END,
               'Acct-Session-Id', c.call_id,
               'Sip-Method', e.method,
               'Sip-Response-Code', e.code::text,
               'Sip-From-Tag', CASE WHEN e.swap THEN e.to_tag ELSE c.ftag END,
               'Sip-To-Tag', CASE WHEN e.swap THEN c.ftag ELSE e.to_tag END,
               'User-Name', c.caller || '@example.com',
               'Calling-Station-Id', CASE WHEN e.swap THEN c.callee_uri ELSE c.caller_uri END,
               'Called-Station-Id', CASE WHEN e.swap THEN c.caller_uri ELSE c.callee_uri END,
               'Sip-Translated-Request-URI', c.translated,
               'Sip-Src-IP', CASE WHEN e.swap THEN c.callee_ip ELSE c.caller_ip END)
           || CASE WHEN c.timer AND e.status IN ('START', 'INTERIM_UPDATE')
                   THEN jsonb_build_object('Acct-Interim-Interval', '1800') ELSE '{}' END
           || CASE WHEN e.status = 'STOP'
                   THEN jsonb_build_object('Acct-Session-Time', (c.dur_ms / 1000)::text,
                                           'Acct-Terminate-Cause', 'User-Request') ELSE '{}' END,
           CAST(:'stored_at' AS timestamptz)
      FROM c
     CROSS JOIN LATERAL (
            SELECT 'start' AS kind, 'START' AS status, c.answer AS t, 'INVITE' AS method, 200 AS code,
                   c.ttag || 'a' AS to_tag, '1' AS cseq, false AS swap
             WHERE c.cat <> 'failed'
            UNION ALL
            SELECT 'stop', 'STOP', c.stop_t, 'BYE', 200, c.ttag || 'a',
                   CASE WHEN c.cat = 'callee_bye' THEN '101' WHEN c.interim THEN '3' ELSE '2' END,
                   c.cat = 'callee_bye'
             WHERE c.cat IN ('answered', 'callee_bye', 'forked')
            UNION ALL  -- the same Stop stored again under another key (a NAS resending it with new attributes)
            SELECT 'stop2', 'STOP', c.stop_t, 'BYE', 200, c.ttag || 'a', CASE WHEN c.interim THEN '3' ELSE '2' END, false
             WHERE c.dup
            UNION ALL  -- a session refresh or hold re-INVITE half-way through the call
            SELECT 'interim', 'INTERIM_UPDATE', c.answer + (c.dur_ms / 2) * interval '1 ms',
                   CASE WHEN c.v % 3 = 0 THEN 'Update' ELSE 'INVITE' END, 200, c.ttag || 'a', '2', false
             WHERE c.interim
            UNION ALL  -- forked: a busy branch before the answer ...
            SELECT 'fork486', 'FAILED', c.setup + (500 + c.w % 1500) * interval '1 ms', 'INVITE', 486,
                   c.ttag || 'b', '1', false
             WHERE c.cat = 'forked'
            UNION ALL  -- ... and a ringing one cancelled when another answered
            SELECT 'fork487', 'FAILED', c.answer + (3 + c.z % 17) * interval '1 ms', 'INVITE', 487,
                   c.ttag || 'c', '1', false
             WHERE c.cat = 'forked'
            UNION ALL  -- a missed call: its final answer ...
            SELECT 'fail', 'FAILED', c.fail_t, 'INVITE', c.code, c.ttag || 'a', '1', false
             WHERE c.cat = 'failed'
            UNION ALL  -- ... and, when it rang two devices, the other device's earlier answer
            SELECT 'fail2', 'FAILED', c.fail_t - (1 + c.w % 900) * interval '1 ms', 'INVITE',
                   CASE c.code WHEN 487 THEN 487 WHEN 603 THEN 486 ELSE 480 END, c.ttag || 'b', '1', false
             WHERE c.branch2
          ) e
     ORDER BY e.t  -- the table in arrival order, as the accounting writers fill it
    RETURNING 1
), stats AS (
    SELECT count(*)                                                            AS calls,
           count(*) FILTER (WHERE cat = 'answered')                            AS answered,
           count(*) FILTER (WHERE cat = 'callee_bye')                          AS callee_bye,
           count(*) FILTER (WHERE cat = 'forked')                              AS forked,
           count(*) FILTER (WHERE cat = 'no_bye')                              AS no_bye,
           count(*) FILTER (WHERE cat = 'failed')                              AS failed,
           count(*) FILTER (WHERE branch2)                                     AS failed_two_branches,
           count(*) FILTER (WHERE interim)                                     AS interims,
           count(*) FILTER (WHERE dup)                                         AS duplicate_stops,
           count(*) FILTER (WHERE cat IN ('answered', 'callee_bye', 'forked') AND timer) AS answered_with_timer,
           count(*) FILTER (WHERE cat IN ('answered', 'callee_bye', 'forked')
                              AND stop_t >= timestamptz '2026-11-21 00:00:00+00') AS crossing_midnight,
           count(*) FILTER (WHERE cat = 'failed' AND code = 486)               AS busy,
           count(*) FILTER (WHERE cat = 'failed' AND code = 487)               AS cancelled,
           count(*) FILTER (WHERE cat = 'failed' AND code IN (408, 480))       AS no_answer,
           count(*) FILTER (WHERE cat = 'failed' AND code = 404)               AS not_found,
           count(*) FILTER (WHERE cat = 'failed' AND code = 403)               AS forbidden,
           count(*) FILTER (WHERE cat = 'failed' AND code IN (503, 603))       AS failed_other,
           count(*) FILTER (WHERE cat = 'no_bye' AND timer)                    AS repair_session_timer,
           count(*) FILTER (WHERE cat = 'no_bye' AND NOT timer)                AS repair_unterminated,
           -- whole seconds rounded up, answer to Stop
           coalesce(sum((dur_ms + 999) / 1000) FILTER (WHERE cat IN ('answered', 'callee_bye', 'forked')), 0)
                                                                               AS billable_stopped,
           -- repaired from the session timer: the last sign of life (the Interim-Update, else the answer) + 1800 s
           coalesce(sum((CASE WHEN interim THEN dur_ms / 2 ELSE 0 END + 1800000 + 999) / 1000)
                        FILTER (WHERE cat = 'no_bye' AND timer), 0)            AS billable_session_timer
      FROM c
)
INSERT INTO cdr_bench_expected (what, n)
SELECT x.what, x.n
  FROM stats s
 CROSS JOIN LATERAL (VALUES
        ('events', (SELECT count(*) FROM ins)),
        ('calls', s.calls),
        ('calls.answered', s.answered),
        ('calls.callee_bye', s.callee_bye),
        ('calls.forked', s.forked),
        ('calls.missing_bye', s.no_bye),
        ('calls.failed', s.failed),
        ('calls.failed_two_branches', s.failed_two_branches),
        ('calls.answered_with_session_timer', s.answered_with_timer),
        ('calls.crossing_midnight', s.crossing_midnight),
        ('rows.interim', s.interims),
        ('rows.duplicate_stop', s.duplicate_stops),
        ('cdr.total', s.calls),
        ('cdr.answered', s.answered + s.callee_bye + s.forked + s.no_bye),
        ('cdr.not_answered', s.failed),
        ('cdr.BUSY', s.busy),
        ('cdr.CANCELLED', s.cancelled),
        ('cdr.NO_ANSWER', s.no_answer),
        ('cdr.NOT_FOUND', s.not_found),
        ('cdr.FORBIDDEN', s.forbidden),
        ('cdr.FAILED', s.failed_other),
        ('repair.SESSION_TIMER', s.repair_session_timer),
        ('repair.UNTERMINATED', s.repair_unterminated),
        ('repair.MEDIA_TIMEOUT', 0),
        ('repair.NAS_REBOOT', 0),
        ('billable.stopped', s.billable_stopped),
        ('billable.session_timer', s.billable_session_timer),
        ('review', 0),
        ('pending', 0)
       ) AS x(what, n);
