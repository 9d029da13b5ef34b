import type { CompressionType } from "./compression_type.ts";
import type { TimestampType } from "./timestamp_type.ts";
import { ROW } from "../../wasm/denokafka_codec_constants.generated.ts";
import { SLOT, type Wasm, type WasmFailure, withWasm } from "./_wasm.ts";
import { Message } from "./message.ts";
import {
  callLimit,
  checkLimit,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  failureToError,
} from "./_util.ts";
import type { DecompressionBudget } from "./decompression_budget.ts";

/** Options of {@link decodeRecords}. */
export interface DecodeRecordsOptions {
  /** The topic the bytes came from (named in errors). */
  topic?: string;
  /** The partition the bytes came from (named in errors). */
  partition?: number;
  /** Verify CRC-32C (v2) and CRC-32 (v0/v1) checksums (default `true`). */
  verifyCrc?: boolean;
  /**
   * Fail with `CorruptRecordError` instead of decompressing more than this many
   * bytes in one call (default 64 MiB): a zip bomb gives an error, not an
   * out-of-memory crash.
   */
  maxDecompressedBytes?: number;
  /**
   * A budget shared by the decode calls of one fetch response (see
   * {@linkcode DecompressionBudget}): this call decompresses at most what is
   * left of it (and of `maxDecompressedBytes`), and takes what it
   * decompressed off. Running out is a `DecompressionBudgetError`.
   */
  decompressionBudget?: DecompressionBudget;
  /**
   * Leave out records below this offset (a fetch returns whole batches, which
   * may start before the requested offset). Default: keep all.
   */
  minOffset?: number;
  /** Also return the records of control batches (transaction markers), flagged `isControl`. Default `false`. */
  includeControlRecords?: boolean;
}

/** A decoded record, ready to become a consumer `Message`. */
export interface DecodedRecord {
  /** The record's absolute offset. */
  offset: number;
  /** The timestamp in ms since the epoch (-1 for MessageSet v0). */
  timestamp: number;
  /** Where the timestamp comes from. */
  timestampType: TimestampType;
  /** The key, or `null`. */
  key: Uint8Array | null;
  /** The value, or `null`. */
  value: Uint8Array | null;
  /** Headers as `[key, value]` pairs (always empty for magic 0/1). */
  headers: [string, Uint8Array | null][];
  /** The record format it was read from (0, 1 or 2). */
  magic: 0 | 1 | 2;
  /** The codec of its batch. */
  compression: CompressionType;
  /** Present (`true`) only for control records, with `includeControlRecords`. */
  isControl?: boolean;
}

/** What the consumer needs to know about each batch (or legacy wrapper/message). */
export interface RecordBatchInfo {
  /** The first offset of the batch. */
  baseOffset: number;
  /** The last offset of the batch (also when compaction removed records). */
  lastOffset: number;
  /** The record format (0, 1 or 2). */
  magic: 0 | 1 | 2;
  /** The codec. */
  compression: CompressionType;
  /** The timestamp type of the batch. */
  timestampType: TimestampType;
  /** The batch's base timestamp (v2) or the message's timestamp (v0/v1). */
  baseTimestamp: number;
  /** The batch's maximum timestamp. */
  maxTimestamp: number;
  /** The transactional bit (v2). */
  isTransactional: boolean;
  /** The control bit (v2): the batch holds a transaction marker, not data. */
  isControl: boolean;
  /** For control batches: 0 ABORT, 1 COMMIT (others are KRaft-internal); -1 otherwise. */
  controlType: number;
  /** The producer id (-1 if none). */
  producerId: number;
  /** The producer epoch (-1 if none). */
  producerEpoch: number;
  /** The first sequence number (-1 if none). */
  baseSequence: number;
  /** The leader epoch stamped by the broker (-1 if none). */
  partitionLeaderEpoch: number;
  /** The number of records the batch holds. */
  recordCount: number;
  /** The index of its first record in `records` (meaningful when `decodedRecords > 0`). */
  firstRecord: number;
  /** How many of its records are in `records` (after `minOffset` and control filtering). */
  decodedRecords: number;
  /** The byte position of the batch in the input. */
  bytePosition: number;
}

