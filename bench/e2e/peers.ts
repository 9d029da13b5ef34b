/**
 * The clients compared by bench/e2e, each driven by a small script in
 * bench/peers/ that prints one common JSON result line. Settings are stated
 * here (and in bench/README.md) so the table can show them.
 *
 * @module
 */

import type { Mode } from "./scenarios.ts";

/** Where setup.sh installs the peers (outside the repository). */
export interface PeerPaths {
  /** Repository root. */
  root: string;
  /** `$DENOKAFKA_CACHE/bench`. */
  benchCache: string;
  /** Kafka 3.9.1 client/tool jars (resolved by tests/cluster). */
  kafkaLib: string;
}

/** A peer definition. */
export interface Peer {
  id: string;
  /** Short label for tables. */
  label: string;
  /** True for this library. */
  ours?: boolean;
  /** Settings in one line, for the table and README. */
  settings: string;
  /** Modes the peer cannot do at all, with the reason. */
  unsupported?: Partial<Record<Mode, string>>;
  /**
   * Factor applied to the record count of produce/consume scenarios for slow
   * peers, so a full run stays bounded (rates are per second, so comparable).
   */
  recordScale?: number;
  /** Command line for one run; `specJson` is the spec as JSON. */
  command(paths: PeerPaths, specJson: string): {
    cmd: string;
    args: string[];
    env?: Record<string, string>;
  };
}

const LINGER_BATCH = "linger 5 ms, batch 1 MiB";

function python(paths: PeerPaths): string {
  return `${paths.benchCache}/venv/bin/python`;
}

/** The command of a denokafka peer (`bench/peers/denokafka.ts`) with `env`. */
function denokafka(env?: Record<string, string>): Peer["command"] {
  return (p, s) => ({
    cmd: "deno",
    args: [
      "run",
      `--lock=${p.root}/bench/deno.lock`,
      "--allow-all",
      `${p.root}/bench/peers/denokafka.ts`,
      s,
    ],
    ...(env ? { env } : {}),
  });
}

/** Every peer, in table order (ours first). */
export function peers(): Peer[] {
  const nodeEnv = (p: PeerPaths) => ({
    BENCH_NODE_MODULES: `${p.benchCache}/node/node_modules`,
  });
  return [
    {
      id: "denokafka",
      label: "denokafka (Deno)",
      ours: true,
      settings:
        `${LINGER_BATCH}, maxQueuedMessages 100k; SimpleConsumer, no group`,
      command: denokafka(),
    },
    {
      id: "denokafka-workers",
      label: "denokafka, useWorkers (Deno)",
      settings:
        "as denokafka, with useWorkers: true (decoding in a Web Worker)",
      command: denokafka({ DENOKAFKA_USE_WORKERS: "1" }),
    },
    {
      id: "denokafka-sockets",
      label: 'denokafka, useWorkers "sockets" (Deno)',
      settings:
        'as denokafka, with useWorkers: "sockets" (fetch connections, reads and decoding in a Web Worker)',
      command: denokafka({ DENOKAFKA_USE_WORKERS: "sockets" }),
    },
    {
      id: "kafkajs-deno",
      label: "kafkajs 2.2.4 (Deno)",
      settings:
        "no linger: 1 MiB of records per send(), 5 sends in flight; group consumer, eachBatch",
      command: (p, s) => ({
        cmd: "deno",
        args: [
          "run",
          `--lock=${p.root}/bench/deno.lock`,
          "--allow-all",
          `${p.root}/bench/peers/kafkajs.mjs`,
          s,
        ],
        env: nodeEnv(p),
      }),
    },
    {
      id: "kafkajs-node",
      label: "kafkajs 2.2.4 (Node)",
      settings: "as above; lz4 via kafkajs-lz4 (native lz4 addon)",
      command: (p, s) => ({
        cmd: "node",
        args: [`${p.root}/bench/peers/kafkajs.mjs`, s],
        env: nodeEnv(p),
      }),
    },
    {
      id: "platformatic-deno",
      label: "@platformatic/kafka 2.12.1 (Deno)",
      settings:
        "no linger in send(): 1 MiB of records per send(), 5 in flight; group stream consumer",
      unsupported: { txn: "this peer has no transactions mode yet" },
      command: (p, s) => ({
        cmd: "deno",
        args: [
          "run",
          `--lock=${p.root}/bench/deno.lock`,
          "--allow-all",
          `${p.root}/bench/peers/platformatic.mjs`,
          s,
        ],
        env: nodeEnv(p),
      }),
    },
    {
      id: "platformatic-node",
      label: "@platformatic/kafka 2.12.1 (Node 22)",
      settings: "as above; Node 22 from npm (it needs Node >= 22.22)",
      unsupported: { txn: "this peer has no transactions mode yet" },
      command: (p, s) => ({
        cmd: `${p.benchCache}/node22/node_modules/.bin/node`,
        args: [`${p.root}/bench/peers/platformatic.mjs`, s],
        env: nodeEnv(p),
      }),
    },
    {
      id: "kcat",
      label: "librdkafka via kcat",
      settings:
        `${LINGER_BATCH}; kcat -P -l from a file, kcat -C -e (no group)`,
      unsupported: {
        latency: "kcat cannot pace records or time single records",
        e2e: "kcat cannot pace records or time single records",
        txn: "kcat has no transactions",
      },
      command: (p, s) => ({
        cmd: "sh",
        args: [`${p.root}/bench/peers/kcat.sh`, s],
      }),
    },
    {
      id: "confluent-kafka",
      label: "confluent-kafka (Python, librdkafka)",
      settings:
        `${LINGER_BATCH}; poll(0) per 1000; consume(num_messages=10000)`,
      unsupported: { txn: "this peer has no transactions mode yet" },
      command: (p, s) => ({
        cmd: python(p),
        args: [`${p.root}/bench/peers/confluent_kafka_peer.py`, s],
      }),
    },
    {
      id: "java",
      label: "Java client (ProducerPerformance / ConsumerPerformance)",
      settings:
        `${LINGER_BATCH}, -Xmx512M; ConsumerPerformance defaults; e2e: JavaE2e; txn: JavaTxn`,
      command: (p, s) => ({
        cmd: "sh",
        args: [`${p.root}/bench/peers/java.sh`, s],
        env: {
          BENCH_KAFKA_LIB: p.kafkaLib,
          BENCH_JAVA_CLASSES: `${p.benchCache}/java-classes`,
        },
      }),
    },
    {
      id: "kafka-python",
      label: "kafka-python (Python)",
      settings: `${LINGER_BATCH}; poll(max_records=10000)`,
      recordScale: 0.25,
      unsupported: { txn: "this peer has no transactions mode yet" },
      command: (p, s) => ({
        cmd: python(p),
        args: [`${p.root}/bench/peers/kafka_python_peer.py`, s],
      }),
    },
    {
      id: "pykafka",
      label: "pykafka 2.8.0 (Python, pure)",
      settings:
        "linger 5 ms, min_queued_messages = 1 MiB of records, max_queued 100k; SimpleConsumer",
      recordScale: 0.1,
      unsupported: { txn: "pykafka has no transactions" },
      command: (p, s) => ({
        cmd: python(p),
        args: [`${p.root}/bench/peers/pykafka_peer.py`, s],
      }),
    },
  ];
}
