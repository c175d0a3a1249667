#!/usr/bin/env bash
# CDR engine benchmark: accounting events paired into CDRs by `tollgate batch run`, end to end, with
# PostgreSQL (the embedded one) on the same machine. Target: 1,000,000 events (500,000 calls) at
# ≥ 100,000 events/s.
#
# Usage: tests/bench/cdr-bench.sh [calls]   (default 500000 calls, about 2 events per call)
#
# On a fresh embedded PostgreSQL (temp dir) it loads tests/bench/cdr-bench-data.sql (set-based,
# deterministic: calls on 2026-11-20 UTC, answered, missed, forked, missing BYE, Stop from the callee's
# side, duplicate Stops), VACUUM ANALYZEs and checkpoints, then times
#   ./tollgate -Dspring.datasource.url=… batch run --until 2026-11-22T00:00:00Z
# (wall clock, so JVM and Spring start-up included, and the run's own time), checks the CDRs with SQL
# against what the generator produced, runs the day again (--date 2026-11-20, same --until) and checks
# that the cdr table did not change. Exits non-zero when a check fails.
#
# An idle Tollgate with no roles holds the embedded PostgreSQL for psql and the batch runs
# (tests/bench/embedded-db.sh).
# Environment: TOLLGATE_JAVA_OPTS (JVM options of the batch runs, default -Xms1g -Xmx1g),
# CDR_BENCH_PROPS (extra -D settings for the batch runs), CDR_BENCH_KEEP=1 (keep the database).
set -euo pipefail
cd "$(dirname "$0")/../.."
calls=${1:-500000}
[[ "$calls" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [calls]   (default 500000)" >&2; exit 2; }
until_t=2026-11-22T00:00:00Z
day=2026-11-20
stored_at='2026-11-21 23:00:00+00'   # inside (checkpoint, until]; after every event of the data
work=$(mktemp -d /tmp/tollgate-cdrbench.XXXXXX)
pgport=25452
url="jdbc:postgresql://127.0.0.1:$pgport/postgres?user=postgres"
batch_opts="${TOLLGATE_JAVA_OPTS:--Xms1g -Xmx1g}"

holder=
cleanup() {
  if [ -n "$holder" ]; then kill "$holder" 2>/dev/null || true; wait "$holder" 2>/dev/null || true; fi
  if [ "${CDR_BENCH_KEEP:-}" != 1 ]; then rm -rf "$work/pg"; fi
}
trap cleanup EXIT

. tests/bench/embedded-db.sh
now_ms() { date +%s%3N; }
fmt() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }   # 1000000 → 1,000,000
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

echo "== fresh embedded PostgreSQL in $work/pg (port $pgport), migrated by Tollgate"
start_embedded_db
sql "SELECT 1 FROM acc_event LIMIT 1" > /dev/null

echo "== generating $calls calls (tests/bench/cdr-bench-data.sql)"
t0=$(now_ms)
psql -h 127.0.0.1 -p $pgport -U postgres -d postgres -X -q -v ON_ERROR_STOP=1 -v calls=$calls \
  -v stored_at="$stored_at" -f tests/bench/cdr-bench-data.sql
t1=$(now_ms)
sql "VACUUM ANALYZE acc_event" > /dev/null
sql "CHECKPOINT" > /dev/null
t2=$(now_ms)
exp() { sql "SELECT n FROM cdr_bench_expected WHERE what = '$1'"; }
events=$(exp events)
echo "generated $(fmt $events) events in $(secs $t0 $t1) s; VACUUM ANALYZE + CHECKPOINT $(secs $t1 $t2) s;" \
     "acc_event $(sql "SELECT pg_size_pretty(pg_total_relation_size('acc_event'))") with indexes"
sql "SELECT rpad(what, 36) || n FROM cdr_bench_expected WHERE what LIKE 'calls%' OR what LIKE 'rows.%' ORDER BY what" \
  | sed 's/^/  /'

# one batch run, timed: sets wall_ms and took (the run's own seconds); its output stays in $work/$1.out
batch() {
  local name=$1; shift
  local a b rc=0
  a=$(now_ms)
  TOLLGATE_JAVA_OPTS="$batch_opts" ./tollgate -Dspring.datasource.url="$url" ${CDR_BENCH_PROPS:-} batch run "$@" \
    > $work/$name.out 2> $work/$name.err || rc=$?
  b=$(now_ms)
  if [ $rc -ne 0 ]; then
    echo "batch run $* failed (exit $rc):"
    cat $work/$name.out
    tr '\r' '\n' < $work/$name.err | tail -20
    exit 1
  fi
  wall_ms=$((b - a))
  # the last "CDR run N STATUS: … in 8.3 s" line (a resumed run would come first)
  took=$(grep '^CDR run ' $work/$name.out | tail -1 | sed -n 's/.* in \([0-9.,]*\) s$/\1/p' | tr , .)
  took=${took:-0}
}
summary_num() { # the number on the summary line starting with $2 in $1.out ("events read      1,000,000")
  grep -m1 "^  $2" $work/$1.out | sed 's/^  [a-zA-Z ]*[[:space:]]\([0-9,]*\).*/\1/' | tr -d ,
}
rate() { fmt "$(awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "n/a" }')"; }

echo "== rate plan 'bench': 100,000 prefixes in two bands, 5,000 postpaid accounts"
sql "
  INSERT INTO rate_plan (name, currency, decimals) VALUES ('bench', 'EUR', 4);
  INSERT INTO rate_plan_band (plan_id, ordinal, name, days, from_time, to_time)
  SELECT id, 1, 'peak', 'MON-FRI', time '08:00', time '18:00' FROM rate_plan WHERE name = 'bench'
  UNION ALL SELECT id, 2, 'offpeak', 'MON-SUN', time '00:00', time '00:00' FROM rate_plan WHERE name = 'bench';
  INSERT INTO rate (plan_id, prefix, destination, band, price_per_minute, first_increment, next_increment)
  SELECT p.id, CASE WHEN i < 60000 THEN '49' || (30000 + i) ELSE '44' || (100000 + i) END, 'dest ' || i, b.band,
         CASE b.band WHEN 'peak' THEN 0.012 + (i % 50) / 1000.0 ELSE 0.006 + (i % 50) / 2000.0 END, 30, 6
    FROM rate_plan p, generate_series(0, 99999) i, (VALUES ('peak'), ('offpeak')) b(band) WHERE p.name = 'bench';
  INSERT INTO rate (plan_id, prefix, destination, price_per_minute, first_increment, next_increment)
  SELECT p.id, d::text, 'on-net', 0, 1, 1 FROM rate_plan p, generate_series(1, 9) d WHERE p.name = 'bench';
  INSERT INTO account (name, plan_id, time_zone)
  SELECT (1000 + i) || '@example.com', p.id, 'Europe/Berlin' FROM rate_plan p, generate_series(0, 4999) i
   WHERE p.name = 'bench';" > /dev/null

echo "== batch run --until $until_t"
batch run1 --until $until_t
sed 's/^/  /' $work/run1.out
cdrs=$(sql "SELECT count(*) FROM cdr")
wall=$(awk -v m="$wall_ms" 'BEGIN { printf "%.3f", m / 1000 }')
echo "events $(fmt $events), calls $(fmt $calls), CDRs $(fmt $cdrs)"
echo "batch run: wall ${wall%??} s (JVM and Spring start-up included), reported by the run $took s"
echo "events/s: $(rate $events $took) by the run's time, $(rate $events $wall) by wall time (target ≥ 100,000)"
step_s() { sql "SELECT round(extract(epoch FROM max(end_time) - min(start_time))::numeric, 1) FROM batch_step_execution
                WHERE step_name = '$1' AND job_execution_id = (SELECT max(job_execution_id) FROM batch_job_execution)"; }
pair_s=$(step_s cdrPair)
rate_s=$(step_s cdrRate)
echo "steps: pairing ${pair_s} s = $(rate $events $pair_s) events/s; rating ${rate_s} s = $(rate $cdrs $rate_s) CDRs/s (target ≥ 50,000)"

echo "== checks"
failures=0
check() { # name expected actual
  if [ "$2" = "$3" ]; then printf '  PASS  %-48s %s\n' "$1" "$3"
  else printf '  FAIL  %-48s expected %s, got %s\n' "$1" "$2" "$3"; failures=$((failures + 1)); fi
}
check "events read (summary) = acc_event rows" "$events" "$(summary_num run1 'events read')"
check "calls paired (summary) = calls" "$calls" "$(summary_num run1 'calls paired')"
check "CDRs written (summary) = cdr rows" "$cdrs" "$(summary_num run1 'CDRs written')"
check "acc_event rows in no CDR and not in review" 0 "$(sql "
  WITH owned AS (SELECT unnest(source_keys) AS k FROM cdr UNION SELECT record_key FROM cdr_review)
  SELECT count(*) FROM acc_event e LEFT JOIN owned o ON o.k = e.record_key WHERE o.k IS NULL")"
check "acc_event rows in more than one CDR" 0 "$(sql "
  SELECT count(*) FROM (SELECT k FROM cdr, unnest(source_keys) k GROUP BY k HAVING count(*) > 1) x")"
check "CDRs" "$(exp cdr.total)" "$cdrs"
check "CDRs priced (RATED)" "$cdrs" "$(sql "SELECT count(*) FROM cdr_price WHERE rating_status = 'RATED'")"
check "ANSWERED CDRs" "$(exp cdr.answered)" "$(sql "SELECT count(*) FROM cdr WHERE disposition = 'ANSWERED'")"
check "not answered CDRs" "$(exp cdr.not_answered)" "$(sql "SELECT count(*) FROM cdr WHERE disposition <> 'ANSWERED'")"
for d in BUSY CANCELLED NO_ANSWER NOT_FOUND FORBIDDEN FAILED; do
  check "  $d" "$(exp cdr.$d)" "$(sql "SELECT count(*) FROM cdr WHERE disposition = '$d'")"
done
for r in SESSION_TIMER UNTERMINATED MEDIA_TIMEOUT NAS_REBOOT; do
  check "repaired $r" "$(exp repair.$r)" "$(sql "SELECT count(*) FROM cdr WHERE repair = '$r'")"
done
check "billable seconds, answered with a Stop" "$(exp billable.stopped)" \
  "$(sql "SELECT coalesce(sum(billable_seconds), 0) FROM cdr WHERE disposition = 'ANSWERED' AND repair IS NULL")"
check "billable seconds, repaired by session timer" "$(exp billable.session_timer)" \
  "$(sql "SELECT coalesce(sum(billable_seconds), 0) FROM cdr WHERE repair = 'SESSION_TIMER'")"
check "rows sent to review" "$(exp review)" "$(sql "SELECT count(*) FROM cdr_review")"
check "calls still waiting (cdr_pending)" "$(exp pending)" "$(sql "SELECT count(*) FROM cdr_pending")"
check "events at least 3 h before --until" 0 \
  "$(sql "SELECT count(*) FROM acc_event WHERE event_time > timestamptz '$until_t' - interval '3 hours'")"
echo "  (info) CDRs by day: $(sql "SELECT string_agg(call_date || ' ' || n, ', ' ORDER BY call_date)
                                    FROM (SELECT call_date, count(*) n FROM cdr GROUP BY 1) x")"

echo "== batch run --date $day --until $until_t (must leave the cdr table unchanged)"
digest="SELECT count(*) || ' ' || coalesce(md5(string_agg((to_jsonb(c) - 'created_at' - 'updated_at' - 'version')::text,
                E'\n' ORDER BY c.cdr_key)), '-') FROM cdr c"
before=$(sql "$digest")
audit_before=$(sql "SELECT count(*) FROM cdr_audit")
batch run2 --date $day --until $until_t
sed 's/^/  /' $work/run2.out
echo "day run: wall $(awk -v m="$wall_ms" 'BEGIN { printf "%.1f", m / 1000 }') s, reported by the run $took s"
check "cdr table (count and md5) after the day run" "$before" "$(sql "$digest")"
check "cdr_audit rows added by the day run" 0 "$(( $(sql "SELECT count(*) FROM cdr_audit") - audit_before ))"
check "CDRs whose version changed" 0 "$(sql "SELECT count(*) FROM cdr WHERE version <> 1")"

echo "logs: $work (run1.out/.err, run2.out/.err, holder.log)"
if [ $failures -gt 0 ]; then
  echo "$failures check(s) FAILED"
  exit 1
fi
echo "all checks passed"
