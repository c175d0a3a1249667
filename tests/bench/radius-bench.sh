#!/usr/bin/env bash
# RADIUS benchmark: starts Tollgate on a fresh embedded PostgreSQL, then measures accounting
# (durably committed before each answer) and PAP authentication with the load generator in
# tests/. Usage: tests/bench/radius-bench.sh [seconds]   (default 20 s per run, after 40 s / 20 s of warm-up:
# the JIT compiles for about that long under load on two cores)
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-20}
work=$(mktemp -d /tmp/tollgate-bench.XXXXXX)
pgport=25432
props=(-Dtollgate.embedded-db.data-dir=$work/pg -Dtollgate.embedded-db.port=$pgport
       -Dtollgate.accounting.journal-dir=$work/journal -Dtollgate.radius.auth-port=21812
       -Dtollgate.radius.acct-port=21813 -Dserver.port=28080)

echo testing123 | ./tollgate "${props[@]}" nas add --name bench --address 127.0.0.1 --secret >/dev/null
TOLLGATE_USER_PASSWORD=bench-password ./tollgate "${props[@]}" user add --name bench >/dev/null
. tests/bench/embedded-db.sh
use_pg_password   # for the load generator's --verify-jdbc
mvn -q -B -o -pl tests dependency:build-classpath -Dmdep.outputFile=$work/cp.txt >/dev/null 2>&1 \
  || mvn -q -B -pl tests dependency:build-classpath -Dmdep.outputFile=$work/cp.txt >/dev/null
cp="tests/target/classes:$(cat $work/cp.txt)"

TOLLGATE_JAVA_OPTS="${TOLLGATE_JAVA_OPTS:--Xms1g -Xmx1g}" ./tollgate "${props[@]}" run > $work/server.log 2>&1 &
server=$!
trap "kill $server 2>/dev/null; wait $server 2>/dev/null || true" EXIT
for _ in $(seq 60); do curl -sf localhost:28080/actuator/health >/dev/null && break; sleep 1; done

echo "== accounting, as fast as the window allows (${secs}s)"
java -cp "$cp" org.tollgate.tests.bench.RadiusLoad --port 21813 --mode acct --seconds "$secs" --warmup 40 \
  --verify-jdbc "jdbc:postgresql://127.0.0.1:$pgport/postgres?user=postgres" ${ACCT_ARGS:-}
echo "== PAP authentication, as fast as the window allows (${secs}s)"
java -cp "$cp" org.tollgate.tests.bench.RadiusLoad --port 21812 --mode pap --seconds "$secs" --warmup 20 ${PAP_ARGS:-}
echo "server log: $work/server.log"
