#!/usr/bin/env bash
# SIP proxy benchmark: calls per second through the proxy with RADIUS accounting to the AAA server
# in the same instance, committed in the embedded PostgreSQL. SIPp (apt-get install sip-tester) is
# the caller (tests/src/test/resources/sipp/uac.xml) and the callee, a PSTN gateway
# (uas.xml); each call is INVITE/200/ACK/BYE with zero hold time.
#
# Usage: tests/bench/sip-bench.sh [--prepaid|--rtpengine] [seconds per rate] [rate…]   (default: 25 s at 800 1000 1200)
# After 45 s (SIP_BENCH_WARMUP) of warm-up at 400 calls/s (the JIT compiles for about that long on two cores), each
# rate runs for the given time; a rate passes with zero failed calls and, for every call, its Start
# and Stop in acc_event.
#
# --prepaid: every call is a prepaid call (tollgate.proxy.prepaid.trusted-callers): the proxy sends
# each INVITE's authorization to the AAA server (Access-Request, the prepaid engine reserves a grant)
# before forwarding it, the callers hold each call 1 s (SIP_BENCH_HOLD_MS) and the Stop debits it. The
# caller's account (sipp@127.0.0.1, 0.60 EUR/min by the second) is made with SQL. A rate passes when,
# besides, every call was debited exactly once (0.01 EUR), no call that ended (Stop) kept a
# reservation open and the balance is the opening one less the debits.
#
# --rtpengine: a real rtpengine (apt-get install rtpengine-daemon; userspace, --table=-1) is the
# proxy's media relay: every call's SDP is offered and answered through it over the ng protocol and
# its relay call deleted at the BYE (signalling and ng control; no RTP is sent). A rate passes when,
# besides, the relay took every offer, answer and delete (tollgate_proxy_media_relay, none failed).
set -euo pipefail
cd "$(dirname "$0")/../.."
prepaid=0
relay=0
if [ "${1:-}" = --prepaid ]; then prepaid=1; shift; fi
if [ "${1:-}" = --rtpengine ]; then relay=1; shift; fi
secs=${1:-25}
shift || true
rates=("${@:-800 1000 1200}")
rates=(${rates[*]})
hold=${SIP_BENCH_HOLD_MS:-$([ $prepaid = 1 ] && echo 1000 || echo 0)}
prepaid_props=()
[ $prepaid = 1 ] && prepaid_props=(-Dtollgate.proxy.prepaid.trusted-callers=true)
[ $relay = 1 ] && prepaid_props=(-Dtollgate.proxy.media.relays=127.0.0.1:22232 -Dtollgate.api.metrics-allowed=127.0.0.1/32)
scen=tests/src/test/resources/sipp
work=$(mktemp -d /tmp/tollgate-sipbench.XXXXXX)
pgport=25442
props=(-Dtollgate.roles=aaa,proxy,api -Dtollgate.embedded-db.data-dir=$work/pg -Dtollgate.embedded-db.port=$pgport
       -Dtollgate.accounting.journal-dir=$work/journal -Dtollgate.radius.auth-port=21822
       -Dtollgate.radius.acct-port=21823 -Dserver.port=28090 -Dtollgate.proxy.port=25062
       -Dtollgate.proxy.radius.spool-dir=$work/spool
       -Dtollgate.proxy.trusted=127.0.0.1 "-Dtollgate.proxy.pstn-routes[0].pattern=00[1-9][0-9]+"
       "-Dtollgate.proxy.pstn-routes[0].gateways[0]=127.0.0.1:25072" "${prepaid_props[@]}" ${SIP_BENCH_PROPS:-})

if [ $relay = 1 ]; then
  rtpengine --config-file=none --table=-1 --interface=127.0.0.1 --listen-ng=127.0.0.1:22232 --listen-cli=127.0.0.1:22233 \
    --port-min=30000 --port-max=39999 --timeout=60 --delete-delay=0 --foreground --log-stderr \
    --log-level=4 --pidfile=$work/rtpengine.pid > $work/rtpengine.log 2>&1 &
  rtp=$!
fi
TOLLGATE_PROXY_RADIUS_SECRET=bench-secret TOLLGATE_JAVA_OPTS="${TOLLGATE_JAVA_OPTS:--Xms2g -Xmx2g}" \
  ./tollgate "${props[@]}" run > $work/server.log 2>&1 &
server=$!
sipp -sf $scen/uas.xml -i 127.0.0.1 -p 25072 -nostdin -buff_size 4194304 > $work/uas.log 2>&1 &
uas=$!
trap "kill $uas 2>/dev/null; kill $server 2>/dev/null; [ $relay = 1 ] && kill \$rtp 2>/dev/null; wait $server 2>/dev/null || true" EXIT
for _ in $(seq 90); do curl -sf localhost:28090/actuator/health >/dev/null && break; sleep 1; done
. tests/bench/embedded-db.sh
use_pg_password

sql() { psql -h 127.0.0.1 -p $pgport -U postgres -d postgres -At -c "$1"; }
opening=100000000
if [ $prepaid = 1 ]; then
  sql "
    INSERT INTO rate_plan (name, currency, decimals) VALUES ('bench', 'EUR', 4);
    INSERT INTO rate (plan_id, prefix, destination, price_per_minute, first_increment, next_increment)
    SELECT id, '49', 'Germany', 0.60, 1, 1 FROM rate_plan WHERE name = 'bench';
    WITH a AS (INSERT INTO account (name, plan_id, time_zone, kind)
               SELECT 'sipp@127.0.0.1', id, 'UTC', 'PREPAID' FROM rate_plan WHERE name = 'bench' RETURNING id)
    INSERT INTO prepaid_account (account_id, currency, balance, credit_limit) SELECT id, 'EUR', $opening, 0 FROM a;
    INSERT INTO prepaid_ledger (account_id, kind, amount, currency, balance_after, idempotency_key, reference)
    SELECT account_id, 'TOPUP', balance, 'EUR', balance, 'topup/bench', 'bench' FROM prepaid_account;" > /dev/null
  sleep 2 # the AAA server hears of the account by NOTIFY
