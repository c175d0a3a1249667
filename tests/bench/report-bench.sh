#!/usr/bin/env bash
# Report export benchmark: tests/bench/report-bench.sh [cdrs]   (default 1000000)
# On a fresh embedded PostgreSQL (temp dir) it writes N priced CDRs of 2026-11-20 set-based with SQL
# (tests/bench/report-bench-data.sql), then times `./tollgate report cdrs` (every CDR with its price,
# 18 columns) as CSV, and as XLSX with the JVM limited to -Xmx512m. Each run prints its own time
# (query, formatting and file; no JVM start-up) and the script checks the row counts of both files.
# Targets: CSV >= 500,000 rows/s; XLSX <= 30 s for 1,000,000 rows in 512 MB of heap.
# It also times the query alone in PostgreSQL (no client), the floor for any export of it.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-1000000}
[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [cdrs]" >&2; exit 2; }
work=$(mktemp -d /tmp/tollgate-reportbench.XXXXXX)
pgport=25462
url="jdbc:postgresql://127.0.0.1:$pgport/postgres?user=postgres"
holder=
cleanup() {
  if [ -n "$holder" ]; then kill "$holder" 2>/dev/null || true; wait "$holder" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
. tests/bench/embedded-db.sh

echo "== fresh embedded PostgreSQL (port $pgport), migrated by Tollgate"
start_embedded_db

echo "== $n priced CDRs (tests/bench/report-bench-data.sql)"
psql -h 127.0.0.1 -p $pgport -U postgres -d postgres -X -q -v ON_ERROR_STOP=1 -v n=$n -f tests/bench/report-bench-data.sql
sql "VACUUM ANALYZE cdr" > /dev/null
sql "VACUUM ANALYZE cdr_price" > /dev/null

# What PostgreSQL alone takes for the export's query (CallListings.CDRS), ordered as the report is:
# the rows go to /dev/null on the server, so no client, driver or network is involved. No export
# of this query can be faster than this. One process, as for the report: a cursor's query runs
# without parallel workers.
floor() {
  psql -h 127.0.0.1 -p $pgport -U postgres -d postgres -X -v ON_ERROR_STOP=1 -c "SET work_mem = '256MB'" \
    -c "SET max_parallel_workers_per_gather = 0" -c '\timing on' \
    -c "COPY (SELECT c.call_date, c.setup_time, c.answer_time, c.end_time, c.billing_party, c.caller, c.callee,
                     c.disposition, c.sip_code, c.duration_seconds, c.billable_seconds, c.repair, p.rating_status,
                     p.destination, p.billed_seconds, p.cost, p.currency, c.call_id
                FROM cdr c LEFT JOIN cdr_price p USING (cdr_key)
               WHERE c.call_date BETWEEN '2026-11-20' AND '2026-11-20' $1) TO '/dev/null' (FORMAT binary)" \
    | grep '^Time' | sed 's/^/  /'
}
echo "== PostgreSQL alone (the query to /dev/null on the server): ordered, then unordered"
floor "ORDER BY c.call_date, c.setup_time, c.cdr_key"
floor ""

report() { # format, JVM options
  TOLLGATE_JAVA_OPTS="$2" ./tollgate -Dspring.datasource.url="$url" report cdrs --from 2026-11-20 --to 2026-11-20 \
    --out $work/cdrs.$1 2>&1 | grep '^wrote' | sed 's/^/  /'
}
echo "== CSV (-Xmx512m)"
report csv "-Xmx512m"
lines=$(($(wc -l < $work/cdrs.csv) - 2))
echo "  data rows in the file: $lines; size $(du -h $work/cdrs.csv | cut -f1)"
[ "$lines" -eq "$n" ] || { echo "FAIL: expected $n rows"; exit 1; }
echo "== XLSX (-Xmx512m)"
report xlsx "-Xmx512m"
echo "  size $(du -h $work/cdrs.xlsx | cut -f1)"
rows=$(unzip -p $work/cdrs.xlsx xl/worksheets/sheet1.xml | grep -o '<row ' | wc -l)
[ "$rows" -eq $((n + 2)) ] || { echo "FAIL: expected $((n + 2)) rows in the sheet, got $rows"; exit 1; }
echo "  rows in the sheet: $rows (header, data, total)"