/** The result of {@link decodeRecords}. */
export interface DecodedRecords {
  /** Every data record of every complete batch, in order. */
  records: DecodedRecord[];
  /** Every complete batch, including control and empty (compacted) ones. */
  batches: RecordBatchInfo[];
  /**
   * The offset to fetch next: one past the last complete batch (control and
   * fully filtered batches included), or `null` when no batch was complete.
   */
  nextOffset: number | null;
  /** Bytes taken by complete batches. */
  bytesConsumed: number;
  /**
   * `true` when bytes after the last complete batch were ignored (the broker
   * cut the response inside a batch). With no complete batch at all, the
   * fetch size is too small for the next batch.
   */
  partialBatch: boolean;
}

/** Options of {@link decodeMessages}: those of `decodeRecords` with the topic and partition required. */
export interface DecodeMessagesOptions
  extends Omit<DecodeRecordsOptions, "includeControlRecords"> {
  /** The topic the bytes came from (set on every message). */
  topic: string;
  /** The partition the bytes came from (set on every message). */
  partition: number;
}

/** The result of {@link decodeMessages}. */
export interface DecodedMessages {
  /** Every data record of every complete batch, in order, as a `Message`. */
  messages: Message[];
  /** Every complete batch (`firstRecord` / `decodedRecords` index `messages`). */
  batches: RecordBatchInfo[];
  /** As in {@link DecodedRecords.nextOffset}. */
  nextOffset: number | null;
  /** Bytes taken by complete batches. */
  bytesConsumed: number;
  /** As in {@link DecodedRecords.partialBatch}. */
  partialBatch: boolean;
}

const td = new TextDecoder();

