// Produce throughput, CPU and peak RSS of two checkouts of this library and
// of kcat (librdkafka), interleaved on the same machine and brokers
// (A B kcat, B kcat A, kcat A B, ...), for before/after comparisons of the
// producer. Each run is the e2e harness's peer (`bench/peers/denokafka.ts`
// of each checkout, produce mode; `bench/peers/kcat.sh`) under
// /usr/bin/time, on a fresh topic per scenario and round like the
// harness's (6 partitions, replication 2, min.insync.replicas 1); an idle
// run (connect, then close: the peer's probe mode) gives the baseline RSS
// the memory aim is measured above.
//
// Prints medians with half the range as the spread, and the ratios
// B ÷ A and B ÷ kcat; `--json PATH` also writes every run.
//
//   deno run -A bench/produce_ab.ts --a /tmp/old-checkout --b . \
//     [--rounds 3] [--scenarios 100B-none-acks1,100B-lz4-acksall,3M-100B-none-acks1]
//     [--b-api produce|batch] [--no-kcat] [--hosts 127.0.0.1:19192,127.0.0.1:19292]
//
// Scenario ids: <size>-<codec>-acks<1|all>, size 100B (1 000 000 records),
// 1KiB (200 000), or 3M-100B (3 000 000 × 100 B, the memory scenario).
import { parseArgs } from "node:util";
import { type RunOutcome, runPeer } from "./e2e/runner.ts";
import { ensurePayloadFiles } from "./e2e/payload.ts";
import { KafkaClient } from "../mod.ts";

const { values: args } = parseArgs({
  options: {
    a: { type: "string" },
    b: { type: "string", default: "." },
    rounds: { type: "string", default: "3" },
    scenarios: {
      type: "string",
      default:
        "100B-none-acks1,100B-none-acksall,100B-lz4-acks1,100B-lz4-acksall,1KiB-lz4-acksall",
    },
    "a-api": { type: "string", default: "produce" },
    "b-api": { type: "string", default: "batch" },
    "no-kcat": { type: "boolean", default: false },
    hosts: { type: "string", default: "127.0.0.1:19192,127.0.0.1:19292" },
    json: { type: "string" },
  },
});
if (!args.a) {
  console.error("usage: produce_ab.ts --a <checkout A> [--b <checkout B>]");
  Deno.exit(2);
}
const roots = { A: Deno.realPathSync(args.a), B: Deno.realPathSync(args.b) };
const ROUNDS = Number(args.rounds);
const cache = Deno.env.get("DENOKAFKA_CACHE") ??
  `${Deno.env.get("HOME")}/.cache/denokafka`;
const dataDir = `${cache}/bench/data`;

type Side = "A" | "B" | "kcat";
const sides: Side[] = args["no-kcat"] ? ["A", "B"] : ["A", "B", "kcat"];
const order = (r: number): Side[] =>
  sides.map((_, i) => sides[(i + r) % sides.length]);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
function cell(xs: number[], digits: number): string {
  if (xs.length === 0) return "n/a";
  const spread = (Math.max(...xs) - Math.min(...xs)) / 2;
  return `${median(xs).toFixed(digits)} ± ${spread.toFixed(digits)}`;
}

interface Spec {
  mode: string;
  bootstrap: string;
  topic: string;
  records: number;
  size: number;
  compression: string;
  acks: number;
  rate: number;
  lingerMs: number;
  batchBytes: number;
  payloadFile: string;
  recordsFile?: string;
  group: string;
  warmupMs: number;
  produceApi?: string;
}

function envOf(spec: Spec): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec)) {
    if (v === undefined) continue;
    env[`BENCH_${k.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`] = String(
      v,
    );
  }
  return env;
}

function run(side: Side, spec: Spec): Promise<RunOutcome> {
  if (side === "kcat") {
    const json = JSON.stringify(spec);
    return runPeer("sh", [`${roots.B}/bench/peers/kcat.sh`, json], {
      env: envOf(spec),
      timeoutMs: 600_000,
      cwd: roots.B,
    });
  }
  const s = {
    ...spec,
    produceApi: side === "A" ? args["a-api"] : args["b-api"],
  };
  return runPeer(
    Deno.execPath(),
    [
      "run",
      `--lock=${roots[side]}/bench/deno.lock`,
      "-A",
      `${roots[side]}/bench/peers/denokafka.ts`,
      JSON.stringify(s),
    ],
    { env: envOf(s), timeoutMs: 600_000, cwd: roots[side] },
  );
}

interface Series {
  rate: number[];
  cpu: number[];
  rss: number[];
}
const newSeries = (): Series => ({ rate: [], cpu: [], rss: [] });
const all: Record<string, Record<Side, Series>> = {};
const runs: unknown[] = [];

