#!/bin/sh
# Installs the peer clients of bench/e2e into a cache OUTSIDE the repository
# (default ~/.cache/denokafka/bench; set DENOKAFKA_CACHE to move it).
# Idempotent; safe to re-run. Nothing here is committed.
#   - kcat (Debian package; librdkafka 2.0.2)
#   - a Python venv with confluent-kafka, kafka-python (+ lz4), pykafka
#   - Node packages: kafkajs 2.2.4 (+ kafkajs-lz4), @platformatic/kafka 2.12.1
#   - Node 22 from the npm registry (npm's `node` package) for
#     @platformatic/kafka, which needs Node >= 22.22 (the machine has Node 20)
#   - Deno's npm cache for the same packages (the Deno peers import npm:)
#   - JavaE2e compiled against the Kafka 3.9.1 jars that tests/cluster resolved
set -eu
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE="${DENOKAFKA_CACHE:-$HOME/.cache/denokafka}"
B="$CACHE/bench"
PYTHON="${BENCH_PYTHON:-python3}"
mkdir -p "$B"

echo "== kcat"
if ! command -v kcat >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq kcat
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq kcat
  fi
fi
kcat -V 2>&1 | grep "^Version"

echo "== Python venv ($B/venv)"
if [ ! -x "$B/venv/bin/python" ]; then "$PYTHON" -m venv "$B/venv"; fi
"$B/venv/bin/pip" install -q --disable-pip-version-check \
  confluent-kafka==2.16.1 kafka-python==3.0.12 lz4==4.4.5 pykafka==2.8.0
"$B/venv/bin/python" -c 'import confluent_kafka, kafka, pykafka; print("confluent-kafka", confluent_kafka.version(), "librdkafka", confluent_kafka.libversion()[0], "| kafka-python", kafka.__version__, "| pykafka", pykafka.__version__)'

echo "== Node packages ($B/node)"
mkdir -p "$B/node"
cat >"$B/node/package.json" <<'JSON'
{
  "name": "denokafka-bench-peers",
  "private": true,
  "dependencies": {
    "@platformatic/kafka": "2.12.1",
    "kafkajs": "2.2.4",
    "kafkajs-lz4": "1.2.1"
  }
}
JSON
(cd "$B/node" && npm install --no-audit --no-fund --loglevel=error)
node -e 'require(process.argv[1] + "/node_modules/kafkajs-lz4")' "$B/node" && echo "kafkajs-lz4 native addon loads under Node"

echo "== Node 22 ($B/node22), for @platformatic/kafka (engines: node >= 22.22)"
mkdir -p "$B/node22"
if [ ! -x "$B/node22/node_modules/.bin/node" ]; then
  (cd "$B/node22" && npm install --no-audit --no-fund --loglevel=error node@22)
fi
"$B/node22/node_modules/.bin/node" --version

echo "== Deno npm cache"
# bench/ has a lockfile of its own, so the peers never reach the library's
# deno.lock (nor a user's or contributor's first download).
(cd "$ROOT" && deno cache --lock=bench/deno.lock bench/peers/kafkajs.mjs bench/peers/platformatic.mjs bench/e2e/main.ts bench/*_bench.ts)

echo "== Java"
LIB="$CACHE/kafka-3.9.1/lib"
if [ ! -f "$LIB/kafka-clients-3.9.1.jar" ]; then
  echo "missing $LIB: run 'deno task cluster:up' once (it resolves the Kafka jars and starts the cluster)" >&2
  exit 1
fi
mkdir -p "$B/java-classes"
javac -nowarn -d "$B/java-classes" -cp "$LIB/*" "$ROOT/bench/peers/JavaE2e.java" "$ROOT/bench/peers/JavaTxn.java"
echo "JavaE2e and JavaTxn compiled into $B/java-classes"
echo "setup done"
