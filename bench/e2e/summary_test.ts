import assert from "node:assert/strict";
import { advantage, renderSummary, type RunJson } from "./summary.ts";

type Result = RunJson["scenarios"][number]["results"][number];

function result(
  peer: string,
  recordsPerS: number | null,
  p99: number | null,
  cpu: number | null,
  status = "ok",
): Result {
  return {
    peer,
    status,
    recordsPerS: { median: recordsPerS },
    cpuSPerMRecords: { median: cpu },
    p99Ms: { median: p99 },
  };
}

Deno.test("advantage: records/s ours ÷ peer, latency p99 peer ÷ ours", () => {
  const ours = result("denokafka", 1000, 5, 1);
  assert.equal(advantage("produce", ours, result("x", 250, null, 2)), 4);
  assert.equal(advantage("latency", ours, result("x", 10, 20, 2)), 4);
  assert.equal(advantage("e2e", ours, result("x", 10, 2.5, 2)), 0.5);
  assert.equal(advantage("consume", ours, result("x", null, null, 2)), null);
  assert.equal(advantage("consume", undefined, ours), null);
});

Deno.test("renderSummary: one row per scenario, unavailable peers as a dash", () => {
  const run: RunJson = {
    date: "2026-11-26T00:00:00Z",
    rounds: 3,
    machine: { cores: 2, memoryGiB: 24 },
    peers: [
      { id: "denokafka", label: "denokafka (Deno)" },
      { id: "kcat", label: "librdkafka via kcat" },
      { id: "pykafka", label: "pykafka" },
    ],
    scenarios: [
      {
        id: "produce-100B-none-acks1",
        mode: "produce",
        results: [
          result("denokafka", 1_000_000, null, 1),
          result("kcat", 500_000, null, 0.5),
          result("pykafka", 100_000, null, 9),
        ],
      },
      {
        id: "latency-1000rps",
        mode: "latency",
        results: [
          result("denokafka", 1000, 8, 100),
          result("kcat", null, null, null, "unsupported"),
          result("pykafka", 1000, 4, 300),
        ],
      },
    ],
  };
  const lines = renderSummary(run).trim().split("\n");
  assert.equal(
    lines[0],
    "| scenario | denokafka | kcat | pykafka |",
  );
  assert.equal(
    lines[2],
    "| `produce-100B-none-acks1` | 1,000,000 rec/s | 2.00× | 10.00× |",
  );
  assert.equal(lines[3], "| `latency-1000rps` | p99 8.00 ms | — | 0.50× |");
  assert.equal(lines[5], "| CPU s / M records | denokafka | kcat | pykafka |");
  assert.equal(
    lines[7],
    "| `produce-100B-none-acks1` | 1.00 | 0.50 | 9.00 |",
  );
  assert.equal(lines[8], "| `latency-1000rps` | 100 | — | 300 |");
});
