#!/bin/sh
# librdkafka peer for bench/e2e through kcat (Debian's kcat 1.7.1 with its
# librdkafka 2.0.2).
#   produce: kcat -P -l <file with one record per line>, timed around the
#            whole kcat process (connect + metadata + produce + final flush);
#   consume: kcat -C -o beginning -c N -e, output counted by wc -l.
# Settings: linger.ms=5, batch.size=1 MiB, acks and compression.codec from
# the scenario, enable.idempotence=false; consumer defaults (no group).
# kcat cannot pace records or time single records: no latency scenarios.
# Input: the spec as BENCH_* environment variables. Output: one JSON line.
set -eu
TAG="denokafka-bench/1"
if ! command -v kcat >/dev/null 2>&1; then
  printf '{"result":"%s","unavailable":"kcat is not installed (apt-get install -y kcat)"}\n' "$TAG"
  exit 3
fi
VERSION="$(kcat -V 2>&1 | sed -n 's/^Version \([^ ]*\) .*librdkafka \([^ ]*\) .*/kcat \1 (librdkafka \2)/p')"

now_ns() { date +%s%N; }

case "$BENCH_MODE" in
probe)
  printf '{"result":"%s","available":true,"version":"%s"}\n' "$TAG" "$VERSION"
  ;;
produce)
  t0=$(now_ns)
  kcat -P -q -b "$BENCH_BOOTSTRAP" -t "$BENCH_TOPIC" -l \
    -X linger.ms="$BENCH_LINGER_MS" -X batch.size="$BENCH_BATCH_BYTES" \
    -X compression.codec="$BENCH_COMPRESSION" -X acks="$BENCH_ACKS" \
    -X enable.idempotence=false -X client.id=bench-kcat \
    "$BENCH_RECORDS_FILE"
  t1=$(now_ns)
  printf '{"result":"%s","version":"%s","records":%d,"bytes":%d,"elapsedMs":%s}\n' "$TAG" "$VERSION" \
    "$BENCH_RECORDS" "$((BENCH_RECORDS * BENCH_SIZE))" "$(((t1 - t0) / 1000)).0e-3"
  ;;
consume)
  t0=$(now_ns)
  n=$(kcat -C -q -b "$BENCH_BOOTSTRAP" -t "$BENCH_TOPIC" -o beginning -c "$BENCH_RECORDS" -e \
    -X client.id=bench-kcat -f '\n' | wc -l)
  t1=$(now_ns)
  printf '{"result":"%s","version":"%s","records":%d,"bytes":%d,"elapsedMs":%s}\n' "$TAG" "$VERSION" \
    "$n" "$((n * BENCH_SIZE))" "$(((t1 - t0) / 1000)).0e-3"
  ;;
*)
  printf '{"result":"%s","unavailable":"kcat cannot pace records or time single records (no %s mode)"}\n' "$TAG" "$BENCH_MODE"
  exit 3
  ;;
esac
