import type { CompressionType } from "./compression_type.ts";
import { withWasm } from "./_wasm.ts";
import { checkCompressionType, failureToError } from "./_util.ts";

/** One record to encode. */
export interface RecordInput {
  /** The key, or `null`. */
  key: Uint8Array | null;
  /** The value, or `null` (a tombstone on compacted topics). */
  value: Uint8Array | null;
  /** Headers as `[key, value]` pairs (RecordBatch v2 only). */
  headers?: readonly (readonly [string, Uint8Array | null])[];
  /** The timestamp in ms since the epoch (default: the set's `timestamp`). */
  timestamp?: number;
}

/** What {@link encodeRecords} encodes. */
export interface EncodeRecordsInput {
  /** The records, in offset order (at least one). */
  records: readonly RecordInput[];
  /** The record format: 0 and 1 are MessageSet v0/v1, 2 is RecordBatch v2 (default). */
  magic?: 0 | 1 | 2;
  /** The codec (default `CompressionType.NONE`). */
  compression?: CompressionType;
  /** The codec's level (0 or absent: the codec's default; see {@link CompressOptions}). */
  compressionLevel?: number;
  /** The offset of the first record (default 0; brokers assign real offsets). */
  baseOffset?: number;
  /** Idempotent/transactional producer id (v2; default -1, none). */
  producerId?: number;
  /** The producer epoch (v2; default -1). */
  producerEpoch?: number;
  /** The sequence number of the first record (v2; default -1). */
  baseSequence?: number;
  /** Mark the batch transactional (v2; default `false`). */
  isTransactional?: boolean;
  /** The timestamp of records that have none (default `Date.now()`). */
  timestamp?: number;
}

const te = new TextEncoder();

function checkBytes(v: unknown, what: string, i: number): Uint8Array | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return v;
  throw new TypeError(
    `Cannot encode record ${i}: ${what} must be a Uint8Array or null`,
  );
}

function checkInt(
  v: number | undefined,
  fallback: number,
  min: number,
  max: number,
  what: string,
): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(
      `Cannot encode records: ${what} ${v} is outside ${min}..${max}`,
    );
  }
  return v;
}

/**
 * Encodes a partition's records into the bytes of a Produce request's
 * `records` field: a RecordBatch v2 (magic 2, default; varints, headers,
 * producer id/epoch/sequence for idempotence), or a MessageSet v0/v1 (a
 * compressed wrapper message with relative inner offsets for v1), compressed
 * and checksummed (CRC-32C for v2, CRC-32 for v0/v1) in WebAssembly.
 *
 * Record bytes are written straight into WebAssembly memory and the result is
 * copied out once.
 *
 * @param input the records and the batch settings
 * @returns the encoded record set
 * @throws {RangeError} on an empty record list, headers or zstd with magic 0/1,
 *   a timestamp or offset that is not a safe integer
 * @throws {TypeError} when a key, value or header value is not a `Uint8Array` or `null`
 *
 * @example
 * ```ts
 * import { CompressionType, decodeRecords, encodeRecords } from "./mod.ts";
 * const enc = new TextEncoder();
 * const bytes = encodeRecords({
 *   compression: CompressionType.ZSTD,
 *   records: [
 *     { key: enc.encode("k"), value: enc.encode("v1"), headers: [["trace", enc.encode("1")]] },
 *     { key: null, value: enc.encode("v2"), timestamp: 1700000000000 },
 *   ],
 * });
 * const { records } = decodeRecords(bytes);
 * console.assert(records.length === 2 && records[1].timestamp === 1700000000000);
 * ```
 */
