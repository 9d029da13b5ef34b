#!/bin/sh
# Java client peer for bench/e2e (Apache Kafka's own perf tools, kafka-tools
# from Maven Central, resolved into the cluster cache by tests/cluster).
#   produce / latency: org.apache.kafka.tools.ProducerPerformance
#   consume:           org.apache.kafka.tools.ConsumerPerformance
#   e2e:               JavaE2e (bench/peers/JavaE2e.java, compiled by setup.sh)
#   txn:               JavaTxn (bench/peers/JavaTxn.java, compiled by setup.sh)
# Settings: linger.ms=5, batch.size=1 MiB, acks and compression.type from the
# scenario, enable.idempotence=false, -Xmx512M (the perf scripts' heap);
# consumer defaults (fetch.max.bytes 50 MiB, max.partition.fetch.bytes 1 MiB).
# Input: the spec as BENCH_* environment variables (set by the harness).
# Output: one JSON result line.
set -eu
CACHE="${DENOKAFKA_CACHE:-$HOME/.cache/denokafka}"
KAFKA_LIB="${BENCH_KAFKA_LIB:-$CACHE/kafka-3.9.1/lib}"
CLASSES="${BENCH_JAVA_CLASSES:-$CACHE/bench/java-classes}"
TAG="denokafka-bench/1"
JAVA="java -Xms64M -Xmx512M -XX:+UseG1GC -Dlog4j.configuration=file:/dev/null"

if [ ! -d "$KAFKA_LIB" ]; then
  printf '{"result":"%s","unavailable":"no Kafka classpath at %s (run deno task cluster:up once)"}\n' "$TAG" "$KAFKA_LIB"
  exit 3
fi
VERSION="Java client $(ls "$KAFKA_LIB" | sed -n 's/^kafka-clients-\(.*\)\.jar$/\1/p') on $(java -version 2>&1 | head -1 | sed 's/"//g')"

if [ "$BENCH_MODE" = probe ]; then
  printf '{"result":"%s","available":true,"version":"%s"}\n' "$TAG" "$VERSION"
  exit 0
fi

case "$BENCH_MODE" in
produce | latency)
  if [ "$BENCH_MODE" = latency ]; then RATE="$BENCH_RATE"; else RATE=-1; fi
  $JAVA -cp "$KAFKA_LIB/*" org.apache.kafka.tools.ProducerPerformance \
    --topic "$BENCH_TOPIC" --num-records "$BENCH_RECORDS" --throughput "$RATE" \
    --payload-file "$BENCH_PAYLOAD_FILE" \
    --producer-props bootstrap.servers="$BENCH_BOOTSTRAP" acks="$BENCH_ACKS" \
    linger.ms="$BENCH_LINGER_MS" batch.size="$BENCH_BATCH_BYTES" \
    compression.type="$BENCH_COMPRESSION" enable.idempotence=false \
    client.id=bench-java |
    awk -v tag="$TAG" -v version="$VERSION" -v size="$BENCH_SIZE" -v mode="$BENCH_MODE" '
      / records sent, .* records\/sec / { line = $0 }
      END {
        if (line == "") { printf "{\"result\":\"%s\",\"error\":\"no summary line from ProducerPerformance\"}\n", tag; exit 1 }
        # "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency, p50 ms 50th, p95 ms 95th, p99 ms 99th, p999 ms 99.9th."
        n = split(line, f, /[ ,()]+/)
        recs = f[1]; rate = f[4]; p50 = f[16]; p99 = f[22]; max = f[12]
        printf "{\"result\":\"%s\",\"version\":\"%s\",\"records\":%d,\"bytes\":%d,\"elapsedMs\":%.3f", tag, version, recs, recs * size, recs / rate * 1000
        if (mode == "latency") printf ",\"latencyMs\":{\"p50\":%s,\"p99\":%s,\"max\":%s,\"count\":%d}", p50, p99, max, recs
        printf "}\n"
      }'
  ;;
consume)
  CONF="$(mktemp)"
  trap 'rm -f "$CONF"' EXIT
  printf 'client.id=bench-java\nenable.auto.commit=false\n' >"$CONF"
  $JAVA -cp "$KAFKA_LIB/*" org.apache.kafka.tools.ConsumerPerformance \
    --bootstrap-server "$BENCH_BOOTSTRAP" --topic "$BENCH_TOPIC" \
    --messages "$BENCH_RECORDS" --group "$BENCH_GROUP" --timeout 60000 \
    --consumer.config "$CONF" |
    awk -v tag="$TAG" -v version="$VERSION" -F', *' '
      /^start.time/ { header = 1; next }
      header && NF >= 10 { line = $0 }
      END {
        if (line == "") { printf "{\"result\":\"%s\",\"error\":\"no result line from ConsumerPerformance\"}\n", tag; exit 1 }
        # start, end, MB, MB/s, nMsg, nMsg/s, rebalance.time.ms, fetch.time.ms, ...
        split(line, f, /, */)
        printf "{\"result\":\"%s\",\"version\":\"%s\",\"records\":%d,\"bytes\":%d,\"elapsedMs\":%d}\n", tag, version, f[5], f[3] * 1048576, f[7] + f[8]
      }'
  ;;
e2e)
  exec $JAVA -cp "$CLASSES:$KAFKA_LIB/*" JavaE2e "$1"
  ;;
txn)
  exec $JAVA -cp "$CLASSES:$KAFKA_LIB/*" JavaTxn "$1"
  ;;
*)
  printf '{"result":"%s","unavailable":"mode %s not supported"}\n' "$TAG" "$BENCH_MODE"
  exit 3
  ;;
esac
