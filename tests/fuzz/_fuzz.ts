// Seeded mutation fuzzing of the decoders (issue 17): a deterministic PRNG,
// byte mutators (bit flips, interesting values, varint bombs, insertions,
// deletions, truncation, crossover), record-aware mutators (checksums made
// valid again after a mutation, decompressed contents mutated and
// recompressed, so mutations reach past the CRC check and the codecs), and
// the targets: every protocol response decoder, `decodeRecords`,
// `decodeMessages` and `decompress` of every codec. A case passes when the
// decoder returns or throws a `KafkaError`; anything else is a finding. After
// each failure of a WebAssembly-backed decoder a known-good batch is decoded
// and compared, so a damaged instance is caught at once.
import { KafkaError } from "../../src/errors/mod.ts";
import {
  type ApiMessage,
  type DataSchema,
  decodeVersioned,
  encodeVersioned,
} from "../../src/protocol/mod.ts";
import {
  compress,
  CompressionType,
  crc32,
  crc32c,
  decodeMessages,
  decodeRecords,
  decompress,
  encodeRecords,
} from "../../src/records/mod.ts";
import { encodeBase64 } from "../../src/util/base64.ts";
import fc from "fast-check";
import { dataCases, structArb } from "../protocol/_model.ts";
import {
  apiSeeds,
  capturedRecordSets,
  compressedInputs,
  decodeFrame,
  encodedRecordSets,
  type FrameSeed,
} from "./_corpus.ts";

/** xorshift128+ on 32-bit halves: fast, deterministic for a seed. */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    // splitmix32 to spread the seed over the state.
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = next() || 1;
    this.#b = next();
    this.#c = next();
    this.#d = next();
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    // xoshiro128**
    const r = Math.imul(rotl(Math.imul(this.#b, 5), 7), 9) >>> 0;
    const t = this.#b << 9;
    this.#c ^= this.#a;
    this.#d ^= this.#b;
    this.#b ^= this.#c;
    this.#a ^= this.#d;
    this.#c ^= t;
    this.#d = rotl(this.#d, 11);
    return r;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return n <= 1 ? 0 : this.u32() % n;
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }

  /** One element of `a`. */
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)];
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

const INTERESTING_8 = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x10, 0x40];
const INTERESTING_32 = [
  0,
  1,
  -1,
  2,
  16,
  255,
  256,
  0x7fff,
  0x8000,
  0xffff,
  0x10000,
  0x100000,
  0x7fffffff,
  -0x80000000,
  -2,
];
const VARINT_BOMBS = [
  [0xff, 0xff, 0xff, 0xff, 0x0f],
  [0x80, 0x80, 0x80, 0x80, 0x80, 0x80],
  [0xfe, 0xff, 0xff, 0xff, 0x0f],
  [0x81, 0x80, 0x80, 0x80, 0x08],
  [0x01],
  [0x00],
];

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One byte-level mutation of `b` (a new array; `pool` for crossover). */
export function mutateOnce(
  rng: Rng,
  b: Uint8Array,
  pool: readonly Uint8Array[],
): Uint8Array {
  const n = b.length;
  const pos = () => rng.int(n);
  const out = b.slice();
  switch (rng.int(13)) {
    case 0: // bit flip
      if (n) out[pos()] ^= 1 << rng.int(8);
      return out;
    case 1: // random byte
      if (n) out[pos()] = rng.int(256);
      return out;
    case 2: // interesting byte
      if (n) out[pos()] = rng.pick(INTERESTING_8);
      return out;
    case 3: { // interesting int16, big endian (sizes, counts, error codes)
      if (n < 2) return out;
      const v = rng.pick(INTERESTING_32);
      new DataView(out.buffer).setInt16(rng.int(n - 1), v);
      return out;
    }
    case 4: { // interesting int32, big endian (lengths, counts, offsets)
      if (n < 4) return out;
      const v = rng.pick(INTERESTING_32);
      new DataView(out.buffer).setInt32(rng.int(n - 3), v | 0);
      return out;
    }
    case 5: { // a varint bomb over some bytes
      const bomb = Uint8Array.from(rng.pick(VARINT_BOMBS));
      const at = rng.int(n + 1);
      return rng.chance(0.5)
        ? concat(out.subarray(0, at), bomb, out.subarray(at))
        : concat(
          out.subarray(0, at),
          bomb,
          out.subarray(Math.min(n, at + bomb.length)),
        );
    }
    case 6: { // delete a range
      if (!n) return out;
      const at = pos();
      const len = 1 + rng.int(Math.min(64, n - at));
      return concat(out.subarray(0, at), out.subarray(at + len));
    }
    case 7: { // insert random bytes
      const at = rng.int(n + 1);
      const ins = Uint8Array.from(
        { length: 1 + rng.int(16) },
        () => rng.int(256),
      );
      return concat(out.subarray(0, at), ins, out.subarray(at));
    }
    case 8: { // duplicate a range
      if (!n) return out;
      const at = pos();
      const len = 1 + rng.int(Math.min(256, n - at));
      const to = rng.int(n + 1);
      return concat(
        out.subarray(0, to),
        out.subarray(at, at + len),
        out.subarray(to),
      );
    }
    case 9: // truncate
      return out.subarray(0, rng.int(n + 1)).slice();
    case 10: { // crossover with another input
      const other = rng.pick(pool);
      const at = rng.int(n + 1);
      const from = rng.int(other.length + 1);
      return concat(out.subarray(0, at), other.subarray(from));
    }
    case 11: // small arithmetic
      if (n) out[pos()] += rng.int(9) - 4;
      return out;
    default: { // copy a range over another place
      if (n < 2) return out;
      const at = pos();
      const len = 1 + rng.int(Math.min(32, n - at));
      out.copyWithin(rng.int(n), at, at + len);
      return out;
    }
  }
}

