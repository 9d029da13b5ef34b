// Fetch sessions (KIP-227) on and off, side by side: a fetch engine
// consumes a 200-partition topic on the local Kafka 3.9 brokers while a
// producer trickles records into it (10 partitions every 100 ms, the same
// in both modes), for a fixed time per run. Per run: Fetch requests, bytes
// written per request, bytes read, records, and the CPU time the broker
// JVMs used meanwhile (utime + stime from /proc/<pid>/stat of the pids in
// $DENOKAFKA_CLUSTER_DIR/pids). A third mode runs the producer alone, the
// brokers' baseline (replication, the trickle, anything else on the
// cluster). Each round runs the three modes, in a rotating order; medians
// and spread are printed as a Markdown table.
//
//   DENOKAFKA_CLUSTER_DIR=/work/cluster deno run -A bench/fetch_sessions.ts \
//     [--seconds 20] [--rounds 3] [--partitions 200] [--consumers 1]
//     [--hosts 127.0.0.1:19192,127.0.0.1:19292]
//
// `--warmup-s S` (default 20) first runs both modes for S seconds in all,
// uncounted, so that recently restarted brokers have compiled their hot
// paths. `--consumers N` runs N engines side by side (each on every partition), to
// lift their share of the broker CPU above the noise; the table gives the
// total. A run during which a broker restarted (its pid changed) is dropped.
//
// The broker CPU includes whatever else runs on the cluster at the time:
// run it when the cluster is otherwise idle (e.g. under the cluster lock).
import { parseArgs } from "node:util";
import { KafkaClient } from "../mod.ts";
import { FetchEngine } from "../src/consumer/fetch_engine.ts";
import { resolveConsumerOptions } from "../src/consumer/options.ts";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "20" },
    rounds: { type: "string", default: "3" },
    partitions: { type: "string", default: "200" },
    consumers: { type: "string", default: "1" },
    "warmup-s": { type: "string", default: "20" },
    hosts: { type: "string", default: "127.0.0.1:19192,127.0.0.1:19292" },
  },
});
const SECONDS = Number(args.seconds);
const ROUNDS = Number(args.rounds);
const PARTITIONS = Number(args.partitions);
const CONSUMERS = Number(args.consumers);
const WARMUP_S = Number(args["warmup-s"]);
const clusterDir = Deno.env.get("DENOKAFKA_CLUSTER_DIR") ?? ".cache/cluster";

const TICKS_PER_S = 100; // getconf CLK_TCK on Linux

function brokerPids(): string {
  return [1, 2].map((id) =>
    Deno.readTextFileSync(`${clusterDir}/pids/broker-${id}.pid`).trim()
  ).join(",");
}

