#!/usr/bin/env bash
# Rating benchmark, in memory, one thread: tests/bench/rating-bench.sh [seconds] [prefixes] [--longest [--ceiling S]]
# (default 20 s after 10 s of warm-up, 100,000 prefixes). See RatingLoad for the plan and usages;
# --longest measures the prepaid question (the longest call an amount buys, up to --ceiling, default 300 s) instead of pricing.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-20}
prefixes=${2:-100000}
work=$(mktemp -d /tmp/tollgate-ratingbench.XXXXXX)
trap 'rm -rf "$work"' EXIT
mvn -q -B -o -pl tests -am install -DskipTests >/dev/null 2>&1 || mvn -q -B -pl tests -am install -DskipTests >/dev/null
mvn -q -B -o -pl tests dependency:build-classpath -Dmdep.outputFile=$work/cp.txt >/dev/null
cp="tests/target/classes:$(cat $work/cp.txt)"
java ${RATING_JAVA_OPTS:--Xms2g -Xmx2g} -cp "$cp" org.tollgate.tests.bench.RatingLoad --seconds "$secs" --warmup 10 \
  --prefixes "$prefixes" "${@:3}"