export function headerKey(src: Uint8Array, pos: number, len: number): string {
  if (len <= 24) {
    let s = "";
    for (let i = 0; i < len; i++) {
      const c = src[pos + i];
      if (c >= 0x80) return td.decode(src.subarray(pos, pos + len));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return td.decode(src.subarray(pos, pos + len));
}

const EMPTY = new Uint8Array(0);

// Slots per record, header and batch in the decoder's index (`pub mod row`
// in wasm/src/decode.rs, generated into the WASM constants).
const { REC_F64, REC_I32, HDR_I32, BATCH_F64, BATCH_I32 } = ROW;

/**
 * Decodes a fetched record set: any mix of RecordBatch v2 and MessageSet
 * v0/v1 (compressed wrappers included), verifying checksums, with absolute
 * offsets everywhere. Control batches are skipped (see
 * `includeControlRecords`); a truncated trailing batch is ignored, as Kafka
 * clients do.
 *
 * Parsing, checksums and decompression run in WebAssembly, which returns a
 * compact index; decompressed bytes are copied out once. Keys, values and
 * header values are views: into `bytes`'s buffer for uncompressed batches
 * (so do not reuse `bytes` while the records are alive) and into one copy of
 * the decompressed data otherwise.
 *
 * @param bytes the `records` field of a Fetch response partition
 * @param options location for errors, CRC checking, the decompression bound
 * @returns the records, per-batch info and the next offset to fetch
 * @throws {CorruptRecordError} on a checksum mismatch, malformed bytes, an
 *   offset or timestamp beyond `Number.MAX_SAFE_INTEGER`, or decompressed
 *   data above `maxDecompressedBytes`; the message names topic, partition and offset
 * @throws {DecompressionBudgetError} when decompressing would exceed what is
 *   left of `decompressionBudget`
 * @throws {CodecMemoryError} when the memory to decode it cannot be had
 * @throws {UnsupportedCompressionType} on an unknown codec id
 *
 * @example
 * ```ts
 * import { decodeRecords, encodeRecords } from "./mod.ts";
 * const bytes = encodeRecords({
 *   baseOffset: 40,
 *   records: [{ key: null, value: new Uint8Array([1, 2, 3]) }],
 * });
 * const { records, nextOffset } = decodeRecords(bytes, { topic: "t", partition: 0 });
 * console.assert(records[0].offset === 40 && nextOffset === 41);
 * ```
 */
export function decodeRecords(
  bytes: Uint8Array,
  options: DecodeRecordsOptions = {},
): DecodedRecords {
  const { items, ...rest } = decode(bytes, options, undefined);
  return { records: items as DecodedRecord[], ...rest };
}

/**
 * {@link decodeRecords} for consumers: the same decoding, with each record
 * built straight into a `Message` of `options.topic` / `options.partition`
 * (one object per record instead of two). Control records are never
 * included.
 *
 * @param bytes the `records` field of a Fetch response partition
 * @param options topic and partition, CRC checking, the decompression bound
 * @returns the messages, per-batch info and the next offset to fetch
 * @throws {CorruptRecordError} as {@link decodeRecords}
 * @throws {UnsupportedCompressionType} on an unknown codec id
 *
 * @example
 * ```ts
 * import { decodeMessages, encodeRecords } from "./mod.ts";
 * const bytes = encodeRecords({
 *   baseOffset: 7,
 *   records: [{ key: null, value: new Uint8Array([1, 2, 3]) }],
 * });
 * const { messages } = decodeMessages(bytes, { topic: "t", partition: 2 });
 * console.assert(messages[0].offset === 7 && messages[0].partitionId === 2);
 * ```
 */
export function decodeMessages(
  bytes: Uint8Array,
  options: DecodeMessagesOptions,
): DecodedMessages {
  const { items, ...rest } = decode(
    bytes,
    { ...options, includeControlRecords: false },
    { topic: options.topic, partitionId: options.partition },
  );
  return { messages: items as Message[], ...rest };
}

/** What the decoder returns (internal): records or messages. */
export interface Decoded {
  items: (DecodedRecord | Message)[];
  batches: RecordBatchInfo[];
  nextOffset: number | null;
  bytesConsumed: number;
  partialBatch: boolean;
}

/**
 * The decoder's index of one record set (internal): counts, the per-record,
 * per-header and per-batch rows (`ROW` in the WASM constants) and the
 * decompressed data. Positions below the input's length point into the
 * input, the others into `data` (minus the input's length).
 */
export interface RawDecoded {
  records: number;
  headers: number;
  batches: number;
  consumed: number;
  next: number;
  recF: Float64Array;
  recI: Int32Array;
  hdr: Int32Array;
  batF: Float64Array;
  batI: Int32Array;
  data: Uint8Array;
}

/** The `dk_decode` flags of `options`. */
export function decodeFlags(options: DecodeRecordsOptions): number {
  return (options.verifyCrc === false ? 0 : 1) |
    (options.includeControlRecords ? 2 : 0);
}

/**
 * Runs the WebAssembly decoder over `bytes` (at least 12 bytes): its index,
 * as copies (`copy`, to hand to another thread) or as views into WebAssembly
 * memory (valid until the next call into the module); a `WasmFailure` when
 * the bytes are corrupt or above `limit`.
 */
export function decodeIndex(
  w: Wasm,
  bytes: Uint8Array,
  flags: number,
  limit: number,
  minOffset: number,
  copy: boolean,
): RawDecoded | WasmFailure {
  w.write(bytes);
  const rc = w.exports.dk_decode(bytes.length, flags, limit, minOffset);
  if (rc < 0) return w.failure();
  const res = w.result;
  const n = res[SLOT.RECORDS];
  const nh = res[SLOT.HEADERS];
  const nb = res[SLOT.BATCHES];
  const dataLen = res[SLOT.DATA_LEN];
  const buf = w.buffer;
  const dataPtr = res[SLOT.DATA_PTR];
  const recF = new Float64Array(buf, res[SLOT.REC_F64_PTR], REC_F64 * n);
  const recI = new Int32Array(buf, res[SLOT.REC_I32_PTR], REC_I32 * n);
  const hdr = new Int32Array(buf, res[SLOT.HDR_PTR], HDR_I32 * nh);
  const batF = new Float64Array(buf, res[SLOT.BATCH_F64_PTR], BATCH_F64 * nb);
  const batI = new Int32Array(buf, res[SLOT.BATCH_I32_PTR], BATCH_I32 * nb);
  return {
    records: n,
    headers: nh,
    batches: nb,
    consumed: res[SLOT.CONSUMED],
    next: res[SLOT.NEXT_OFFSET],
    recF: copy ? recF.slice() : recF,
    recI: copy ? recI.slice() : recI,
    hdr: copy ? hdr.slice() : hdr,
    batF: copy ? batF.slice() : batF,
    batI: copy ? batI.slice() : batI,
    // The data is always copied out: the records keep views into it.
    data: dataLen > 0 ? w.u8.slice(dataPtr, dataPtr + dataLen) : EMPTY,
  };
}

/** The decoder behind both: records, or messages of `as` when given. */
function decode(
  bytes: Uint8Array,
  options: DecodeRecordsOptions,
  as: { topic: string; partitionId: number } | undefined,
): Decoded {
  const budget = options.decompressionBudget;
  const given = checkLimit(
    options.maxDecompressedBytes,
    DEFAULT_MAX_DECOMPRESSED_BYTES,
    "maxDecompressedBytes",
  );
  const limit = callLimit(given, budget);
  const minOffset = options.minOffset ?? -Infinity;
  const inLen = bytes.length;
  if (inLen < 12) return emptyDecoded(inLen);
  return withWasm((w) => {
    const raw = decodeIndex(
      w,
      bytes,
      decodeFlags(options),
      limit,
      minOffset,
      false,
    );
    if (!("recF" in raw)) {
      throw failureToError(
        raw,
        {
          topic: options.topic,
          partition: options.partition,
        },
        given,
        budget,
      );
    }
    budget?.spend(raw.data.length);
    return buildDecoded(raw, bytes, as);
  });
}

/** The result for fewer than 12 bytes (no batch can be complete). */
export function emptyDecoded(inLen: number): Decoded {
  return {
    items: [],
    batches: [],
    nextOffset: null,
    bytesConsumed: 0,
    partialBatch: inLen > 0,
  };
}

/** The per-batch info of an index, and each batch's format, codec and timestamp type. */
export interface BatchInfos {
  batches: RecordBatchInfo[];
  batchMagic: (0 | 1 | 2)[];
  batchCodec: CompressionType[];
  batchTsType: TimestampType[];
}

/** Reads the batch rows of the decoder's index. */
export function batchInfos(raw: RawDecoded): BatchInfos {
  const nb = raw.batches;
  const { batF, batI } = raw;
  const batches: RecordBatchInfo[] = new Array(nb);
  const batchMagic: (0 | 1 | 2)[] = new Array(nb);
  const batchCodec: CompressionType[] = new Array(nb);
  const batchTsType: TimestampType[] = new Array(nb);
  for (let b = 0; b < nb; b++) {
    const f = BATCH_F64 * b;
    const i = BATCH_I32 * b;
    const magic = batI[i] as 0 | 1 | 2;
    const attrs = batI[i + 1];
    const codec = (attrs & 7) as CompressionType;
    const tsType = (magic === 0 ? -1 : (attrs >> 3) & 1) as TimestampType;
    batchMagic[b] = magic;
    batchCodec[b] = codec;
    batchTsType[b] = tsType;
    batches[b] = {
      baseOffset: batF[f],
      lastOffset: batF[f + 1],
      magic,
      compression: codec,
      timestampType: tsType,
      baseTimestamp: batF[f + 2],
      maxTimestamp: batF[f + 3],
      isTransactional: magic === 2 && (attrs & 0x10) !== 0,
      isControl: magic === 2 && (attrs & 0x20) !== 0,
      controlType: batI[i + 7],
      producerId: batF[f + 4],
      producerEpoch: batI[i + 5],
      baseSequence: batI[i + 6],
      partitionLeaderEpoch: batI[i + 4],
      recordCount: batI[i + 8],
      firstRecord: batI[i + 3],
      decodedRecords: batI[i + 2],
      bytePosition: batI[i + 9],
    };
  }
  return { batches, batchMagic, batchCodec, batchTsType };
}

/**
 * A view (no copy) of `len` bytes at `pos` in the decoder's index, whose
 * positions below the input's length point into `bytes` and the others into
 * `data` (the decompressed bytes); `null` when `len` is negative. Built on
 * the buffers directly (cheaper than `subarray`).
 */
export function viewAt(
  bytes: Uint8Array,
  data: Uint8Array,
  pos: number,
  len: number,
): Uint8Array | null {
  if (len < 0) return null;
  const inLen = bytes.length;
  return pos < inLen
    ? new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset + pos, len)
    : new Uint8Array(
      data.buffer as ArrayBuffer,
      data.byteOffset + pos - inLen,
      len,
    );
}

/** The headers of the record whose index row starts at `o` (`recI[o]`). */
export function headersAt(
  bytes: Uint8Array,
  data: Uint8Array,
  recI: Int32Array,
  hdr: Int32Array,
  o: number,
): [string, Uint8Array | null][] {
  const headers: [string, Uint8Array | null][] = [];
  const hc = recI[o + 5];
  if (hc === 0) return headers;
  const inLen = bytes.length;
  let h = HDR_I32 * recI[o + 4];
  for (let j = 0; j < hc; j++, h += HDR_I32) {
    const kp = hdr[h];
    const kl = hdr[h + 1];
    headers.push([
      kp < inLen ? headerKey(bytes, kp, kl) : headerKey(data, kp - inLen, kl),
      viewAt(bytes, data, hdr[h + 2], hdr[h + 3]),
    ]);
  }
  return headers;
}

/**
 * Builds records (or messages of `as`) from the decoder's index of `bytes`:
 * keys, values and header values are views into `bytes`'s buffer and
 * `raw.data` (no copy).
 */
export function buildDecoded(
  raw: RawDecoded,
  bytes: Uint8Array,
  as: { topic: string; partitionId: number } | undefined,
): Decoded {
  {
    const n = raw.records;
    const consumed = raw.consumed;
    const next = raw.next;
    const { recF, recI, hdr, data } = raw;

    const { batches, batchMagic, batchCodec, batchTsType } = batchInfos(raw);

    const records: (DecodedRecord | Message)[] = new Array(n);
    const topic = as?.topic ?? "";
    const partitionId = as?.partitionId ?? -1;
    for (let r = 0; r < n; r++) {
      const o = REC_I32 * r;
      const b = recI[o + 6];
      const key = viewAt(bytes, data, recI[o], recI[o + 1]);
      const value = viewAt(bytes, data, recI[o + 2], recI[o + 3]);
      const headers = headersAt(bytes, data, recI, hdr, o);
      if (as !== undefined) {
        records[r] = new Message({
          value,
          partitionKey: key,
          offset: recF[REC_F64 * r],
          partitionId,
          topic,
          timestamp: recF[REC_F64 * r + 1],
          timestampType: batchTsType[b],
          headers,
          compressionType: batchCodec[b],
          protocolVersion: batchMagic[b],
        });
        continue;
      }
      const rec: DecodedRecord = {
        offset: recF[REC_F64 * r],
        timestamp: recF[REC_F64 * r + 1],
        timestampType: batchTsType[b],
        key,
        value,
        headers,
        magic: batchMagic[b],
        compression: batchCodec[b],
      };
      if (recI[o + 7] !== 0) rec.isControl = true;
      records[r] = rec;
    }
    return {
      items: records,
      batches,
      nextOffset: next >= 0 ? next : null,
      bytesConsumed: consumed,
      partialBatch: consumed < bytes.length,
    };
  }
}