/** CPU ms (user + system) of the broker JVMs 1 and 2. */
function brokerCpuMs(): number {
  let ticks = 0;
  for (const pid of brokerPids().split(",")) {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // Fields after the ")" of the command name: state is field 3, utime 14, stime 15.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks * 1000 / TICKS_PER_S;
}

type Mode = "on" | "off" | "none";

interface Run {
  mode: Mode;
  round: number;
  requests: number;
  incremental: number;
  bytesPerRequest: number;
  requestKiBs: number;
  responseKiBs: number;
  records: number;
  brokerCpuMsPerS: number;
}

const client = await KafkaClient.connect({ hosts: args.hosts });
const name = `bench-sessions-${Date.now().toString(36)}`;
await client.createTopics([{
  name,
  numPartitions: PARTITIONS,
  replicationFactor: 1,
}]);
const topic = await client.topics.get(name);
const enc = new TextEncoder();
const value = enc.encode("x".repeat(100));

async function run(
  mode: Mode,
  round: number,
  seconds = SECONDS,
): Promise<Run> {
  const latest = await topic.latestAvailableOffsets();
  let wake: (() => void) | undefined;
  const engines = Array.from({ length: CONSUMERS }, () => {
    const engine = new FetchEngine(
      client.cluster,
      resolveConsumerOptions({ fetchSessions: mode === "on" }),
      { onData: () => wake?.(), onError: (e) => console.error(e) },
    );
    if (mode !== "none") {
      engine.assign(
        [...latest].map(([partition, position]) => ({
          topic,
          partition,
          position,
        })),
      );
    }
    engine.start();
    return engine;
  });
  const total = () => {
    const t = {
      requests: 0,
      incrementalRequests: 0,
      requestBytes: 0,
      responseBytes: 0,
    };
    for (const e of engines) {
      const s = e.stats;
      t.requests += s.requests;
      t.incrementalRequests += s.incrementalRequests;
      t.requestBytes += s.requestBytes;
      t.responseBytes += s.responseBytes;
    }
    return t;
  };
  const producer = topic.getProducer({ lingerMs: 5 });
  // Let the first (full) requests go by.
  await new Promise((r) => setTimeout(r, 1000));
  const s0 = total();
  const pids = brokerPids();
  const cpu0 = brokerCpuMs();
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  let records = 0;
  let next = 0;
  const trickle = setInterval(() => {
    for (let i = 0; i < 10; i++) {
      producer.produce(value, { partition: next++ % PARTITIONS }).catch(
        () => {},
      );
    }
  }, 100);
  while (performance.now() < end) {
    for (const engine of engines) {
      for (let m = engine.take(); m; m = engine.take()) records++;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, end - performance.now()));
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  const elapsedS = (performance.now() - t0) / 1000;
  const restarted = brokerPids() !== pids;
  const cpu1 = restarted ? Number.NaN : brokerCpuMs();
  const s1 = total();
  clearInterval(trickle);
  await producer.stop();
  await Promise.all(engines.map((e) => e.stop()));
  const requests = s1.requests - s0.requests;
  const bytes = s1.requestBytes - s0.requestBytes;
  return {
    mode,
    round,
    requests,
    incremental: s1.incrementalRequests - s0.incrementalRequests,
    bytesPerRequest: bytes / Math.max(1, requests),
    requestKiBs: bytes / 1024 / elapsedS,
    responseKiBs: (s1.responseBytes - s0.responseBytes) / 1024 / elapsedS,
    records,
    brokerCpuMsPerS: (cpu1 - cpu0) / elapsedS,
  };
}

const runs: Run[] = [];
const MODES: Mode[] = ["on", "off", "none"];
// Brokers restarted a moment ago are still compiling their hot paths: warm
// them up with both kinds of request first (not counted).
if (WARMUP_S > 0) {
  for (const mode of ["off", "on"] as const) {
    await run(mode, -1, WARMUP_S / 2);
  }
}
for (let r = 0; r < ROUNDS; r++) {
  for (let i = 0; i < MODES.length; i++) {
    const x = await run(MODES[(r + i) % MODES.length], r);
    console.error(JSON.stringify(x));
    if (Number.isNaN(x.brokerCpuMsPerS)) {
      console.error("a broker restarted during this run: dropped");
    } else runs.push(x);
  }
}
await client.deleteTopics([name]).catch(() => {});
await client.close();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
function cell(xs: number[], digits = 0): string {
  if (xs.length === 0) return "n/a";
  const m = median(xs);
  const spread = (Math.max(...xs) - Math.min(...xs)) / 2;
  return `${m.toFixed(digits)} ± ${spread.toFixed(digits)}`;
}

console.log(
  `\n${PARTITIONS} partitions, ${CONSUMERS} consumer(s), ${SECONDS} s per run, ${ROUNDS} rounds (median ± half the range)\n`,
);
console.log(
  "| fetch sessions | Fetch requests/s | bytes per request | request KiB/s | response KiB/s | records | broker CPU ms/s (2 JVMs) | over the baseline of its round |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
const baseline = (round: number) =>
  runs.find((x) => x.mode === "none" && x.round === round)?.brokerCpuMsPerS ??
    Number.NaN;
const label = {
  on: "on",
  off: "off",
  none: "no consumer (baseline)",
};
for (const mode of MODES) {
  const rs = runs.filter((x) => x.mode === mode);
  console.log(
    `| ${label[mode]} | ${cell(rs.map((x) => x.requests / SECONDS), 1)} | ${
      cell(rs.map((x) => x.bytesPerRequest))
    } | ${cell(rs.map((x) => x.requestKiBs), 1)} | ${
      cell(rs.map((x) => x.responseKiBs), 1)
    } | ${cell(rs.map((x) => x.records))} | ${
      cell(rs.map((x) => x.brokerCpuMsPerS), 1)
    } | ${
      mode === "none" ? "—" : cell(
        rs.map((x) => x.brokerCpuMsPerS - baseline(x.round)).filter((x) =>
          !Number.isNaN(x)
        ),
        1,
      )
    } |`,
  );
}