const client = await KafkaClient.connect({ hosts: args.hosts });
try {
  const idle: Record<Side, number[]> = { A: [], B: [], kcat: [] };
  const { payloadFile } = await ensurePayloadFiles(dataDir, 100);
  // Round 0 warms each checkout up (its first run compiles and caches).
  for (let r = 0; r <= ROUNDS; r++) {
    for (const side of ["A", "B"] as const) {
      const out = await run(side, {
        mode: "probe",
        bootstrap: args.hosts,
        topic: "",
        records: 0,
        size: 100,
        compression: "none",
        acks: 1,
        rate: 0,
        lingerMs: 5,
        batchBytes: 1 << 20,
        payloadFile,
        group: "",
        warmupMs: 0,
      });
      if (r > 0 && out.rssMiB !== undefined) idle[side].push(out.rssMiB);
    }
  }
  console.error(`idle RSS: A ${cell(idle.A, 0)} MiB, B ${cell(idle.B, 0)} MiB`);

  for (const id of args.scenarios.split(",")) {
    const m = /^(3M-)?(100B|1KiB)-(none|lz4)-acks(1|all)$/.exec(id);
    if (!m) throw new Error(`bad scenario ${id}`);
    const size = m[2] === "100B" ? 100 : 1024;
    const records = m[1] ? 3_000_000 : size === 100 ? 1_000_000 : 200_000;
    const files = await ensurePayloadFiles(dataDir, size, records);
    const series: Record<Side, Series> = {
      A: newSeries(),
      B: newSeries(),
      kcat: newSeries(),
    };
    all[id] = series;
    for (let r = 0; r < ROUNDS; r++) {
      const topic = `produce-ab-${id}-${r}-${Date.now().toString(36)}`;
      await client.createTopics([{
        name: topic,
        numPartitions: 6,
        replicationFactor: 2,
        config: { "min.insync.replicas": "1" },
      }]);
      try {
        for (const side of order(r)) {
          const spec: Spec = {
            mode: "produce",
            bootstrap: args.hosts,
            topic,
            records,
            size,
            compression: m[3],
            acks: m[4] === "1" ? 1 : -1,
            rate: 0,
            lingerMs: 5,
            batchBytes: 1 << 20,
            payloadFile: files.payloadFile,
            recordsFile: files.recordsFile,
            group: "",
            warmupMs: 0,
          };
          const out = await run(side, spec);
          runs.push({ scenario: id, round: r, side, ...out });
          if (out.status !== "ok") {
            console.error(`${id} ${side}: ${out.status} ${out.reason ?? ""}`);
            continue;
          }
          const n = Number(out.result!.records);
          const ms = Number(out.result!.elapsedMs);
          series[side].rate.push(n / ms * 1000);
          if (out.cpuS !== undefined) series[side].cpu.push(out.cpuS / n * 1e6);
          if (out.rssMiB !== undefined) series[side].rss.push(out.rssMiB);
          console.error(
            `${id} round ${r + 1} ${side}: ${(n / ms).toFixed(0)}k rec/s, ${
              out.cpuS?.toFixed(2)
            } CPU s, ${out.rssMiB?.toFixed(0)} MiB`,
          );
        }
      } finally {
        await client.deleteTopics([topic]).catch(() => {});
      }
    }
  }

  console.log(
    `\nProduce runs, ${ROUNDS} interleaved rounds; A = ${roots.A} (${
      args["a-api"]
    }), B = ${roots.B} (${
      args["b-api"]
    }); k records/s, CPU s per million records, peak RSS MiB (idle client: A ${
      cell(idle.A, 0)
    }, B ${cell(idle.B, 0)})\n`,
  );
  console.log(
    "| scenario | A k rec/s | B k rec/s | kcat k rec/s | B ÷ A | B ÷ kcat | A CPU | B CPU | kcat CPU | A RSS | B RSS | kcat RSS | B RSS above idle ÷ kcat RSS |",
  );
  console.log(
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const [id, s] of Object.entries(all)) {
    const k = (xs: number[]) => xs.map((x) => x / 1e3);
    const ratio = (x: number[], y: number[]) =>
      x.length && y.length ? (median(x) / median(y)).toFixed(2) : "n/a";
    const above = s.B.rss.length && s.kcat.rss.length && idle.B.length
      ? ((median(s.B.rss) - median(idle.B)) / median(s.kcat.rss)).toFixed(2)
      : "n/a";
    console.log(
      `| ${id} | ${cell(k(s.A.rate), 0)} | ${cell(k(s.B.rate), 0)} | ${
        cell(k(s.kcat.rate), 0)
      } | ${ratio(s.B.rate, s.A.rate)} | ${ratio(s.B.rate, s.kcat.rate)} | ${
        cell(s.A.cpu, 2)
      } | ${cell(s.B.cpu, 2)} | ${cell(s.kcat.cpu, 2)} | ${
        cell(s.A.rss, 0)
      } | ${cell(s.B.rss, 0)} | ${cell(s.kcat.rss, 0)} | ${above} |`,
    );
  }
  if (args.json) {
    await Deno.writeTextFile(
      args.json,
      JSON.stringify({ roots, idle, runs }, null, 1),
    );
  }
} finally {
  await client.close();
}
