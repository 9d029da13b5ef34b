/**
 * A one-screen summary of a bench/e2e run (the README's Performance table):
 * one row per scenario with this library's number and, per peer, how many
 * times better this library is; and a second table with CPU seconds per
 * million records. Reads the JSON a run writes to `bench/results/`.
 *
 *   deno run --allow-read bench/e2e/summary.ts bench/results/e2e-<date>.json
 *
 * @module
 */

/** The parts of a run's JSON the summary reads. */
export interface RunJson {
  date: string;
  rounds: number;
  roundsDone?: number;
  machine: { cpu?: string; cores: number; memoryGiB: number; deno?: string };
  peers: { id: string; label: string }[];
  scenarios: {
    id: string;
    mode: string;
    results: {
      peer: string;
      status: string;
      reason?: string;
      recordsPerS: { median: number | null };
      cpuSPerMRecords: { median: number | null };
      p99Ms: { median: number | null };
    }[];
  }[];
}

/** Short column names of the peers the harness knows. */
const SHORT: Record<string, string> = {
  "kafkajs-deno": "kafkajs (Deno)",
  "kafkajs-node": "kafkajs (Node)",
  "platformatic-deno": "@platformatic (Deno)",
  "platformatic-node": "@platformatic (Node)",
  kcat: "kcat",
  "confluent-kafka": "confluent-kafka",
  java: "Java",
  "kafka-python": "kafka-python",
  pykafka: "pykafka",
};

const OURS = "denokafka";

function num(x: number): string {
  if (x >= 100) return Math.round(x).toLocaleString("en");
  return x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function isLatency(mode: string): boolean {
  return mode === "latency" || mode === "e2e";
}

/**
 * How many times better this library is than `peer` in one scenario:
 * records/s ours ÷ peer, or for latency scenarios p99 peer ÷ ours. `null`
 * when either side has no number.
 */
export function advantage(
  mode: string,
  ours: RunJson["scenarios"][number]["results"][number] | undefined,
  peer: RunJson["scenarios"][number]["results"][number] | undefined,
): number | null {
  if (ours === undefined || peer === undefined) return null;
  if (isLatency(mode)) {
    const a = ours.p99Ms.median;
    const b = peer.p99Ms.median;
    return a !== null && b !== null && a > 0 ? b / a : null;
  }
  const a = ours.recordsPerS.median;
  const b = peer.recordsPerS.median;
  return a !== null && b !== null && b > 0 ? a / b : null;
}

/** Renders both summary tables as Markdown. */
export function renderSummary(run: RunJson): string {
  const peers = run.peers.filter((p) => p.id !== OURS);
  const head = (what: string) => [
    `| ${what} | denokafka | ${
      peers.map((p) => SHORT[p.id] ?? p.label).join(" | ")
    } |`,
    `| --- | ---: | ${peers.map(() => "---:").join(" | ")} |`,
  ];
  const out: string[] = [];
  out.push(...head("scenario"));
  for (const sc of run.scenarios) {
    const ours = sc.results.find((r) => r.peer === OURS && r.status === "ok");
    const mine = ours === undefined
      ? "n/a"
      : isLatency(sc.mode)
      ? `p99 ${num(ours.p99Ms.median ?? NaN)} ms`
      : `${num(ours.recordsPerS.median ?? NaN)} rec/s`;
    const cells = peers.map((p) => {
      const r = sc.results.find((x) => x.peer === p.id);
      if (r === undefined || (r.status !== "ok" && r.status !== "partial")) {
        return "—";
      }
      const a = advantage(sc.mode, ours, r);
      return a === null ? "n/a" : `${a.toFixed(2)}×`;
    });
    out.push(`| \`${sc.id}\` | ${mine} | ${cells.join(" | ")} |`);
  }
  out.push("");
  out.push(...head("CPU s / M records"));
  for (const sc of run.scenarios) {
    const cell = (peer: string) => {
      const r = sc.results.find((x) => x.peer === peer);
      const v = r?.cpuSPerMRecords.median;
      return r && (r.status === "ok" || r.status === "partial") &&
          v !== null && v !== undefined
        ? num(v)
        : "—";
    };
    out.push(
      `| \`${sc.id}\` | ${cell(OURS)} | ${
        peers.map((p) => cell(p.id)).join(" | ")
      } |`,
    );
  }
  return out.join("\n") + "\n";
}

if (import.meta.main) {
  const file = Deno.args[0];
  if (file === undefined) {
    console.error(
      "usage: deno run --allow-read bench/e2e/summary.ts <results.json>",
    );
    Deno.exit(2);
  }
  const run = JSON.parse(await Deno.readTextFile(file)) as RunJson;
  console.log(renderSummary(run));
}
