/**
 * Markdown report of a bench/e2e run: one table per scenario, each peer's
 * medians with their spread, and its ratio to this library ("n/a" while this
 * library cannot run).
 *
 * @module
 */

import type { Summary } from "./stats.ts";

/** Aggregated result of one peer in one scenario. */
export interface PeerScenarioResult {
  peer: string;
  label: string;
  status:
    | "ok"
    | "partial"
    | "unavailable"
    | "unsupported"
    | "failed"
    | "skipped";
  reason?: string;
  version?: string;
  records?: number;
  rounds: number;
  recordsPerS: Summary;
  mbPerS: Summary;
  cpuSPerMRecords: Summary;
  rssMiB: Summary;
  p50Ms: Summary;
  p99Ms: Summary;
  failures: string[];
}

/** A scenario with its results, as reported. */
export interface ScenarioReport {
  id: string;
  title: string;
  mode: string;
  results: PeerScenarioResult[];
}

function fmt(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString("en");
  return x.toFixed(digits);
}

function withSpread(s: Summary, digits = 0): string {
  if (s.median === null) return "–";
  const sp = s.spread === null ? "" : ` ±${Math.round((s.spread * 100) / 2)}%`;
  return `${fmt(s.median, digits)}${sp}`;
}

function ratio(
  ours: number | null | undefined,
  peer: number | null | undefined,
): string {
  if (
    ours === null || ours === undefined || peer === null ||
    peer === undefined || peer === 0
  ) {
    return "n/a";
  }
  return `${(ours / peer).toFixed(2)}×`;
}

function escape(s: string): string {
  return s.replaceAll("|", "\\|").replaceAll("\n", " ");
}

/** Renders the whole report. */
export function renderMarkdown(
  header: string[],
  peersTable: {
    label: string;
    version?: string;
    settings: string;
    status: string;
  }[],
  scenarios: ScenarioReport[],
): string {
  const out: string[] = [...header, ""];
  out.push("## Clients", "");
  out.push(
    "| client | version | settings | status |",
    "| --- | --- | --- | --- |",
  );
  for (const p of peersTable) {
    out.push(
      `| ${escape(p.label)} | ${escape(p.version ?? "–")} | ${
        escape(p.settings)
      } | ${escape(p.status)} |`,
    );
  }
  out.push("");
  out.push(
    "Cells are medians over the rounds; ±x% is half the (max − min) / median spread. " +
      "CPU is user + sys seconds of the client process (and its children) per million records, " +
      "runtime start-up included; RSS is the peak resident set of the client process. " +
      "Ratios are ours ÷ peer: above 1 means more records/s than the peer; below 1 means less CPU or lower latency.",
    "",
  );
  for (const sc of scenarios) {
    out.push(`## ${sc.title}`, "", `\`${sc.id}\``, "");
    const ours = sc.results.find((r) => r.peer === "denokafka");
    const oursOk = ours && (ours.status === "ok" || ours.status === "partial");
    if (sc.mode === "latency" || sc.mode === "e2e") {
      out.push(
        "| client | records | achieved rec/s | p50 ms | p99 ms | CPU s / M rec | peak RSS MiB | ours ÷ peer p99 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      );
    } else {
      out.push(
        "| client | records | rec/s | MB/s | CPU s / M rec | peak RSS MiB | ours ÷ peer rec/s | ours ÷ peer CPU |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      );
    }
    for (const r of sc.results) {
      if (r.status !== "ok" && r.status !== "partial") {
        const what = r.status === "unsupported" || r.status === "unavailable"
          ? "not available"
          : r.status;
        out.push(
          `| ${escape(r.label)} | ${what}: ${
            escape(r.reason ?? "")
          } | | | | | | |`,
        );
        continue;
      }
      const note = r.status === "partial"
        ? ` (${r.failures.length} failed round(s))`
        : "";
      if (sc.mode === "latency" || sc.mode === "e2e") {
        out.push(
          `| ${escape(r.label)}${note} | ${fmt(r.records)} | ${
            withSpread(r.recordsPerS)
          } | ${withSpread(r.p50Ms, 1)} | ${withSpread(r.p99Ms, 1)} | ${
            withSpread(r.cpuSPerMRecords, 1)
          } | ${withSpread(r.rssMiB)} | ${
            oursOk && r.peer !== "denokafka"
              ? ratio(ours!.p99Ms.median, r.p99Ms.median)
              : r.peer === "denokafka"
              ? "1.00×"
              : "n/a"
          } |`,
        );
      } else {
        out.push(
          `| ${escape(r.label)}${note} | ${fmt(r.records)} | ${
            withSpread(r.recordsPerS)
          } | ${withSpread(r.mbPerS, 1)} | ${
            withSpread(r.cpuSPerMRecords, 1)
          } | ${withSpread(r.rssMiB)} | ${
            r.peer === "denokafka"
              ? "1.00×"
              : oursOk
              ? ratio(ours!.recordsPerS.median, r.recordsPerS.median)
              : "n/a"
          } | ${
            r.peer === "denokafka"
              ? "1.00×"
              : oursOk
              ? ratio(ours!.cpuSPerMRecords.median, r.cpuSPerMRecords.median)
              : "n/a"
          } |`,
        );
      }
    }
    const failures = sc.results.flatMap((r) =>
      r.failures.map((f) => `- ${r.label}: ${escape(f)}`)
    );
    if (failures.length) out.push("", "Failed rounds:", "", ...failures);
    out.push("");
  }
  return out.join("\n");
}