/** 1 to 4 stacked byte mutations. */
export function mutate(
  rng: Rng,
  b: Uint8Array,
  pool: readonly Uint8Array[],
): Uint8Array {
  let out = b;
  const k = 1 + rng.int(4);
  for (let i = 0; i < k; i++) out = mutateOnce(rng, out, pool);
  return out === b ? b.slice() : out;
}

/**
 * Makes every record batch's (v2) and top-level message's (v0/v1) checksum
 * valid again, so the mutation reaches the parser behind the check.
 */
export function fixChecksums(b: Uint8Array): Uint8Array {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let p = 0;
  while (p + 17 <= b.length) {
    const size = dv.getInt32(p + 8);
    const end = p + 12 + size;
    if (size < 5 || end > b.length) break;
    const magic = b[p + 16];
    if (magic === 2 && end >= p + 21) {
      dv.setUint32(p + 17, crc32c(b.subarray(p + 21, end)));
    } else if (magic <= 1) {
      dv.setUint32(p + 12, crc32(b.subarray(p + 16, end)));
    }
    p = end;
  }
  return b;
}

/**
 * Mutates the decompressed records of one compressed v2 batch and
 * compresses them again (same codec), with a valid checksum; `undefined`
 * when the input has no such batch.
 */
export function mutateInsideBatch(
  rng: Rng,
  b: Uint8Array,
  pool: readonly Uint8Array[],
): Uint8Array | undefined {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const batches: [number, number, CompressionType][] = [];
  let p = 0;
  while (p + 61 <= b.length) {
    const end = p + 12 + dv.getInt32(p + 8);
    if (end > b.length || end < p + 61) break;
    const codec = (dv.getInt16(p + 21) & 7) as CompressionType;
    if (b[p + 16] === 2 && codec >= 1 && codec <= 4) {
      batches.push([p, end, codec]);
    }
    p = end;
  }
  if (!batches.length) return undefined;
  const [start, end, codec] = rng.pick(batches);
  let inner: Uint8Array;
  try {
    inner = decompress(codec, b.subarray(start + 61, end));
  } catch {
    return undefined;
  }
  const packed = compress(codec, mutate(rng, inner, pool));
  const head = b.slice(start, start + 61);
  new DataView(head.buffer).setInt32(8, 49 + packed.length);
  return fixChecksums(
    concat(b.subarray(0, start), head, packed, b.subarray(end)),
  );
}

/** A finding: a decoder threw something other than a `KafkaError`, or hung. */
export interface Finding {
  decoder: string;
  case: number;
  what: string;
  /** The input, base64, to reproduce with. */
  input: string;
  /** Version (protocol decoders). */
  version?: number;
}

/** What one decoder's run found. */
export interface DecoderStats {
  decoder: string;
  cases: number;
  decoded: number;
  /** Thrown KafkaErrors by class name. */
  typed: Map<string, number>;
  findings: Finding[];
  /** Known-good decodes after failures (WebAssembly decoders). */
  healthChecks: number;
  ms: number;
}

/** One decoder under test. */
export interface Target {
  name: string;
  /** Runs case `i`; returns "ok" or the error thrown. */
  run(
    rng: Rng,
    i: number,
  ): { error?: unknown; input: Uint8Array; version?: number };
  /** After a failure: decodes a known-good input; throws if it comes out wrong. */
  healthCheck?(): void;
}

/** Cases slower than this are findings (a decoder must not hang). */
const SLOW_MS = 2000;

