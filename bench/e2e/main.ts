/**
 * End-to-end benchmark: this library beside every peer client, on the same
 * local Kafka 3.9 cluster (brokers 127.0.0.1:19192 and :19292; pykafka cannot
 * speak to Kafka 4.x, so every peer uses the 3.9 cluster).
 *
 * For each scenario a fresh topic (6 partitions, replication factor 2) is
 * created; every client runs against it in turn (A B C …, A B C …) for several
 * rounds; each run is a separate process, timed out and killed if it hangs;
 * CPU and peak RSS come from /usr/bin/time on the client process. Output: a
 * Markdown table and a JSON file under bench/results/.
 *
 * ```sh
 * sh bench/e2e/setup.sh            # once: installs the peers into ~/.cache/denokafka/bench
 * deno task bench:e2e              # full run (3 rounds)
 * deno task bench:e2e --quick      # smoke run: small counts, 1 round
 * deno task bench:e2e --scenarios produce-100B --peers java,kcat --rounds 5
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { ensurePayloadFiles } from "./payload.ts";
import { type Peer, type PeerPaths, peers as allPeers } from "./peers.ts";
import {
  type PeerScenarioResult,
  renderMarkdown,
  type ScenarioReport,
} from "./report.ts";
import { type RunOutcome, runPeer } from "./runner.ts";
import { type Scenario, scenarios as allScenarios } from "./scenarios.ts";
import { summarize } from "./stats.ts";

const BOOTSTRAP = "127.0.0.1:19192,127.0.0.1:19292";
const CLUSTER =
  "Kafka 3.9.1 (ZooKeeper mode), brokers 1 and 2 at 127.0.0.1:19192 and 127.0.0.1:19292, PLAINTEXT";
const PARTITIONS = 6;
const REPLICATION = 2;
const TOPIC_CONFIGS = ["min.insync.replicas=1"];
const LINGER_MS = 5;
const BATCH_BYTES = 1024 * 1024;
const FILL_BATCH_BYTES = 512 * 1024;

const { values: opts } = parseArgs({
  args: Deno.args,
  options: {
    quick: { type: "boolean", default: false },
    rounds: { type: "string" },
    scenarios: { type: "string" },
    peers: { type: "string" },
    "run-timeout": { type: "string" },
    out: { type: "string" },
    "budget-minutes": { type: "string" },
    help: { type: "boolean", default: false },
  },
});

if (opts.help) {
  console.log(
    `usage: deno task bench:e2e [--quick] [--rounds N] [--scenarios a,b] [--peers a,b]
                        [--run-timeout SECONDS] [--out bench/results/NAME]
  --quick        smoke run: small record counts, 3 s latency runs, 1 round
  --rounds       rounds per scenario (default 3; 1 with --quick)
  --scenarios    comma-separated scenario ids or id prefixes (e.g. produce-100B,e2e)
  --peers        comma-separated peer ids: ${
      allPeers().map((p) => p.id).join(", ")
    }
  --run-timeout  seconds before a peer run is killed (default 300; 90 with --quick)
  --budget-minutes  start no further round once another would end after this many
                 minutes (default 60, 0 = no limit; at least one round always runs)
  --out          output path without extension (default bench/results/e2e-<date>[-smoke])`,
  );
  Deno.exit(0);
}

const quick = opts.quick;
const rounds = Number(opts.rounds ?? (quick ? 1 : 3));
const runTimeoutMs = Number(opts["run-timeout"] ?? (quick ? 90 : 300)) * 1000;
if (!Number.isInteger(rounds) || rounds < 1) {
  throw new RangeError("--rounds must be a positive integer");
}

const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const cache = Deno.env.get("DENOKAFKA_CACHE") ??
  `${Deno.env.get("HOME")}/.cache/denokafka`;
const paths: PeerPaths = {
  root,
  benchCache: `${cache}/bench`,
  kafkaLib: `${cache}/kafka-3.9.1/lib`,
};
const dataDir = `${paths.benchCache}/data`;

function selectByList<T extends { id: string }>(
  items: T[],
  list: string | undefined,
): T[] {
  if (!list) return items;
  const wanted = list.split(",").map((s) => s.trim()).filter(Boolean);
  const out = items.filter((it) =>
    wanted.some((w) => it.id === w || it.id.startsWith(w))
  );
  if (out.length === 0) throw new Error(`nothing matches ${list}`);
  return out;
}

const scenarioList = selectByList(allScenarios(quick), opts.scenarios);
const peerList = selectByList(allPeers(), opts.peers);

// ---------------------------------------------------------------- progress

const isTty = Deno.stderr.isTerminal();
const started = performance.now();
function progress(line: string, final = false): void {
  const s = Math.round((performance.now() - started) / 1000);
  const stamp = `${String(Math.floor(s / 60)).padStart(2, "0")}:${
    String(s % 60).padStart(2, "0")
  }`;
  const text = `[${stamp}] ${line}`;
  const enc = new TextEncoder();
  if (isTty) {
    Deno.stderr.writeSync(
      enc.encode(`\r\x1b[2K${text.slice(0, 160)}${final ? "\n" : ""}`),
    );
  } else Deno.stderr.writeSync(enc.encode(text + "\n"));
}

// ------------------------------------------------------------------- admin

async function adminOut(args: string[]): Promise<string> {
  const cmd = new Deno.Command(`${paths.benchCache}/venv/bin/python`, {
    args: [`${root}/bench/e2e/admin.py`, BOOTSTRAP, ...args],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(90_000),
  });
  const out = await cmd.output();
  if (!out.success) {
    throw new Error(
      `admin ${args.join(" ")} failed: ${
        new TextDecoder().decode(out.stderr).trim().split("\n").slice(-3).join(
          " | ",
        )
      }`,
    );
  }
  return new TextDecoder().decode(out.stdout).trim();
}

async function endOffsetSum(topic: string): Promise<number> {
  return Number(await adminOut(["offsets", topic]));
}

async function brokersReachable(): Promise<string | null> {
  for (const hp of BOOTSTRAP.split(",")) {
    const [hostname, port] = hp.split(":");
    try {
      const c = await Deno.connect({ hostname, port: Number(port) });
      c.close();
    } catch (e) {
      return `${hp}: ${(e as Error).message}`;
    }
  }
  return null;
}

// ------------------------------------------------------------------- specs

function recordsFor(peer: Peer, sc: Scenario): number {
  if (sc.mode === "latency" || sc.mode === "e2e") return sc.records;
  return Math.max(1000, Math.round(sc.records * (peer.recordScale ?? 1)));
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
  /** Records per transaction (txn mode). */
  perTxn?: number;
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

