// Version sets: sorted arrays of version numbers inside a message's known
// range, and the TypeScript conditions that select them.

/** A sorted set of versions. */
export type VSet = readonly number[];

/** A parsed `versions` string of a spec: "none", "3", "3+", "0-12". */
export interface VRange {
  lo: number;
  hi: number; // inclusive; 0x7fff for open-ended
}

export const OPEN = 0x7fff;

export function parseVersions(s: string | undefined): VRange | null {
  if (s === undefined || s === "none" || s === "") return null;
  let m = /^(\d+)\+$/.exec(s);
  if (m) return { lo: +m[1], hi: OPEN };
  m = /^(\d+)-(\d+)$/.exec(s);
  if (m) return { lo: +m[1], hi: +m[2] };
  m = /^(\d+)$/.exec(s);
  if (m) return { lo: +m[1], hi: +m[1] };
  throw new Error(`cannot parse versions ${JSON.stringify(s)}`);
}

/** The versions of `range` within [lo, hi]. */
export function within(range: VRange | null, lo: number, hi: number): VSet {
  const out: number[] = [];
  if (range === null) return out;
  for (let v = Math.max(lo, range.lo); v <= Math.min(hi, range.hi); v++) {
    out.push(v);
  }
  return out;
}

export function union(a: VSet, b: VSet): VSet {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

export function intersect(a: VSet, b: VSet): VSet {
  const sb = new Set(b);
  return a.filter((v) => sb.has(v));
}

export function minus(a: VSet, b: VSet): VSet {
  const sb = new Set(b);
  return a.filter((v) => !sb.has(v));
}

export function sameSet(a: VSet, b: VSet): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** "0-3, 5, 9+" style text for docs (relative to the message's max). */
export function describe(set: VSet, max: number): string {
  if (set.length === 0) return "none";
  const runs: string[] = [];
  let i = 0;
  while (i < set.length) {
    let j = i;
    while (j + 1 < set.length && set[j + 1] === set[j] + 1) j++;
    const a = set[i], b = set[j];
    runs.push(b === max ? `${a}+` : a === b ? `${a}` : `${a}-${b}`);
    i = j + 1;
  }
  return runs.join(", ");
}

/**
 * A condition on `v` that is true for every version of `set` and false for
 * every other version of `universe` (`v` is known to be in `universe`).
 * Returns "true" / "false" when constant.
 */
export function cond(set: VSet, universe: VSet, v = "v"): string {
  const inSet = new Set(intersect(set, universe));
  if (inSet.size === 0) return "false";
  if (inSet.size === universe.length) return "true";
  const runs: [number, number][] = [];
  let i = 0;
  while (i < universe.length) {
    if (!inSet.has(universe[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < universe.length && inSet.has(universe[j + 1])) j++;
    runs.push([universe[i], universe[j]]);
    i = j + 1;
  }
  const lo = universe[0], hi = universe[universe.length - 1];
  const parts = runs.map(([a, b]) => {
    if (a === b && a !== lo && b !== hi) return `${v} === ${a}`;
    const c: string[] = [];
    if (a !== lo) c.push(`${v} >= ${a}`);
    if (b !== hi) c.push(`${v} <= ${b}`);
    return c.join(" && ");
  });
  return parts.length === 1
    ? parts[0]
    : parts.map((p) => `(${p})`).join(" || ");
}
