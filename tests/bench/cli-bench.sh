#!/usr/bin/env bash
# CLI latency benchmark: tests/bench/cli-bench.sh [runs]   (default 20)
# Starts a server (roles aaa,api) on a fresh embedded PostgreSQL in a temp dir, provisions a NAS
# client and a prepaid account through the CLI, then times, wall clock per process as an operator
# sees it, `./tollgate nas list` and `./tollgate account balance acme`:
#   - sent to the running server (the default when one runs: POST /api/cli),   [runs] times each;
#   - with --local while the server runs (a process of its own on the same database), 3 times each;
#   - with the server stopped (the command starts Spring and the embedded PostgreSQL), 3 times each.
# Target: both commands under 0.5 s with the server running (median and slowest reported).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-20}
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [runs]" >&2; exit 2; }
work=$(mktemp -d /tmp/tollgate-clibench.XXXXXX)
pgport=25463
http=18093
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
db=(-Dtollgate.embedded-db.data-dir=$work/pg -Dtollgate.embedded-db.port=$pgport)
export TOLLGATE_API_CLI_FILE=$work/api-cli

./tollgate --version > /dev/null # builds the jar when it is stale, outside the timings
echo "== server: roles aaa,api, admin port $http, embedded PostgreSQL on $pgport"
./tollgate "${db[@]}" -Dtollgate.roles=aaa,api -Dserver.port=$http -Dtollgate.radius.auth-port=0 \
  -Dtollgate.radius.acct-port=0 -Dtollgate.accounting.journal-dir=$work/journal \
  -Dtollgate.api.cli-file=$work/api-cli run > $work/server.log 2>&1 &
server=$!
for _ in $(seq 1 120); do [ -f $work/api-cli ] && break; sleep 0.5; done
[ -f $work/api-cli ] || { echo "FAIL: the server did not start"; tail -20 $work/server.log; exit 1; }

printf 'nas-secret\n' > $work/secret
printf 'prefix,destination,band,connect_fee,price_per_minute,first_increment,next_increment,minimum_seconds,free_seconds,valid_from,valid_to\n49,Germany,,0,0.60,1,1,0,0,,\n' > $work/rates.csv
./tollgate nas add --name gw --address 10.0.0.0/24 --secret-file $work/secret > /dev/null
./tollgate plan add --name retail --currency EUR > /dev/null
./tollgate rates import $work/rates.csv --plan retail > /dev/null
./tollgate account add --name acme --plan retail --prepaid --currency EUR > /dev/null
./tollgate account topup acme 25.00 --reference bench-1 > /dev/null

# seconds per run, wall clock, one line each
timed() { # count, command...
  local n=$1; shift
  for _ in $(seq 1 "$n"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" > /dev/null 2>&1 || { echo "FAIL: $*" >&2; exit 1; }
    t1=$(date +%s%N)
    echo "$(( (t1 - t0) / 1000000 ))"
  done
}
summary() { # label, milliseconds on stdin
  sort -n | awk -v label="$1" '{ a[NR] = $1 } END {
    printf "  %-44s n=%-3d min %5.2f s  median %5.2f s  max %5.2f s\n", label, NR, a[1] / 1000,
      a[int((NR + 1) / 2)] / 1000, a[NR] / 1000 }'
}

echo "== sent to the running server"
remote_nas=$(timed "$runs" ./tollgate nas list)
remote_bal=$(timed "$runs" ./tollgate account balance acme)
echo "$remote_nas" | summary "nas list"
echo "$remote_bal" | summary "account balance acme"
echo "== --local, the server running (a process of its own)"
timed 3 ./tollgate --local "${db[@]}" nas list | summary "nas list"
timed 3 ./tollgate --local "${db[@]}" account balance acme | summary "account balance acme"

kill "$server"; wait "$server" 2>/dev/null || true; server=
[ ! -f $work/api-cli ] || { echo "FAIL: the server left its cli-file behind"; exit 1; }
echo "== no server (the command starts the embedded PostgreSQL)"
timed 3 ./tollgate "${db[@]}" nas list | summary "nas list"
timed 3 ./tollgate "${db[@]}" account balance acme | summary "account balance acme"

worst=$(printf '%s\n%s\n' "$remote_nas" "$remote_bal" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
if [ "$worst" -lt 500 ]; then
  echo "target met: median $(awk -v m=$worst 'BEGIN { printf "%.2f", m / 1000 }') s < 0.5 s with the server running"
else
  echo "target NOT met: median $worst ms"; exit 1
fi