/** Runs `cases` cases of `target` from `seed`. */
export function runTarget(
  target: Target,
  cases: number,
  seed: number,
  onProgress?: (done: number) => void,
): DecoderStats {
  const rng = new Rng(seed);
  const stats: DecoderStats = {
    decoder: target.name,
    cases: 0,
    decoded: 0,
    typed: new Map(),
    findings: [],
    healthChecks: 0,
    ms: 0,
  };
  const started = performance.now();
  for (let i = 0; i < cases; i++) {
    const t0 = performance.now();
    const r = target.run(rng, i);
    const took = performance.now() - t0;
    stats.cases++;
    const finding = (what: string) =>
      stats.findings.push({
        decoder: target.name,
        case: i,
        what,
        input: encodeBase64(r.input),
        ...(r.version !== undefined ? { version: r.version } : {}),
      });
    if (took > SLOW_MS) finding(`took ${took.toFixed(0)} ms`);
    if (r.error === undefined) {
      stats.decoded++;
    } else if (r.error instanceof KafkaError) {
      const name = r.error.name;
      stats.typed.set(name, (stats.typed.get(name) ?? 0) + 1);
    } else {
      const e = r.error;
      finding(
        e instanceof Error ? `${e.name}: ${e.message}` : `threw ${String(e)}`,
      );
    }
    if (r.error !== undefined && target.healthCheck) {
      stats.healthChecks++;
      try {
        target.healthCheck();
      } catch (e) {
        finding(`the codec is unusable after this failure: ${e}`);
      }
    }
    if (onProgress && (i & 1023) === 1023) onProgress(i + 1);
  }
  stats.ms = performance.now() - started;
  return stats;
}

function attempt(fn: () => unknown): unknown {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e;
  }
}

/** A protocol response decoder over its seeds. */
export function protocolTarget(
  api: ApiMessage<unknown, unknown>,
  seeds: readonly FrameSeed[],
  universe: readonly number[],
): Target {
  const pool = seeds.map((s) => s.frame);
  return {
    name: `${api.name} response`,
    run(rng) {
      const s = rng.pick(seeds);
      let version = s.version;
      // Now and then: read the bytes as a neighbouring version.
      if (rng.chance(0.1)) {
        const i = universe.indexOf(version) + (rng.chance(0.5) ? 1 : -1);
        if (i >= 0 && i < universe.length) version = universe[i];
      }
      const input = rng.chance(0.03) ? s.frame : mutate(rng, s.frame, pool);
      return {
        input,
        version,
        error: attempt(() => decodeFrame(api, version, input)),
      };
    },
  };
}

/** A versioned data schema's decoder (`decodeVersioned`). */
export function schemaTarget(
  schema: DataSchema<unknown>,
  seeds: readonly Uint8Array[],
): Target {
  return {
    name: `${schema.name} (decodeVersioned)`,
    run(rng) {
      const input = mutate(rng, rng.pick(seeds), seeds);
      return { input, error: attempt(() => decodeVersioned(schema, input)) };
    },
  };
}

/** Seeds of the two consumer-protocol schemas, from the model. */
export function schemaSeeds(
  seed: number,
): [DataSchema<unknown>, Uint8Array[]][] {
  return dataCases().map((d) => {
    const seeds: Uint8Array[] = [];
    for (let v = d.schema.minVersion; v <= d.schema.maxVersion; v++) {
      for (
        const m of fc.sample(structArb(d.model.root, v), {
          numRuns: 3,
          seed: seed + v,
        })
      ) {
        seeds.push(encodeVersioned(d.schema, v, m).slice());
      }
    }
    return [d.schema, seeds];
  });
}

const enc = new TextEncoder();

/** The known-good inputs of the health checks and what they decode to. */
const GOOD_VALUES = Array.from(
  { length: 20 },
  (_, i) => `good ${i} `.repeat(i),
);
let goodBatch: Uint8Array | undefined;
let goodZstd: Uint8Array | undefined;
const GOOD_TEXT = enc.encode("known good ".repeat(500));

/** Decodes the known-good batch and compressed text; throws when they come out wrong. */
export function codecHealthCheck(): void {
  goodBatch ??= concat(
    encodeRecords({
      baseOffset: 0,
      compression: CompressionType.ZSTD,
      records: GOOD_VALUES.map((v) => ({ key: null, value: enc.encode(v) })),
    }),
    encodeRecords({
      baseOffset: 20,
      compression: CompressionType.LZ4,
      records: [{ key: enc.encode("k"), value: enc.encode("lz4") }],
    }),
  );
  goodZstd ??= compress(CompressionType.ZSTD, GOOD_TEXT);
  const { records } = decodeRecords(goodBatch);
  const dec = new TextDecoder();
  if (records.length !== 21) throw new Error(`${records.length} records`);
  for (let i = 0; i < 20; i++) {
    if (dec.decode(records[i].value!) !== GOOD_VALUES[i]) {
      throw new Error(`record ${i} decoded wrong`);
    }
  }
  if (records[20].offset !== 20 || dec.decode(records[20].value!) !== "lz4") {
    throw new Error("the lz4 batch decoded wrong");
  }
  const text = decompress(CompressionType.ZSTD, goodZstd);
  if (text.length !== GOOD_TEXT.length || text[7] !== GOOD_TEXT[7]) {
    throw new Error("zstd decompressed wrong");
  }
}

