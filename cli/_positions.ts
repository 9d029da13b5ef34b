/**
 * Where to start or reset: the offset and time arguments of `consume -o`,
 * `offsets` and `reset-offsets`, parsed into one shape.
 *
 * Times: an ISO date (`2026-01-01`, `2026-01-01T12:00:00`, UTC unless a
 * zone is given, as pykafka's kafka-tools read them), `@<ms since the
 * epoch>` (kcat's `s@<ms>` too), or a time relative to now (`-15m`, `-2h`,
 * `-1d`, `-30s`).
 *
 * @module
 */

import { UsageError } from "./_errors.ts";

/** A start or reset position. */
export type Position =
  | { kind: "earliest" }
  | { kind: "latest" }
  | { kind: "stored" }
  | { kind: "time"; ms: number }
  /** The next offset to read, for every partition. */
  | { kind: "offset"; offset: number }
  /** Back from the end (kcat's `-o -N`). */
  | { kind: "fromEnd"; count: number }
  /** The next offset to read per partition. */
  | { kind: "explicit"; offsets: Map<number, number> };

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * A time argument in ms since the epoch, or `undefined` when `s` is not a
 * time.
 *
 * @param s the argument
 * @param now the current time (tests)
 */
export function parseTime(s: string, now = Date.now()): number | undefined {
  const t = s.trim();
  let m = /^(?:s)?@(\d+)$/.exec(t);
  if (m) return Number(m[1]);
  m = /^-(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(t);
  if (m) return Math.round(now - Number(m[1]) * UNITS[m[2]]);
  if (t === "now") return now;
  if (
    /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/
      .test(t)
  ) {
    let iso = t.replace(" ", "T");
    if (!/(?:Z|[+-]\d{2}:?\d{2})$/.test(iso)) {
      iso += iso.includes("T") ? "Z" : "T00:00:00Z";
    }
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

const TIME_HELP =
  "a time (2026-01-01T12:00:00 UTC, @<epoch ms>, -2h, -30m, -1d)";

/**
 * `consume -o`: `beginning`/`earliest`, `end`/`latest`, `stored` (the
 * group's committed offsets), an offset `N`, `-N` (N before the end),
 * `s@<ms>` or any time of {@linkcode parseTime}.
 */
export function parseStart(s: string, command: readonly string[]): Position {
  const t = s.trim().toLowerCase();
  if (t === "beginning" || t === "earliest" || t === "start") {
    return { kind: "earliest" };
  }
  if (t === "end" || t === "latest") return { kind: "latest" };
  if (t === "stored" || t === "committed") return { kind: "stored" };
  if (/^\d+$/.test(t)) return { kind: "offset", offset: Number(t) };
  if (/^-\d+$/.test(t)) return { kind: "fromEnd", count: -Number(t) };
  const ms = parseTime(s);
  if (ms !== undefined) return { kind: "time", ms };
  throw new UsageError(
    `--offset ${
      JSON.stringify(s)
    }: expected beginning, end, stored, an offset N, -N (before the end), or ${TIME_HELP}`,
    command,
  );
}

/**
 * `reset-offsets` / `offsets` targets: `earliest`, `latest`, a time, an
 * offset for every partition (`42`), or offsets per partition
 * (`0:42,1:17`).
 */
export function parseTarget(s: string, command: readonly string[]): Position {
  const t = s.trim().toLowerCase();
  if (t === "earliest" || t === "beginning") return { kind: "earliest" };
  if (t === "latest" || t === "end") return { kind: "latest" };
  if (/^\d+$/.test(t)) return { kind: "offset", offset: Number(t) };
  if (/^\d+:\d+(?:,\d+:\d+)*$/.test(t)) {
    const offsets = new Map<number, number>();
    for (const pair of t.split(",")) {
      const [p, o] = pair.split(":").map(Number);
      if (offsets.has(p)) {
        throw new UsageError(`partition ${p} is given twice in ${s}`, command);
      }
      offsets.set(p, o);
    }
    return { kind: "explicit", offsets };
  }
  const ms = parseTime(s);
  if (ms !== undefined) return { kind: "time", ms };
  throw new UsageError(
    `${
      JSON.stringify(s)
    }: expected earliest, latest, an offset N, PARTITION:OFFSET pairs (0:42,1:17), or ${TIME_HELP}`,
    command,
  );
}

/** What {@linkcode resolvePositions} needs of a topic. */
export interface OffsetSource {
  /** Offset lookups (`Topic.fetchOffsetLimits`). */
  fetchOffsetLimits(
    before: Date | number,
    maxOffsets?: number,
  ): Promise<Map<number, number[]>>;
}

/** The earliest and latest offsets of each partition. */
export interface Limits {
  /** Log start offsets. */
  earliest: Map<number, number>;
  /** High watermarks. */
  latest: Map<number, number>;
}

/** Earliest and latest offsets of every partition of a topic. */
export async function limitsOf(topic: OffsetSource): Promise<Limits> {
  const [e, l] = await Promise.all([
    topic.fetchOffsetLimits(-2),
    topic.fetchOffsetLimits(-1),
  ]);
  const first = (m: Map<number, number[]>) =>
    new Map([...m].map(([p, o]) => [p, o[0] ?? 0]));
  return { earliest: first(e), latest: first(l) };
}

/**
 * The next offset to read per partition for a position (not `stored`):
 * offsets are clamped to each partition's earliest..latest, as Kafka's
 * consumer-groups tool does; a time with no record that recent gives the
 * latest offset. Partitions of `explicit` that the topic does not have
 * are a usage error.
 */
export async function resolvePositions(
  topic: OffsetSource,
  partitions: readonly number[],
  position: Position,
  limits: Limits,
  command: readonly string[] = [],
): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const clamp = (p: number, o: number) =>
    Math.min(
      limits.latest.get(p) ?? 0,
      Math.max(limits.earliest.get(p) ?? 0, o),
    );
  switch (position.kind) {
    case "earliest":
      for (const p of partitions) out.set(p, limits.earliest.get(p) ?? 0);
      break;
    case "latest":
      for (const p of partitions) out.set(p, limits.latest.get(p) ?? 0);
      break;
    case "offset":
      for (const p of partitions) out.set(p, clamp(p, position.offset));
      break;
    case "fromEnd":
      for (const p of partitions) {
        out.set(p, clamp(p, (limits.latest.get(p) ?? 0) - position.count));
      }
      break;
    case "explicit":
      for (const [p, o] of position.offsets) {
        if (!partitions.includes(p)) {
          throw new UsageError(
            `partition ${p} is not one of ${partitions.join(", ")}`,
            command,
          );
        }
        out.set(p, clamp(p, o));
      }
      break;
    case "time": {
      const found = await topic.fetchOffsetLimits(position.ms);
      for (const p of partitions) {
        const o = found.get(p)?.[0];
        out.set(p, o === undefined ? limits.latest.get(p) ?? 0 : clamp(p, o));
      }
      break;
    }
    case "stored":
      throw new UsageError("stored offsets need a consumer group", command);
  }
  return out;
}
