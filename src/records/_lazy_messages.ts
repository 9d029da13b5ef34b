// Internal: the consumer's messages of one fetched record set, built one at
// a time as they are taken (`at(i)`), from the decoder's index (copied out
// of WebAssembly memory, or handed over by a decode worker). Queued
// prefetch then holds bytes and a compact index instead of objects, so the
// garbage collector does not trace (and promote) every queued message.

import type { CompressionType } from "./compression_type.ts";
import type { TimestampType } from "./timestamp_type.ts";
import { ROW } from "../../wasm/denokafka_codec_constants.generated.ts";
import { Message } from "./message.ts";
import { withWasm } from "./_wasm.ts";
import {
  batchInfos,
  decodeFlags,
  decodeIndex,
  type DecodeMessagesOptions,
  emptyDecoded,
  headerKey,
  type RawDecoded,
  type RecordBatchInfo,
} from "./decode_records.ts";
import {
  checkLimit,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  failureToError,
} from "./_util.ts";

const { REC_F64, REC_I32, HDR_I32 } = ROW;

type Raw = Message<Uint8Array | null, Uint8Array | null>;

/** The messages of one record set, built on demand. */
export class LazyMessages {
  /** How many messages (after `keep`). */
  readonly length: number;
  readonly #raw: RawDecoded;
  readonly #bytes: Uint8Array;
  readonly #topic: string;
  readonly #partition: number;
  readonly #keep: Int32Array | undefined;
  readonly #magic: (0 | 1 | 2)[];
  readonly #codec: CompressionType[];
  readonly #tsType: TimestampType[];

  /**
   * @param raw the index (owned: not a view into WebAssembly memory)
   * @param bytes the record set the index describes
   * @param keep the records to deliver (indexes into `raw`), default all
   */
  constructor(
    raw: RawDecoded,
    bytes: Uint8Array,
    topic: string,
    partition: number,
    batches: {
      batchMagic: (0 | 1 | 2)[];
      batchCodec: CompressionType[];
      batchTsType: TimestampType[];
    },
    keep?: Int32Array,
  ) {
    this.#raw = raw;
    this.#bytes = bytes;
    this.#topic = topic;
    this.#partition = partition;
    this.#keep = keep;
    this.#magic = batches.batchMagic;
    this.#codec = batches.batchCodec;
    this.#tsType = batches.batchTsType;
    this.length = keep ? keep.length : raw.records;
  }

  /** The same record set without the records `skip` marks (1). */
  without(skip: Uint8Array): LazyMessages {
    const keep: number[] = [];
    for (let i = 0; i < this.length; i++) {
      const r = this.#keep ? this.#keep[i] : i;
      if (skip[r] === 0) keep.push(r);
    }
    return new LazyMessages(
      this.#raw,
      this.#bytes,
      this.#topic,
      this.#partition,
      {
        batchMagic: this.#magic,
        batchCodec: this.#codec,
        batchTsType: this.#tsType,
      },
      Int32Array.from(keep),
    );
  }

