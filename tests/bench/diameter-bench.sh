#!/usr/bin/env bash
# Diameter benchmark: a real client, freeDiameterd with the tests' tg_client extension
# (tests/src/test/c/tg_client.c, built here with gcc against libfreediameter-dev), against a
# Tollgate with the diameter role on its embedded PostgreSQL (fsync and synchronous_commit on).
#   cc:  calls of CCR-Initial (the prepaid engine reserves a grant) then CCR-Terminate (it debits
#        60 s, 0.60 EUR), spread over 1,000 prepaid accounts of 1,000,000.00 EUR, 0.60 EUR/min by
#        the second; WINDOW calls in flight. Passes when every call was granted and debited once and
#        every balance is the sum of its ledger with nothing left held.
#   acr: calls of ACR START then ACR STOP; passes when every record was answered 2001 and is in acc_event.
#
# Usage: tests/bench/diameter-bench.sh [calls] [window]   (default 100000 calls, 2000 in flight)
# After a warm-up of 30,000 calls of each kind (the JIT), one measured run of each.
set -euo pipefail
cd "$(dirname "$0")/../.."
calls=${1:-100000}
window=${2:-2000}
work=$(mktemp -d /tmp/tollgate-diambench.XXXXXX)
pgport=25443
dport=23868
gcc -shared -fPIC -O2 -o $work/tg_client.fdx tests/src/test/c/tg_client.c -lfdcore -lfdproto -lpthread
props=(-Dtollgate.roles=aaa,diameter,api -Dtollgate.embedded-db.data-dir=$work/pg -Dtollgate.embedded-db.port=$pgport
       -Dtollgate.accounting.journal-dir=$work/journal -Dtollgate.radius.auth-port=21832
       -Dtollgate.radius.acct-port=21833 -Dserver.port=28091 -Dtollgate.diameter.identity=tollgate.bench
       -Dtollgate.diameter.realm=tollgate.bench -Dtollgate.diameter.bind-address=127.0.0.1
       -Dtollgate.diameter.port=$dport ${DIAMETER_BENCH_PROPS:-})
TOLLGATE_JAVA_OPTS="${TOLLGATE_JAVA_OPTS:--Xms2g -Xmx2g}" ./tollgate "${props[@]}" run > $work/server.log 2>&1 &
server=$!
fd=
trap '[ -n "$fd" ] && kill $fd 2>/dev/null; kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -sf localhost:28091/actuator/health >/dev/null && break; sleep 1; done
. tests/bench/embedded-db.sh
use_pg_password

sql "
  INSERT INTO rate_plan (name, currency, decimals) VALUES ('bench', 'EUR', 4);
  INSERT INTO rate (plan_id, prefix, destination, price_per_minute, first_increment, next_increment)
  SELECT id, '49', 'Germany', 0.60, 1, 1 FROM rate_plan WHERE name = 'bench';
  WITH a AS (INSERT INTO account (name, plan_id, time_zone, kind)
             SELECT 'bench' || n, p.id, 'UTC', 'PREPAID' FROM rate_plan p, generate_series(0, 999) n
             WHERE p.name = 'bench' RETURNING id)
  INSERT INTO prepaid_account (account_id, currency, balance, credit_limit) SELECT id, 'EUR', 1000000, 0 FROM a;
  INSERT INTO prepaid_ledger (account_id, kind, amount, currency, balance_after, idempotency_key, reference)
  SELECT account_id, 'TOPUP', balance, 'EUR', balance, 'topup/bench/' || account_id, 'bench' FROM prepaid_account;
  INSERT INTO diameter_peer (name, origin_host, realm, address) VALUES ('bench', 'client.bench', 'bench', '127.0.0.1');" \
  > /dev/null
sleep 3 # the servers hear of the accounts and the peer by NOTIFY