function runId(): string {
  return Math.floor(Math.random() * 36 ** 6).toString(36).padStart(6, "0");
}

async function runOne(peer: Peer, spec: Spec): Promise<RunOutcome> {
  const json = JSON.stringify(spec);
  const c = peer.command(paths, json);
  return await runPeer(c.cmd, c.args, {
    env: { ...envOf(spec), ...(c.env ?? {}) },
    timeoutMs: spec.mode === "probe" ? 60_000 : runTimeoutMs,
    cwd: root,
  });
}

// -------------------------------------------------------------------- main

const unreachable = await brokersReachable();
if (unreachable) {
  console.error(
    `The Kafka 3.9 brokers are not reachable (${unreachable}). Start the cluster: deno task cluster:up`,
  );
  Deno.exit(1);
}
try {
  await Deno.stat(`${paths.benchCache}/venv/bin/python`);
} catch {
  console.error(
    `Peers are not installed: run  sh bench/e2e/setup.sh  (installs into ${paths.benchCache})`,
  );
  Deno.exit(1);
}

const payload100 = await ensurePayloadFiles(dataDir, 100);
await ensurePayloadFiles(dataDir, 1024);

// Probe every peer once.
interface PeerInfo {
  peer: Peer;
  available: boolean;
  version?: string;
  reason?: string;
}
const infos: PeerInfo[] = [];
for (const peer of peerList) {
  progress(`probing ${peer.id}`);
  const spec: Spec = {
    mode: "probe",
    bootstrap: BOOTSTRAP,
    topic: "",
    records: 0,
    size: 100,
    compression: "none",
    acks: 1,
    rate: 0,
    lingerMs: LINGER_MS,
    batchBytes: BATCH_BYTES,
    payloadFile: payload100.payloadFile,
    group: "",
    warmupMs: 0,
  };
  const out = await runOne(peer, spec);
  if (out.status === "ok") {
    infos.push({
      peer,
      available: true,
      version: String(out.result?.version ?? ""),
    });
  } else {
    infos.push({ peer, available: false, reason: out.reason ?? out.status });
  }
  progress(
    `probe ${peer.id}: ${
      out.status === "ok" ? out.result?.version : `not available: ${out.reason}`
    }`,
    true,
  );
}