  /** Builds message `i` (0 <= i < length). */
  at(i: number): Raw {
    const r = this.#keep ? this.#keep[i] : i;
    const { recF, recI, hdr, data } = this.#raw;
    const bytes = this.#bytes;
    const inLen = bytes.length;
    const inBuf = bytes.buffer as ArrayBuffer;
    const inOff = bytes.byteOffset;
    const dataBuf = data.buffer as ArrayBuffer;
    const dataOff = data.byteOffset;
    const o = REC_I32 * r;
    const keyPos = recI[o];
    const keyLen = recI[o + 1];
    const valPos = recI[o + 2];
    const valLen = recI[o + 3];
    const hc = recI[o + 5];
    const b = recI[o + 6];
    let key: Uint8Array | null = null;
    if (keyLen >= 0) {
      key = keyPos < inLen
        ? new Uint8Array(inBuf, inOff + keyPos, keyLen)
        : new Uint8Array(dataBuf, dataOff + keyPos - inLen, keyLen);
    }
    let value: Uint8Array | null = null;
    if (valLen >= 0) {
      value = valPos < inLen
        ? new Uint8Array(inBuf, inOff + valPos, valLen)
        : new Uint8Array(dataBuf, dataOff + valPos - inLen, valLen);
    }
    const headers: [string, Uint8Array | null][] = [];
    if (hc > 0) {
      let hIdx = HDR_I32 * recI[o + 4];
      for (let j = 0; j < hc; j++, hIdx += HDR_I32) {
        const kp = hdr[hIdx];
        const kl = hdr[hIdx + 1];
        const vp = hdr[hIdx + 2];
        const vl = hdr[hIdx + 3];
        const hk = kp < inLen
          ? headerKey(bytes, kp, kl)
          : headerKey(data, kp - inLen, kl);
        let hv: Uint8Array | null = null;
        if (vl >= 0) {
          hv = vp < inLen
            ? new Uint8Array(inBuf, inOff + vp, vl)
            : new Uint8Array(dataBuf, dataOff + vp - inLen, vl);
        }
        headers.push([hk, hv]);
      }
    }
    return new Message({
      value,
      partitionKey: key,
      offset: recF[REC_F64 * r],
      partitionId: this.#partition,
      topic: this.#topic,
      timestamp: recF[REC_F64 * r + 1],
      timestampType: this.#tsType[b],
      headers,
      compressionType: this.#codec[b],
      protocolVersion: this.#magic[b],
    });
  }
}

/** A record set decoded for the consumer: `decodeMessages`'s result, messages built on demand. */
export interface LazyDecoded {
  messages: LazyMessages;
  batches: RecordBatchInfo[];
  nextOffset: number | null;
  bytesConsumed: number;
  partialBatch: boolean;
}

/** The lazy result of an index of `bytes` (owned, not WebAssembly memory). */
export function lazyDecoded(
  raw: RawDecoded,
  bytes: Uint8Array,
  topic: string,
  partition: number,
): LazyDecoded {
  const infos = batchInfos(raw);
  return {
    messages: new LazyMessages(raw, bytes, topic, partition, infos),
    batches: infos.batches,
    nextOffset: raw.next >= 0 ? raw.next : null,
    bytesConsumed: raw.consumed,
    partialBatch: raw.consumed < bytes.length,
  };
}

const NO_RECORDS: RawDecoded = {
  records: 0,
  headers: 0,
  batches: 0,
  consumed: 0,
  next: -1,
  recF: new Float64Array(0),
  recI: new Int32Array(0),
  hdr: new Int32Array(0),
  batF: new Float64Array(0),
  batI: new Int32Array(0),
  data: new Uint8Array(0),
};

/**
 * `decodeMessages` with the messages built on demand: the same decoding
 * (checksums, decompression, `minOffset`) and the same errors.
 */
export function decodeMessagesLazy(
  bytes: Uint8Array,
  options: DecodeMessagesOptions,
): LazyDecoded {
  const limit = checkLimit(
    options.maxDecompressedBytes,
    DEFAULT_MAX_DECOMPRESSED_BYTES,
    "maxDecompressedBytes",
  );
  if (bytes.length < 12) {
    const empty = emptyDecoded(bytes.length);
    return {
      ...lazyDecoded(NO_RECORDS, bytes, options.topic, options.partition),
      partialBatch: empty.partialBatch,
    };
  }
  const raw = withWasm((w) =>
    decodeIndex(
      w,
      bytes,
      decodeFlags(options),
      limit,
      options.minOffset ?? -Infinity,
      true,
    )
  );
  if (!("recF" in raw)) {
    throw failureToError(raw, {
      topic: options.topic,
      partition: options.partition,
    }, limit);
  }
  return lazyDecoded(raw, bytes, options.topic, options.partition);
}