export function encodeRecords(input: EncodeRecordsInput): Uint8Array {
  const records = input.records;
  const n = records.length;
  if (n === 0) throw new RangeError("Cannot encode an empty record set");
  const magic = input.magic ?? 2;
  if (magic !== 0 && magic !== 1 && magic !== 2) {
    throw new RangeError(
      `Cannot encode records with magic ${magic}: expected 0, 1 or 2`,
    );
  }
  const codec = checkCompressionType(input.compression ?? 0);
  if (codec === 4 && magic !== 2) {
    throw new RangeError(
      `Cannot encode records: zstd needs magic 2, not ${magic}`,
    );
  }
  const level = checkInt(
    input.compressionLevel,
    0,
    -131072,
    22,
    "compressionLevel",
  );
  const baseOffset = checkInt(
    input.baseOffset,
    0,
    0,
    Number.MAX_SAFE_INTEGER,
    "baseOffset",
  );
  const producerId = checkInt(
    input.producerId,
    -1,
    -1,
    Number.MAX_SAFE_INTEGER,
    "producerId",
  );
  const producerEpoch = checkInt(
    input.producerEpoch,
    -1,
    -1,
    32767,
    "producerEpoch",
  );
  const baseSequence = checkInt(
    input.baseSequence,
    -1,
    -1,
    2147483647,
    "baseSequence",
  );
  const defaultTs = input.timestamp ?? Date.now();

  // Pass 1: sizes (header keys at 3 bytes per UTF-16 unit, the UTF-8 worst case).
  let h = 0;
  let bound = 0;
  for (let i = 0; i < n; i++) {
    const r = records[i];
    const k = checkBytes(r.key, "key", i);
    const v = checkBytes(r.value, "value", i);
    if (k !== null) bound += k.length;
    if (v !== null) bound += v.length;
    const hs = r.headers;
    if (hs !== undefined && hs.length > 0) {
      if (magic !== 2) {
        throw new RangeError(
          `Cannot encode record ${i}: headers need magic 2, not ${magic}`,
        );
      }
      for (let j = 0; j < hs.length; j++) {
        const hk = hs[j][0];
        if (typeof hk !== "string") {
          throw new TypeError(
            `Cannot encode record ${i}: header keys must be strings`,
          );
        }
        bound += hk.length * 3;
        const hv = checkBytes(hs[j][1], "a header value", i);
        if (hv !== null) bound += hv.length;
        h++;
      }
    }
  }
  const bytesOff = 20 * n + 8 * h;

  return withWasm((w) => {
    const base = w.reserve(bytesOff + bound);
    const buf = w.buffer;
    const u8 = w.u8;
    const ts = new Float64Array(buf, base, n);
    const desc = new Int32Array(buf, base + 8 * n, 3 * n + 2 * h);
    const hdrAt = 3 * n;
    let hi = 0;
    let p = base + bytesOff;
    for (let i = 0; i < n; i++) {
      const r = records[i];
      ts[i] = r.timestamp ?? defaultTs;
      const k = r.key ?? null;
      const v = r.value ?? null;
      const d = 3 * i;
      if (k === null) {
        desc[d] = -1;
      } else {
        desc[d] = k.length;
        u8.set(k, p);
        p += k.length;
      }
      if (v === null) {
        desc[d + 1] = -1;
      } else {
        desc[d + 1] = v.length;
        u8.set(v, p);
        p += v.length;
      }
      const hs = r.headers;
      const hc = hs === undefined ? 0 : hs.length;
      desc[d + 2] = hc;
      for (let j = 0; j < hc; j++) {
        const [hk, hv] = hs![j];
        let len = 0;
        let ascii = true;
        for (let c = 0; c < hk.length; c++) {
          const code = hk.charCodeAt(c);
          if (code >= 0x80) {
            ascii = false;
            break;
          }
          u8[p + c] = code;
        }
        if (ascii) {
          len = hk.length;
        } else {
          len = te.encodeInto(hk, u8.subarray(p, p + hk.length * 3)).written;
        }
        p += len;
        desc[hdrAt + 2 * hi] = len;
        if (hv === null || hv === undefined) {
          desc[hdrAt + 2 * hi + 1] = -1;
        } else {
          desc[hdrAt + 2 * hi + 1] = hv.length;
          u8.set(hv, p);
          p += hv.length;
        }
        hi++;
      }
    }
    const rc = w.exports.dk_encode(
      n,
      h,
      p - base - bytesOff,
      magic,
      codec,
      level,
      0,
      baseOffset,
      producerId,
      producerEpoch,
      baseSequence,
      input.isTransactional ? 1 : 0,
    );
    if (rc < 0) throw failureToError(w.failure(), {});
    return w.output();
  });
}
