// Consume throughput of two checkouts of this library, interleaved on the
// same machine and brokers (A B, B A, A B, ...), for before/after
// comparisons of the consumer:
//
// - the micro benchmark `bench/consumer_bench.ts` of each checkout (no
//   broker: decode -> queue -> take), `deno bench --json`, the average time
//   per ~1 MiB fetch response of each row;
// - consume runs of the e2e harness's denokafka peer
//   (`bench/peers/denokafka.ts` of each checkout, consume mode: a
//   SimpleConsumer without a group from EARLIEST, timed from creation to
//   the N-th record) on topics made once per scenario like the harness's
//   (6 partitions, replication 2) and filled by the B checkout's peer in
//   produce mode; CPU and peak RSS from /usr/bin/time.
//
// Prints medians with half the range as the spread, and B ÷ A.
//
//   deno run -A bench/consume_ab.ts --a /tmp/old-checkout --b . \
//     [--rounds 5] [--scenarios 100B-none,1KiB-lz4] [--no-micro] [--no-consume]
//     [--hosts 127.0.0.1:19192,127.0.0.1:19292]
import { parseArgs } from "node:util";
import { runPeer } from "./e2e/runner.ts";
import { ensurePayloadFiles } from "./e2e/payload.ts";
import { KafkaClient } from "../mod.ts";

const { values: args } = parseArgs({
  options: {
    a: { type: "string" },
    b: { type: "string", default: "." },
    rounds: { type: "string", default: "5" },
    scenarios: {
      type: "string",
      default: "100B-none,100B-lz4,1KiB-none,1KiB-lz4",
    },
    "no-micro": { type: "boolean", default: false },
    "no-consume": { type: "boolean", default: false },
    hosts: { type: "string", default: "127.0.0.1:19192,127.0.0.1:19292" },
  },
});
if (!args.a) {
  console.error("usage: consume_ab.ts --a <checkout A> [--b <checkout B>]");
  Deno.exit(2);
}
const roots = { A: Deno.realPathSync(args.a), B: Deno.realPathSync(args.b) };
const ROUNDS = Number(args.rounds);
const SIZES: Record<string, { size: number; records: number }> = {
  "100B": { size: 100, records: 1_000_000 },
  "1KiB": { size: 1024, records: 200_000 },
};
const dataDir = `${Deno.makeTempDirSync({ prefix: "consume-ab-" })}`;

type Side = "A" | "B";
const order = (r: number): Side[] => r % 2 === 0 ? ["A", "B"] : ["B", "A"];

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

async function micro(root: string): Promise<Map<string, number>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["bench", "-A", "--json", `${root}/bench/consumer_bench.ts`],
    cwd: root,
    stdout: "piped",
    stderr: "null",
  }).output();
  const json = JSON.parse(new TextDecoder().decode(out.stdout));
  const rows = new Map<string, number>();
  for (const b of json.benches) {
    const ok = b.results?.[0]?.ok;
    if (ok) rows.set(b.name, ok.avg / 1e6); // ms
  }
  return rows;
}

if (!args["no-micro"]) {
  const times: Record<Side, Map<string, number[]>> = {
    A: new Map(),
    B: new Map(),
  };
  for (let r = 0; r < ROUNDS; r++) {
    for (const side of order(r)) {
      for (const [name, ms] of await micro(roots[side])) {
        const l = times[side].get(name) ?? [];
        l.push(ms);
        times[side].set(name, l);
      }
      console.error(`micro round ${r + 1} ${side} done`);
    }
  }
  console.log(
    `\nMicro benchmark (bench/consumer_bench.ts), ms per ~1 MiB fetch response, ${ROUNDS} interleaved runs per side\n`,
  );
  console.log("| row | A | B | B ÷ A |");
  console.log("| --- | --- | --- | --- |");
  for (const [name, a] of times.A) {
    const b = times.B.get(name) ?? [];
    console.log(
      `| ${name} | ${cell(a, 3)} | ${cell(b, 3)} | ${
        (median(b) / median(a)).toFixed(3)
      } |`,
    );
  }
}

if (!args["no-consume"]) {
  const client = await KafkaClient.connect({ hosts: args.hosts });
  const rows: string[] = [];
  try {
    for (const id of args.scenarios.split(",")) {
      const [label, compression] = id.split("-");
      const { size, records } = SIZES[label];
      const { payloadFile } = await ensurePayloadFiles(dataDir, size);
      const topic = `consume-ab-${id}-${Date.now().toString(36)}`;
      await client.createTopics([{
        name: topic,
        numPartitions: 6,
        replicationFactor: 2,
        config: { "min.insync.replicas": "1" },
      }]);
      const spec = (mode: string) =>
        JSON.stringify({
          mode,
          bootstrap: args.hosts,
          topic,
          records,
          size,
          compression,
          acks: 1,
          rate: 0,
          lingerMs: 5,
          batchBytes: 1 << 20,
          payloadFile,
          group: "",
          warmupMs: 0,
        });
      const peer = (root: string, mode: string) =>
        runPeer(
          Deno.execPath(),
          ["run", "-A", `${root}/bench/peers/denokafka.ts`, spec(mode)],
          { timeoutMs: 300_000, cwd: root },
        );
      const fill = await peer(roots.B, "produce");
      if (fill.status !== "ok") {
        throw new Error(`filling ${topic}: ${fill.reason}`);
      }
      const res: Record<
        Side,
        { rate: number[]; cpu: number[]; rss: number[] }
      > = {
        A: { rate: [], cpu: [], rss: [] },
        B: { rate: [], cpu: [], rss: [] },
      };
      for (let r = 0; r < ROUNDS; r++) {
        for (const side of order(r)) {
          const run = await peer(roots[side], "consume");
          if (run.status !== "ok") {
            console.error(`${id} ${side}: ${run.status} ${run.reason ?? ""}`);
            continue;
          }
          const n = Number(run.result!.records);
          const ms = Number(run.result!.elapsedMs);
          res[side].rate.push(n / ms * 1000);
          if (run.cpuS !== undefined) res[side].cpu.push(run.cpuS / n * 1e6);
          if (run.rssMiB !== undefined) res[side].rss.push(run.rssMiB);
          console.error(
            `${id} round ${r + 1} ${side}: ${(n / ms).toFixed(0)}k rec/s`,
          );
        }
      }
      await client.deleteTopics([topic]).catch(() => {});
      const a = res.A;
      const b = res.B;
      rows.push(
        `| consume-${id} (${records}) | ${
          cell(a.rate.map((x) => x / 1e3), 0)
        } | ${cell(b.rate.map((x) => x / 1e3), 0)} | ${
          (median(b.rate) / median(a.rate)).toFixed(2)
        } | ${cell(a.cpu, 2)} | ${cell(b.cpu, 2)} | ${cell(a.rss, 0)} | ${
          cell(b.rss, 0)
        } |`,
      );
    }
  } finally {
    await client.close();
  }
  console.log(
    `\nConsume runs (denokafka peer, consume mode), ${ROUNDS} interleaved runs per side; k records/s, CPU s per million records, peak RSS MiB\n`,
  );
  console.log(
    "| scenario | A k rec/s | B k rec/s | B ÷ A | A CPU s/M | B CPU s/M | A RSS | B RSS |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of rows) console.log(r);
}
await Deno.remove(dataDir, { recursive: true }).catch(() => {});
