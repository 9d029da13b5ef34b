// Fetch sessions (KIP-227) on and off, side by side: one fetch engine
// consumes a 200-partition topic on the local Kafka 3.9 brokers while a
// producer trickles records into it (10 partitions every 100 ms, the same
// in both modes), for a fixed time per run. Per run: Fetch requests, bytes
// written per request, bytes read, records, and the CPU time the broker
// JVMs used meanwhile (utime + stime from /proc/<pid>/stat of the pids in
// $DENOKAFKA_CLUSTER_DIR/pids). Runs alternate on/off (off/on in odd
// rounds); medians and spread are printed as a Markdown table.
//
//   DENOKAFKA_CLUSTER_DIR=/work/cluster deno run -A bench/fetch_sessions.ts \
//     [--seconds 20] [--rounds 3] [--partitions 200] [--hosts 127.0.0.1:19192]
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
    hosts: { type: "string", default: "127.0.0.1:19192,127.0.0.1:19292" },
  },
});
const SECONDS = Number(args.seconds);
const ROUNDS = Number(args.rounds);
const PARTITIONS = Number(args.partitions);
const clusterDir = Deno.env.get("DENOKAFKA_CLUSTER_DIR") ?? ".cache/cluster";

const TICKS_PER_S = 100; // getconf CLK_TCK on Linux

/** CPU ms (user + system) of the broker JVMs 1 and 2. */
function brokerCpuMs(): number {
  let ticks = 0;
  for (const id of [1, 2]) {
    const pid = Deno.readTextFileSync(`${clusterDir}/pids/broker-${id}.pid`)
      .trim();
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // Fields after the ")" of the command name: state is field 3, utime 14, stime 15.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks * 1000 / TICKS_PER_S;
}

interface Run {
  sessions: boolean;
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

async function run(sessions: boolean): Promise<Run> {
  const latest = await topic.latestAvailableOffsets();
  let wake: (() => void) | undefined;
  const engine = new FetchEngine(
    client.cluster,
    resolveConsumerOptions({ fetchSessions: sessions }),
    { onData: () => wake?.(), onError: (e) => console.error(e) },
  );
  engine.assign(
    [...latest].map(([partition, position]) => ({
      topic,
      partition,
      position,
    })),
  );
  engine.start();
  const producer = topic.getProducer({ lingerMs: 5 });
  // Let the first (full) requests go by.
  await new Promise((r) => setTimeout(r, 1000));
  const s0 = engine.stats;
  const cpu0 = brokerCpuMs();
  const t0 = performance.now();
  const end = t0 + SECONDS * 1000;
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
    for (let m = engine.take(); m; m = engine.take()) records++;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, end - performance.now()));
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  const elapsedS = (performance.now() - t0) / 1000;
  const cpu1 = brokerCpuMs();
  const s1 = engine.stats;
  clearInterval(trickle);
  await producer.stop();
  await engine.stop();
  const requests = s1.requests - s0.requests;
  const bytes = s1.requestBytes - s0.requestBytes;
  return {
    sessions,
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
for (let r = 0; r < ROUNDS; r++) {
  for (const sessions of r % 2 === 0 ? [true, false] : [false, true]) {
    const x = await run(sessions);
    console.error(JSON.stringify(x));
    runs.push(x);
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
  const m = median(xs);
  const spread = (Math.max(...xs) - Math.min(...xs)) / 2;
  return `${m.toFixed(digits)} ± ${spread.toFixed(digits)}`;
}

console.log(
  `\n${PARTITIONS} partitions, ${SECONDS} s per run, ${ROUNDS} runs per mode (median ± half the range)\n`,
);
console.log(
  "| fetch sessions | Fetch requests/s | bytes per request | request KiB/s | response KiB/s | records | broker CPU ms/s (2 JVMs) |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const sessions of [true, false]) {
  const rs = runs.filter((x) => x.sessions === sessions);
  console.log(
    `| ${sessions ? "on" : "off"} | ${
      cell(rs.map((x) => x.requests / SECONDS), 1)
    } | ${cell(rs.map((x) => x.bytesPerRequest))} | ${
      cell(rs.map((x) => x.requestKiBs), 1)
    } | ${cell(rs.map((x) => x.responseKiBs), 1)} | ${
      cell(rs.map((x) => x.records))
    } | ${cell(rs.map((x) => x.brokerCpuMsPerS), 1)} |`,
  );
}