touch $work/requests $work/answers
cat > $work/fd.conf <<CONF
Identity = "client.bench";
Realm = "bench";
Port = 23870;
SecPort = 0;
No_SCTP;
No_IPv6;
ListenOn = "127.0.0.1";
LoadExtension = "/usr/lib/freeDiameter/dict_nasreq.fdx";
LoadExtension = "/usr/lib/freeDiameter/dict_dcca.fdx";
LoadExtension = "$work/tg_client.fdx" : "$work/requests $work/answers";
ConnectPeer = "tollgate.bench" { ConnectTo = "127.0.0.1"; No_TLS; Port = $dport; };
CONF
freeDiameterd -c $work/fd.conf > $work/fd.log 2>&1 &
fd=$!
for _ in $(seq 30); do grep -q "STATE_OPEN" $work/fd.log && break; sleep 1; done
grep -q "STATE_OPEN" $work/fd.log || { echo "freeDiameter did not connect:"; tail -20 $work/fd.log; exit 1; }

busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
bench() { # tag kind calls → the summary line; CPU % of the machine in $cpu
  echo "bench tag=$1 kind=$2 calls=$3 window=$window realm=tollgate.bench user=bench users=1000 dest=4930123456 used=60" \
    >> $work/requests
  local b0 t0
  b0=$(busy); t0=$(date +%s%N)
  for _ in $(seq 3600); do grep -q "^tag=$1 bench" $work/answers && break; sleep 0.2; done
  cpu=$(( ($(busy) - b0) * 1000000000 / ($(date +%s%N) - t0) / $(nproc) ))
  grep "^tag=$1 bench" $work/answers
}
rate() { # summary line, requests per call → calls/s and requests/s
  local ms ok
  ms=$(sed 's/.* ms=\([0-9]*\).*/\1/' <<< "$1"); ok=$(sed 's/.* ok=\([0-9]*\).*/\1/' <<< "$1")
  echo "$(( ok * 1000 / ms )) calls/s, $(( 2 * ok * 1000 / ms )) requests/s"
}

echo "== warm-up: 30000 calls of each"
bench wcc cc 30000 > /dev/null
bench wacr acr 30000 > /dev/null
sleep 5
before=$(sql "SELECT coalesce(max(id), 0) FROM prepaid_ledger")

line=$(bench cc cc $calls)
read -r debits once wrong open unequal < <(sql "
  SELECT (SELECT count(*) FROM prepaid_ledger WHERE id > $before AND kind = 'CALL'),
         (SELECT count(DISTINCT reference) FROM prepaid_ledger WHERE id > $before AND kind = 'CALL'),
         (SELECT count(*) FROM prepaid_ledger WHERE id > $before AND kind = 'CALL' AND amount <> -0.60),
         (SELECT count(*) FROM prepaid_reservation WHERE state = 'OPEN'),
         (SELECT count(*) FROM prepaid_account p WHERE reserved <> 0 OR balance <>
             (SELECT sum(amount) FROM prepaid_ledger l WHERE l.account_id = p.account_id))" | tr '|' ' ')
verdict=$(grep -q " ok=$calls failed=0 " <<< "$line" && [ "$debits" = "$calls" ] && [ "$once" = "$calls" ] \
  && [ "$wrong" = 0 ] && [ "$open" = 0 ] && [ "$unequal" = 0 ] && echo PASS || echo FAIL)
echo "CCR-I + CCR-T: $line → $(rate "$line") (CPU $cpu %); $debits debits of 0.60 ($once calls, $wrong other), $open open, $unequal accounts off their ledger: $verdict"

sql "TRUNCATE acc_event" > /dev/null
line=$(bench acr acr $calls)
for _ in $(seq 30); do [ "$(sql "SELECT count(*) FROM acc_event")" -ge $((2 * calls)) ] && break; sleep 1; done
stored=$(sql "SELECT count(*) FROM acc_event")
verdict=$(grep -q " ok=$calls failed=0 " <<< "$line" && [ "$stored" = $((2 * calls)) ] && echo PASS || echo FAIL)
echo "ACR START + STOP: $line → $(rate "$line") (CPU $cpu %); $stored records in acc_event: $verdict"
echo "logs: $work"