const scenarioReports: ScenarioReport[] = [];
const jsonScenarios: unknown[] = [];
const runnable = (sc: Scenario) =>
  infos.filter((i) => i.available && !i.peer.unsupported?.[sc.mode]);
const totalRuns = scenarioList.reduce(
  (n, sc) => n + runnable(sc).length * rounds,
  0,
);
let runNo = 0;
function eta(): string {
  if (runNo <= 1) return "";
  const perRun = (performance.now() - started) / (runNo - 1);
  const left = Math.round((perRun * (totalRuns - runNo + 1)) / 60_000);
  return `(about ${left} min left) `;
}

type Entry = {
  runs: Record<string, unknown>[];
  stop?: { status: string; reason: string };
};
const entries = new Map<string, Map<string, Entry>>();
const topicsOf = new Map<string, string[]>();
for (const sc of scenarioList) {
  const m = new Map<string, Entry>();
  for (const info of infos) m.set(info.peer.id, { runs: [] });
  entries.set(sc.id, m);
  topicsOf.set(sc.id, []);
}
const budgetMs = Number(opts["budget-minutes"] ?? (quick ? 0 : 60)) * 60_000;
let roundsDone = 0;
let stoppedEarly: string | null = null;

// Round-major: every scenario once per round, each on a fresh topic that all
// clients share in that round, deleted afterwards (bounded disk use; a time
// budget can stop cleanly between rounds).
for (let round = 1; round <= rounds; round++) {
  if (round > 1 && budgetMs > 0) {
    const elapsed = performance.now() - started;
    if (elapsed + elapsed / roundsDone > budgetMs) {
      stoppedEarly =
        `stopped after ${roundsDone} of ${rounds} rounds: another round would exceed --budget-minutes ${
          budgetMs / 60_000
        }`;
      progress(stoppedEarly, true);
      break;
    }
  }
  for (const sc of scenarioList) {
    const perPeer = entries.get(sc.id)!;
    const topic = `bench-e2e-${sc.id}-r${round}-${runId()}`;
    topicsOf.get(sc.id)!.push(topic);
    progress(`${sc.id} round ${round}/${rounds}: creating topic ${topic}`);
    await adminOut([
      "create",
      topic,
      String(PARTITIONS),
      String(REPLICATION),
      ...TOPIC_CONFIGS,
    ]);
    let offsets = 0;
    try {
      if (sc.mode === "consume") {
        // Pre-fill with the Java producer (or kcat), not measured.
        const filler = infos.find((i) => i.available && i.peer.id === "java") ??
          infos.find((i) => i.available && i.peer.id === "kcat");
        const fillerPeer = filler?.peer ??
          allPeers().find((p) => p.id === "java")!;
        progress(
          `${sc.id}: pre-filling ${sc.records} records with ${fillerPeer.id}`,
        );
        const files = await ensurePayloadFiles(
          dataDir,
          sc.size,
          fillerPeer.id === "kcat" ? sc.records : undefined,
        );
        const fill = await runOne(fillerPeer, {
          mode: "produce",
          bootstrap: BOOTSTRAP,
          topic,
          records: sc.records,
          size: sc.size,
          compression: sc.compression,
          acks: 1,
          rate: 0,
          lingerMs: LINGER_MS,
          // Below the brokers' message.max.bytes (1 MiB + 12): kcat drops
          // an uncompressed 1 MiB batch of 1 KiB records as too large.
          batchBytes: FILL_BATCH_BYTES,
          payloadFile: files.payloadFile,
          recordsFile: files.recordsFile,
          group: "",
          warmupMs: 0,
        });
        offsets = await endOffsetSum(topic);
        if (fill.status !== "ok" || offsets < sc.records) {
          throw new Error(
            `pre-fill failed (${
              fill.reason ?? fill.status
            }; ${offsets} records in the topic)`,
          );
        }
      }
      for (const info of infos) {
        const entry = perPeer.get(info.peer.id)!;
        if (!info.available || info.peer.unsupported?.[sc.mode] || entry.stop) {
          continue;
        }
        runNo++;
        const records = recordsFor(info.peer, sc);
        progress(
          `[${runNo}/${totalRuns}] ${sc.id} round ${round}/${rounds} ${info.peer.id} (${
            records.toLocaleString("en")
          } records) ${eta()}…`,
        );
        const files = await ensurePayloadFiles(
          dataDir,
          sc.size,
          info.peer.id === "kcat" && sc.mode === "produce"
            ? records
            : undefined,
        );
        const spec: Spec = {
          mode: sc.mode,
          bootstrap: BOOTSTRAP,
          topic,
          records,
          size: sc.size,
          compression: sc.compression,
          acks: sc.acks,
          rate: sc.rate ?? 0,
          lingerMs: LINGER_MS,
          batchBytes: BATCH_BYTES,
          payloadFile: files.payloadFile,
          recordsFile: files.recordsFile,
          group: `bench-${info.peer.id}-${runId()}`,
          warmupMs: quick ? 500 : 1000,
          perTxn: sc.perTxn,
        };
        const out = await runOne(info.peer, spec);
        const r = out.result ?? {};
        const run: Record<string, unknown> = {
          round,
          status: out.status,
          reason: out.reason,
          wallS: round3(out.wallS),
          cpuS: out.cpuS,
          rssMiB: out.rssMiB === undefined ? undefined : round3(out.rssMiB),
          requestedRecords: records,
          ...r,
        };
        delete run.result;
        if (out.status === "ok") {
          const got = Number(r.records);
          const elapsed = Number(r.elapsedMs);
          let problem: string | null = null;
          if (!(got > 0) || !(elapsed > 0)) {
            problem = `bad result line ${JSON.stringify(r)}`;
          }
          if (
            sc.mode === "produce" || sc.mode === "latency" ||
            sc.mode === "e2e" || sc.mode === "txn"
          ) {
            const after = await endOffsetSum(topic);
            const delta = after - offsets;
            offsets = after;
            run.brokerRecords = delta;
            if (sc.mode === "produce" && delta !== records) {
              problem ??=
                `the broker received ${delta} records, the client reported ${got} of ${records}`;
            }
            // (txn: the commit markers take offsets too)
            if (sc.mode !== "produce" && delta < got) {
              problem ??=
                `the broker received ${delta} records < ${got} reported`;
            }
          } else if (got < records) {
            problem ??= `consumed ${got} of ${records} records`;
          }
          if (sc.mode === "e2e" && Number(r.missing) > 0) {
            problem ??=
              `${r.missing} of ${records} records never reached the consumer`;
          }
          if (problem) {
            run.status = "failed";
            run.reason = problem;
          } else {
            run.recordsPerS = got / (elapsed / 1000);
            run.mbPerS = Number(r.bytes) / (elapsed / 1000) / 1e6;
            if (out.cpuS !== undefined) {
              run.cpuSPerMRecords = (out.cpuS / got) * 1e6;
            }
          }
        } else if (out.status === "unavailable") {
          entry.stop = { status: "unavailable", reason: out.reason ?? "" };
        }
        if (out.stderrTail && out.status !== "ok") {
          run.stderrTail = out.stderrTail;
        }
        entry.runs.push(run);
        const rate = run.recordsPerS
          ? `${Math.round(Number(run.recordsPerS)).toLocaleString("en")} rec/s`
          : "";
        const lat = r.latencyMs as { p50?: number; p99?: number } | undefined;
        const latText = lat ? ` p50 ${lat.p50} ms p99 ${lat.p99} ms` : "";
        progress(
          `[${runNo}/${totalRuns}] ${sc.id} round ${round}/${rounds} ${info.peer.id}: ${run.status} ${rate}${latText}${
            run.status === "ok" ? "" : ` — ${run.reason}`
          }`,
          true,
        );
      }
    } catch (e) {
      progress(`${sc.id}: ${(e as Error).message}`, true);
      for (const entry of perPeer.values()) {
        entry.stop ??= { status: "failed", reason: (e as Error).message };
      }
    } finally {
      await adminOut(["delete", topic]).catch((e) =>
        progress(`could not delete ${topic}: ${e.message}`, true)
      );
    }
  }
  roundsDone++;
}

