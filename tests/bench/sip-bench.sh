#!/usr/bin/env bash
# SIP proxy benchmark: calls per second through the proxy with RADIUS accounting to the AAA server
# in the same instance, committed in the embedded PostgreSQL. SIPp (apt-get install sip-tester) is
# the caller (tests/src/test/resources/sipp/uac.xml) and the callee, a PSTN gateway
# (uas.xml); each call is INVITE/200/ACK/BYE with zero hold time.
#
# Usage: tests/bench/sip-bench.sh [seconds per rate] [rate…]   (default: 25 s at 800 1000 1200)
# After 45 s of warm-up at 400 calls/s (the JIT compiles for about that long on two cores), each
# rate runs for the given time; a rate passes with zero failed calls and, for every call, its Start
# and Stop in acc_event.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-25}
shift || true
rates=("${@:-800 1000 1200}")
rates=(${rates[*]})
scen=tests/src/test/resources/sipp
work=$(mktemp -d /tmp/tollgate-sipbench.XXXXXX)
pgport=25442
props=(-Dtollgate.roles=aaa,proxy,api -Dtollgate.embedded-db.data-dir=$work/pg -Dtollgate.embedded-db.port=$pgport
       -Dtollgate.accounting.journal-dir=$work/journal -Dtollgate.radius.auth-port=21822
       -Dtollgate.radius.acct-port=21823 -Dserver.port=28090 -Dtollgate.proxy.port=25062
       -Dtollgate.proxy.radius.spool-dir=$work/spool
       -Dtollgate.proxy.trusted=127.0.0.1 "-Dtollgate.proxy.pstn-routes[0].pattern=00[1-9][0-9]+"
       "-Dtollgate.proxy.pstn-routes[0].gateways[0]=127.0.0.1:25072" ${SIP_BENCH_PROPS:-})

TOLLGATE_PROXY_RADIUS_SECRET=bench-secret TOLLGATE_JAVA_OPTS="${TOLLGATE_JAVA_OPTS:--Xms2g -Xmx2g}" \
  ./tollgate "${props[@]}" run > $work/server.log 2>&1 &
server=$!
sipp -sf $scen/uas.xml -i 127.0.0.1 -p 25072 -nostdin -buff_size 4194304 > $work/uas.log 2>&1 &
uas=$!
trap "kill $uas 2>/dev/null; kill $server 2>/dev/null; wait $server 2>/dev/null || true" EXIT
for _ in $(seq 90); do curl -sf localhost:28090/actuator/health >/dev/null && break; sleep 1; done
. tests/bench/embedded-db.sh
use_pg_password

sql() { psql -h 127.0.0.1 -p $pgport -U postgres -d postgres -At -c "$1"; }
calls() { # rate count → "ok failed"
  sipp 127.0.0.1:25062 -sf $scen/uac.xml -s 0049301234567 -i 127.0.0.1 -p 25082 -m "$2" -r "$1" \
    -nostdin -buff_size 4194304 -timeout 120s > $work/uac.log 2>&1 || true
  echo "$(grep 'Successful call' $work/uac.log | tail -1 | awk -F'|' '{gsub(/ /,"",$3); print $3}')" \
       "$(grep 'Failed call' $work/uac.log | tail -1 | awk -F'|' '{gsub(/ /,"",$3); print $3}')"
}

echo "== warm-up: 45 s at 400 calls/s"
calls 400 18000 > /dev/null
sleep 5
for rate in "${rates[@]}"; do
  sql "TRUNCATE acc_event" > /dev/null
  n=$((rate * secs))
  read -r ok failed < <(calls "$rate" "$n")
  # accounting is asynchronous: wait for it to land (at most 30 s)
  for _ in $(seq 30); do
    [ "$(sql "SELECT count(*) FROM acc_event")" -ge $((2 * n)) ] && break
    sleep 1
  done
  starts=$(sql "SELECT count(DISTINCT acct_session_id) FROM acc_event WHERE status = 'START'")
  stops=$(sql "SELECT count(DISTINCT acct_session_id) FROM acc_event WHERE status = 'STOP' AND sip_response_code = 200")
  verdict=$([ "$failed" = 0 ] && [ "$starts" = "$n" ] && [ "$stops" = "$n" ] && echo PASS || echo FAIL)
  echo "rate $rate/s for ${secs}s: $n calls, $ok ok, $failed failed; Start committed for $starts, Stop (200) for $stops: $verdict"
  sleep 5
done
echo "server log: $work/server.log"
