#!/usr/bin/env bash
# Prepaid engine benchmark: authorize + commit cycles per second against PostgreSQL (the embedded
# one, on the same machine), the engine in the load generator's JVM as in a Tollgate instance.
# Targets (issue 14): ≥ 5,000 calls/s over 100,000 accounts; ≥ 1,000 calls/s on one hot account,
# with no overdraft.
#
# Usage: tests/bench/prepaid-bench.sh [seconds] [accounts]   (default 30 s after 10 s of warm-up, 100,000)
#
# On a fresh embedded PostgreSQL (temp dir) it makes, set-based, a plan (0.60 EUR/min by the second,
# 4 decimals), the prepaid accounts pp1…ppN (1,000.00 EUR each), hot (100,000,000.00) and drain
# (1,000.00 + 5.00 credit), each with its top-up in the ledger; then runs PrepaidLoad:
#   spread  every call on a random ppN account (rating cache warmed first)
#   hot     every call on account hot
#   drain   every caller on account drain until its money is gone: no overdraft, no refusal with money left
# Each caller (PREPAID_BENCH_CALLERS, default 1000 at once) authorizes, then commits 1–120 s of its grant.
# Then checks with SQL: every balance = its ledger, nothing reserved or open, every debit = 0.01 × seconds.
# Builds with mvn package (no install). Environment: PREPAID_JAVA_OPTS (default -Xms1g -Xmx1g),
# PREPAID_BENCH_OPTS (extra PrepaidLoad options, e.g. --writers 4 --max-batch 2000), PREPAID_BENCH_KEEP=1
# (leave the database running afterwards, for psql).
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-30}
accounts=${2:-100000}
[[ "$secs" =~ ^[1-9][0-9]*$ && "$accounts" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [seconds] [accounts]" >&2; exit 2; }
work=$(mktemp -d /tmp/tollgate-prepaidbench.XXXXXX)
pgport=25472
url="jdbc:postgresql://127.0.0.1:$pgport/postgres"
java_opts="${PREPAID_JAVA_OPTS:--Xms1g -Xmx1g}"
callers=${PREPAID_BENCH_CALLERS:-1000}

holder=
cleanup() {
  if [ "${PREPAID_BENCH_KEEP:-}" = 1 ]; then
    echo "kept: PostgreSQL on port $pgport (PGPASSFILE=$work/pgpass), held by process $holder; data in $work"
    return
  fi
  if [ -n "$holder" ]; then kill "$holder" 2>/dev/null || true; wait "$holder" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
. tests/bench/embedded-db.sh

echo "== build (mvn package, nothing installed)"
mvn -q -B -pl tests -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$work/cp.txt" > "$work/build.log" 2>&1 || { tail -30 "$work/build.log"; exit 1; }
cp="tests/target/classes:$(cat "$work/cp.txt")"

echo "== fresh embedded PostgreSQL in $work/pg (port $pgport), migrated by Tollgate"
start_embedded_db

echo "== plan 'bench' and $(printf "%'d" "$accounts") prepaid accounts, hot and drain, with their top-ups"
sql "
  INSERT INTO rate_plan (name, currency, decimals) VALUES ('bench', 'EUR', 4);
  INSERT INTO rate (plan_id, prefix, destination, price_per_minute, first_increment, next_increment)
  SELECT id, '49', 'Germany', 0.60, 1, 1 FROM rate_plan WHERE name = 'bench';
  WITH a AS (
    INSERT INTO account (name, plan_id, time_zone, kind)
    SELECT n, p.id, 'Europe/Berlin', 'PREPAID' FROM rate_plan p,
           (SELECT 'pp' || i AS n FROM generate_series(1, $accounts) i UNION ALL VALUES ('hot'), ('drain')) names
     WHERE p.name = 'bench' RETURNING id, name)
  INSERT INTO prepaid_account (account_id, currency, balance, credit_limit)
  SELECT id, 'EUR', CASE name WHEN 'hot' THEN 100000000 ELSE 1000 END, CASE name WHEN 'drain' THEN 5 ELSE 0 END FROM a;
  INSERT INTO prepaid_ledger (account_id, kind, amount, currency, balance_after, idempotency_key, reference)
  SELECT account_id, 'TOPUP', balance, 'EUR', balance, 'topup/' || account_id || '/bench', 'bench' FROM prepaid_account;" \
  > /dev/null
sql "VACUUM ANALYZE" > /dev/null
sql "CHECKPOINT" > /dev/null

failures=0
load() {
  echo "== $1 (load: $(uptime | sed 's/.*load average/load average/'))"
  if ! java $java_opts -cp "$cp" org.tollgate.tests.bench.PrepaidLoad --url "$url" --scenario "$1" \
       --accounts "$accounts" --seconds "$secs" --warmup 10 --callers "$callers" ${PREPAID_BENCH_OPTS:-} \
       2> "$work/$1.err" | sed 's/^/  /'; then
    echo "  FAILED (exit ${PIPESTATUS[0]}):"; tail -20 "$work/$1.err"; failures=$((failures + 1))
  fi
}
load spread
load hot
load drain

echo "== checks"
check() { # name expected actual
  if [ "$2" = "$3" ]; then printf '  PASS  %-58s %s\n' "$1" "$3"
  else printf '  FAIL  %-58s expected %s, got %s\n' "$1" "$2" "$3"; failures=$((failures + 1)); fi
}
check "accounts whose balance is not the sum of their ledger" 0 "$(sql "
  SELECT count(*) FROM prepaid_account p
    LEFT JOIN (SELECT account_id, sum(amount) AS s FROM prepaid_ledger GROUP BY account_id) l USING (account_id)
   WHERE p.balance <> coalesce(l.s, 0)")"
check "accounts with money still reserved" 0 "$(sql "SELECT count(*) FROM prepaid_account WHERE reserved <> 0")"
check "reservations still open" 0 "$(sql "SELECT count(*) FROM prepaid_reservation WHERE state = 'OPEN'")"
check "debits that are not 0.01 × the seconds used" 0 "$(sql "
  SELECT count(*) FROM prepaid_reservation r JOIN prepaid_ledger l ON l.idempotency_key = 'call/' || r.account_id || '/' || r.call_id
   WHERE r.state = 'COMMITTED' AND -l.amount <> r.used_seconds * 0.01")"
check "accounts below their credit limit" 0 "$(sql "SELECT count(*) FROM prepaid_account WHERE balance < -credit_limit")"
echo "  (info) calls debited: $(sql "SELECT count(*) FROM prepaid_ledger WHERE kind = 'CALL'")," \
     "database $(sql "SELECT pg_size_pretty(pg_database_size('postgres'))")"
if [ $failures -gt 0 ]; then
  echo "$failures check(s) FAILED"
  exit 1
fi
echo "all checks passed"