for (const sc of scenarioList) {
  const perPeer = entries.get(sc.id)!;

  const results: PeerScenarioResult[] = infos.map((info) => {
    const entry = perPeer.get(info.peer.id)!;
    const ok = entry.runs.filter((r) => r.status === "ok");
    const failures = entry.runs.filter((r) =>
      r.status === "failed" || r.status === "timeout"
    ).map((r) => `round ${r.round}: ${r.status}: ${r.reason}`);
    const base = {
      peer: info.peer.id,
      label: info.peer.label,
      version: info.version,
      rounds: entry.runs.length,
      records: ok.length ? Number(ok[0].records) : undefined,
      recordsPerS: summarize(ok.map((r) => Number(r.recordsPerS))),
      mbPerS: summarize(ok.map((r) => Number(r.mbPerS))),
      cpuSPerMRecords: summarize(ok.map((r) => Number(r.cpuSPerMRecords))),
      rssMiB: summarize(ok.map((r) => Number(r.rssMiB))),
      p50Ms: summarize(
        ok.map((r) =>
          Number((r.latencyMs as { p50?: number } | undefined)?.p50)
        ),
      ),
      p99Ms: summarize(
        ok.map((r) =>
          Number((r.latencyMs as { p99?: number } | undefined)?.p99)
        ),
      ),
      failures,
    };
    let status: PeerScenarioResult["status"];
    let reason: string | undefined;
    if (!info.available) {
      status = "unavailable";
      reason = info.reason;
    } else if (info.peer.unsupported?.[sc.mode]) {
      status = "unsupported";
      reason = info.peer.unsupported[sc.mode];
    } else if (entry.stop?.status === "unavailable") {
      status = "unavailable";
      reason = entry.stop.reason;
    } else if (ok.length === 0) {
      status = entry.runs.length ? "failed" : "skipped";
      reason = failures[0] ?? entry.stop?.reason ?? "not run";
    } else {
      status = failures.length ? "partial" : "ok";
    }
    return { ...base, status, reason };
  });
  scenarioReports.push({ id: sc.id, title: sc.title, mode: sc.mode, results });
  jsonScenarios.push({
    ...sc,
    topic: {
      names: topicsOf.get(sc.id),
      partitions: PARTITIONS,
      replicationFactor: REPLICATION,
      configs: TOPIC_CONFIGS,
    },
    results: results.map((res) => ({
      ...res,
      runs: perPeer.get(res.peer)!.runs,
    })),
  });
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

// ------------------------------------------------------------------ output

async function machine() {
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo").catch(() => "");
  const model = cpuinfo.match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown CPU";
  const mem = await Deno.readTextFile("/proc/meminfo").catch(() => "");
  const memKiB = Number(mem.match(/MemTotal:\s*(\d+)/)?.[1] ?? 0);
  return {
    cpu: model,
    cores: navigator.hardwareConcurrency,
    memoryGiB: Math.round(memKiB / 1024 / 1024),
    os: `${Deno.build.os} ${Deno.osRelease()}`,
    deno: Deno.version.deno,
  };
}

const m = await machine();
const date = new Date();
const stamp = date.toISOString().replace(/[-:]/g, "").replace(/\..*/, "")
  .replace("T", "-");
const base = opts.out ??
  `${root}/bench/results/e2e-${stamp}${quick ? "-smoke" : ""}`;
await Deno.mkdir(base.replace(/\/[^/]*$/, ""), { recursive: true });
const command = `deno task bench:e2e ${Deno.args.join(" ")}`.trim();
const json = {
  kind: quick
    ? "smoke run (--quick): small counts, not a benchmark result"
    : "benchmark run",
  date: date.toISOString(),
  command,
  machine: m,
  cluster: CLUSTER,
  topic: {
    partitions: PARTITIONS,
    replicationFactor: REPLICATION,
    configs: TOPIC_CONFIGS,
  },
  producerSettings: { lingerMs: LINGER_MS, batchBytes: BATCH_BYTES },
  rounds,
  roundsDone,
  stoppedEarly,
  runTimeoutS: runTimeoutMs / 1000,
  durationS: Math.round((performance.now() - started) / 1000),
  peers: infos.map((i) => ({
    id: i.peer.id,
    label: i.peer.label,
    settings: i.peer.settings,
    recordScale: i.peer.recordScale ?? 1,
    available: i.available,
    version: i.version,
    reason: i.reason,
  })),
  scenarios: jsonScenarios,
};
await Deno.writeTextFile(`${base}.json`, JSON.stringify(json, null, 2) + "\n");
const header = [
  `# End-to-end benchmark${
    quick
      ? " — SMOKE RUN (--quick: small counts, 1 round; not a benchmark result)"
      : ""
  }`,
  "",
  `- Date: ${date.toISOString()}; duration ${json.durationS} s; ${roundsDone} round(s) per scenario${
    stoppedEarly ? ` (${stoppedEarly})` : ""
  }; clients interleaved: in each round every client runs once per scenario, on a topic created fresh for that round.`,
  `- Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, ${m.os}, Deno ${m.deno}. Broker and clients share the cores.`,
  `- Cluster: ${CLUSTER}. Topics: ${PARTITIONS} partitions, replication factor ${REPLICATION}, ${
    TOPIC_CONFIGS.join(", ")
  }.`,
  `- Producers: linger ${LINGER_MS} ms and 1 MiB batches where the client has those knobs (see Clients). Records are JSON-like text values (bench/e2e/payload.ts), null keys.`,
  `- Slow peers run a fraction of the produce/consume record count (kafka-python 25 %, pykafka 10 %); the records column shows the count used.`,
  `- Reproduce: \`sh bench/e2e/setup.sh && ${command}\``,
];
const md = renderMarkdown(
  header,
  infos.map((i) => ({
    label: i.peer.label,
    version: i.version,
    settings: i.peer.settings,
    status: i.available ? "ran" : `not available: ${i.reason}`,
  })),
  scenarioReports,
);
await Deno.writeTextFile(`${base}.md`, md + "\n");
progress(`done: ${base}.md and ${base}.json`, true);
