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
  headersAt,
  type RawDecoded,
  type RecordBatchInfo,
  viewAt,
} from "./decode_records.ts";
import {
  checkLimit,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  failureToError,
} from "./_util.ts";

const { REC_F64, REC_I32 } = ROW;

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
    const o = REC_I32 * r;
    const b = recI[o + 6];
    const key = viewAt(bytes, data, recI[o], recI[o + 1]);
    const value = viewAt(bytes, data, recI[o + 2], recI[o + 3]);
    const headers = headersAt(bytes, data, recI, hdr, o);
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

/** The index of a set without records (fewer than 12 bytes, or none complete). */
export const NO_RECORDS: RawDecoded = {
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