fi
relayed() { # "offers answers deletes failures" the proxy counted so far
  curl -sf localhost:28090/actuator/prometheus | awk '/^tollgate_proxy_media_relay_total/ {
      if ($0 ~ /result="failed"/) f += $2; else if ($0 ~ /step="offer"/) o += $2;
      else if ($0 ~ /step="answer"/) a += $2; else if ($0 ~ /step="delete"/) d += $2 }
    END { printf "%d %d %d %d\n", o, a, d, f }'
}
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; } # jiffies (1/100 s) busy, all cores
calls() { # rate count → "ok failed"
  sipp 127.0.0.1:25062 -sf $scen/uac.xml -s 0049301234567 -i 127.0.0.1 -p 25082 -m "$2" -r "$1" -d "$hold" \
    -nostdin -buff_size 4194304 -timeout 120s > $work/uac.log 2>&1 || true
  echo "$(grep 'Successful call' $work/uac.log | tail -1 | awk -F'|' '{gsub(/ /,"",$3); print $3}')" \
       "$(grep 'Failed call' $work/uac.log | tail -1 | awk -F'|' '{gsub(/ /,"",$3); print $3}')"
}

warmup=${SIP_BENCH_WARMUP:-45}
echo "== warm-up: $warmup s at 400 calls/s"
calls 400 $((400 * warmup)) > /dev/null
sleep 5
for rate in "${rates[@]}"; do
  sql "TRUNCATE acc_event" > /dev/null
  before=$(sql "SELECT coalesce(max(id), 0) FROM prepaid_ledger")
  [ $relay = 1 ] && read -r o0 a0 d0 f0 < <(relayed)
  n=$((rate * secs))
  busy0=$(busy); t0=$(date +%s%N)
  read -r ok failed < <(calls "$rate" "$n")
  # the machine's CPU use while the rate ran (every process: Tollgate, PostgreSQL, both SIPps)
  busy1=$(busy)
  cpu=$(( (busy1 - busy0) * 1000000000 / ($(date +%s%N) - t0) / $(nproc) ))
  # accounting is asynchronous: wait for it to land (at most 30 s)
  for _ in $(seq 30); do
    [ "$(sql "SELECT count(*) FROM acc_event")" -ge $((2 * n)) ] && break
    sleep 1
  done
  starts=$(sql "SELECT count(DISTINCT acct_session_id) FROM acc_event WHERE status = 'START'")
  # this rate's calls only: a Stop of the previous rate's landing late is not one of them
  stops=$(sql "SELECT count(DISTINCT acct_session_id) FROM acc_event WHERE status = 'STOP' AND sip_response_code = 200
                  AND acct_session_id IN (SELECT acct_session_id FROM acc_event WHERE status = 'START')")
  verdict=$([ "$failed" = 0 ] && [ "$starts" = "$n" ] && [ "$stops" = "$n" ] && echo PASS || echo FAIL)
  extra=
  if [ $prepaid = 1 ]; then
    # the debits follow the Stops: wait for them (at most 30 s)
    for _ in $(seq 30); do
      [ "$(sql "SELECT count(*) FROM prepaid_ledger WHERE id > $before AND kind = 'CALL'")" -ge "$n" ] && break
      sleep 1
    done
    read -r debited once amount open ok_balance < <(sql "
      SELECT (SELECT count(*) FROM prepaid_ledger WHERE id > $before AND kind = 'CALL'),
             (SELECT count(DISTINCT reference) FROM prepaid_ledger WHERE id > $before AND kind = 'CALL'),
             (SELECT coalesce(-sum(amount), 0) FROM prepaid_ledger WHERE id > $before AND kind = 'CALL'),
             (SELECT count(*) FROM prepaid_reservation WHERE state = 'OPEN'
                 AND call_id IN (SELECT acct_session_id FROM acc_event WHERE status = 'STOP')),
             (SELECT p.balance = (SELECT sum(amount) FROM prepaid_ledger l WHERE l.account_id = p.account_id)
                FROM prepaid_account p)" | tr '|' ' ')
    [ "$debited" = "$n" ] && [ "$once" = "$n" ] && [ "$open" = 0 ] && [ "$ok_balance" = t ] || verdict=FAIL
    extra="; prepaid: $debited debits ($once calls, $amount EUR), $open of their reservations open, balance = ledger: $ok_balance"
  fi
  if [ $relay = 1 ]; then
    sleep 2 # the deletes are not waited for
    read -r o1 a1 d1 f1 < <(relayed)
    offers=$((o1 - o0)); answers=$((a1 - a0)); deletes=$((d1 - d0)); rfailed=$((f1 - f0))
    [ "$offers" = "$n" ] && [ "$answers" -ge "$n" ] && [ "$deletes" -ge "$n" ] && [ "$rfailed" = 0 ] || verdict=FAIL
    extra="; rtpengine: $offers offers, $answers answers, $deletes deletes, $rfailed failed"
  fi
  echo "rate $rate/s for ${secs}s: $n calls, $ok ok, $failed failed (CPU $cpu %); Start committed for $starts, Stop (200) for $stops$extra: $verdict"
  sleep 5
done
echo "server log: $work/server.log"
