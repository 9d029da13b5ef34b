/**
 * The benchmark scenarios of bench/e2e (issue 8): produce and consume 1 M
 * records of 100 B and 200 k of 1 KiB, compression none and lz4, acks 1 and
 * -1 (produce only); produce latency at a fixed 1 000 and 10 000 records/s;
 * end-to-end latency producer -> consumer; transactions of 1 000 records
 * (issue 16). `--quick` scales counts down.
 *
 * @module
 */

/** What a peer is asked to do. */
export type Mode = "produce" | "consume" | "latency" | "e2e" | "txn";

/** One scenario. */
export interface Scenario {
  /** Stable id, e.g. "produce-100B-lz4-acks1". */
  id: string;
  mode: Mode;
  /** Records per run (before a peer's own scale factor). */
  records: number;
  /** Value size in bytes. */
  size: number;
  compression: "none" | "lz4";
  acks: 1 | -1;
  /** Records per second for latency and e2e scenarios. */
  rate?: number;
  /** Records per transaction (txn scenarios). */
  perTxn?: number;
  /** Human description for the report. */
  title: string;
}

/** Builds the scenario list; `quick` gives the smoke-test counts. */
export function scenarios(quick: boolean): Scenario[] {
  const out: Scenario[] = [];
  const sizes = [
    { size: 100, records: quick ? 50_000 : 1_000_000, label: "100B" },
    { size: 1024, records: quick ? 10_000 : 200_000, label: "1KiB" },
  ];
  for (const s of sizes) {
    for (const compression of ["none", "lz4"] as const) {
      for (const acks of [1, -1] as const) {
        out.push({
          id: `produce-${s.label}-${compression}-acks${
            acks === 1 ? "1" : "all"
          }`,
          mode: "produce",
          records: s.records,
          size: s.size,
          compression,
          acks,
          title: `produce ${
            s.records.toLocaleString("en")
          } × ${s.label}, ${compression}, acks=${acks === 1 ? "1" : "all"}`,
        });
      }
    }
  }
  for (const s of sizes) {
    for (const compression of ["none", "lz4"] as const) {
      out.push({
        id: `consume-${s.label}-${compression}`,
        mode: "consume",
        records: s.records,
        size: s.size,
        compression,
        acks: 1,
        title: `consume ${
          s.records.toLocaleString("en")
        } × ${s.label} (${compression}) from a pre-filled topic`,
      });
    }
  }
  const seconds = quick ? 3 : 10;
  for (const rate of [1000, 10_000]) {
    out.push({
      id: `latency-${rate}rps`,
      mode: "latency",
      records: rate * seconds,
      size: 100,
      compression: "none",
      acks: 1,
      rate,
      title: `produce latency at ${
        rate.toLocaleString("en")
      } records/s for ${seconds} s (100 B, acks=1), send -> ack`,
    });
  }
  out.push({
    id: "e2e-1000rps",
    mode: "e2e",
    records: 1000 * seconds,
    size: 100,
    compression: "none",
    acks: 1,
    rate: 1000,
    title:
      `end-to-end latency at 1,000 records/s for ${seconds} s (100 B, acks=1), produce call -> consumer`,
  });
  const txnRecords = quick ? 20_000 : 200_000;
  out.push({
    id: "txn-100B-1000pertxn",
    mode: "txn",
    records: txnRecords,
    size: 100,
    compression: "none",
    acks: -1,
    perTxn: 1000,
    title: `produce ${
      txnRecords.toLocaleString("en")
    } × 100B in transactions of 1,000 records (begin, send, commit; acks=all)`,
  });
  return out;
}