/** Mutates a record set: bytes, bytes with checksums fixed, or the inside of a batch. */
function mutateRecords(
  rng: Rng,
  seeds: readonly Uint8Array[],
): Uint8Array {
  const s = rng.pick(seeds);
  const k = rng.int(10);
  if (k < 3) {
    const inner = mutateInsideBatch(rng, s, seeds);
    if (inner) return inner;
  }
  const m = mutate(rng, s, seeds);
  return k < 7 ? fixChecksums(m) : m;
}

const MiB = 2 ** 20;

/** `decodeRecords` or `decodeMessages` over the record-set seeds. */
export function recordsTarget(
  which: "decodeRecords" | "decodeMessages",
  seeds: readonly Uint8Array[],
): Target {
  return {
    name: which,
    run(rng) {
      const input = mutateRecords(rng, seeds);
      const verifyCrc = rng.chance(0.3);
      const maxDecompressedBytes = rng.chance(0.9) ? MiB : 16 * MiB;
      const minOffset = rng.chance(0.2) ? rng.int(200) : undefined;
      return {
        input,
        error: attempt(() =>
          which === "decodeRecords"
            ? decodeRecords(input, {
              verifyCrc,
              maxDecompressedBytes,
              minOffset,
              includeControlRecords: rng.chance(0.3),
            })
            : decodeMessages(input, {
              topic: "t",
              partition: 3,
              verifyCrc,
              maxDecompressedBytes,
              minOffset,
            })
        ),
      };
    },
    healthCheck: codecHealthCheck,
  };
}

const CODEC_NAMES = ["none", "gzip", "snappy", "lz4", "zstd"];

/** The compressed payloads (after the 61-byte header) of the v2 batches of `sets` with `codec`. */
function payloads(
  sets: readonly Uint8Array[],
  codec: CompressionType,
): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const b of sets) {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    let p = 0;
    while (p + 61 <= b.length) {
      const end = p + 12 + dv.getInt32(p + 8);
      if (end > b.length || end < p + 61) break;
      if (b[p + 16] === 2 && (dv.getInt16(p + 21) & 7) === codec) {
        out.push(b.slice(p + 61, end));
      }
      p = end;
    }
  }
  return out;
}

/** `decompress` of one codec over compressed inputs. */
export function decompressTarget(
  codec: CompressionType,
  recordSets: readonly Uint8Array[],
): Target {
  const seeds = [...compressedInputs(codec), ...payloads(recordSets, codec)];
  return {
    name: `decompress ${CODEC_NAMES[codec]}`,
    run(rng) {
      const input = mutate(rng, rng.pick(seeds), seeds);
      const maxDecompressedBytes = rng.chance(0.95) ? MiB : 8 * MiB;
      return {
        input,
        error: attempt(() =>
          decompress(codec, input, { maxDecompressedBytes })
        ),
      };
    },
    healthCheck: codecHealthCheck,
  };
}

/** Every decoder's target, seeded. */
export async function allTargets(seed: number): Promise<Target[]> {
  const targets: Target[] = [];
  for (const { api, seeds } of await apiSeeds(seed)) {
    const universe: number[] = [];
    for (let v = api.minVersion; v <= api.maxVersion; v++) universe.push(v);
    targets.push(protocolTarget(api, seeds, universe));
  }
  for (const [schema, seeds] of schemaSeeds(seed)) {
    targets.push(schemaTarget(schema, seeds));
  }
  const sets = [...encodedRecordSets(), ...(await capturedRecordSets())];
  targets.push(recordsTarget("decodeRecords", sets));
  targets.push(recordsTarget("decodeMessages", sets));
  for (
    const codec of [
      CompressionType.NONE,
      CompressionType.GZIP,
      CompressionType.SNAPPY,
      CompressionType.LZ4,
      CompressionType.ZSTD,
    ]
  ) {
    targets.push(decompressTarget(codec, sets));
  }
  return targets;
}

/** A one-line summary of a decoder's run. */
export function summary(s: DecoderStats): string {
  const typed = [...s.typed].sort((a, b) => b[1] - a[1]).map(([n, c]) =>
    `${n} ${c}`
  ).join(", ");
  return `${s.decoder}: ${s.cases} cases in ${
    (s.ms / 1000).toFixed(1)
  } s, ${s.decoded} decoded, typed errors: ${
    typed || "none"
  }; ${s.findings.length} findings${
    s.healthChecks ? `; ${s.healthChecks} health checks` : ""
  }`;
}
