// Taking a Fetch response out of a connection's reused read buffers
// (`reuseFrameBuffers`), while the frame is decoded: the fetch engine's
// connections (on the event loop, or in the fetch worker with
// `useWorkers: "sockets"`) read every response into the same buffers.
//
// - A response whose record sets are all compressed is decoded at once:
//   checksums, decompression and the index run over the frame where it
//   was read, and the messages keep only the decompressed data. Nothing of
//   the frame is kept, so the next response is read into the same memory
//   (no new buffer, no zero-fill, no garbage).
// - Any other response keeps its frame (`keepFrame`: the connection gives
//   that buffer up and reads the next big response into a new one), since
//   its messages are views into it: one copy, from the socket into the
//   memory the messages use.

import { keepFrame } from "../network/_framing.ts";
import {
  Fetch,
  type FetchResponse,
  type FetchResponsePartitionData,
  type Reader,
} from "../protocol/mod.ts";
import { ROW } from "../../wasm/denokafka_codec_constants.generated.ts";
import { withWasm } from "../records/_wasm.ts";
import { decodeIndex } from "../records/decode_records.ts";
import {
  decodedFromWorker,
  type PartResult,
} from "../records/_worker_decoder.ts";
import type { PreDecoded } from "./_fetch_records.ts";
import { errorText } from "../util/error_text.ts";
import { compressedOnly } from "./_worker_decode.ts";

/** A record set decoded while its frame was read. */
export interface TakenSet {
  /** Its index (positions relative to the decompressed data), or the failure. */
  result: PartResult;
  /** The set's length as fetched. */
  length: number;
}

/** A Fetch response taken out of its frame. */
export interface TakenFetch {
  res: FetchResponse;
  /**
   * The sets decoded at once, by partition (their `records` are empty);
   * the other partitions' `records` are views into `frame`.
   */
  decoded: Map<FetchResponsePartitionData, TakenSet>;
  /** The frame, kept (`records` views point into it); `undefined` when not kept. */
  frame: Uint8Array | undefined;
}

/**
 * A set decoded before `applyRecords` (in a worker, or while its frame was
 * read), as `applyRecords` takes it: `bytes` is the set (empty when it was
 * decoded where it was read), `length` its length as fetched.
 */
export function preDecoded(
  result: PartResult,
  bytes: Uint8Array,
  length: number,
  topic: string,
  partition: number,
  limit: number,
): PreDecoded {
  return {
    bytes,
    setLength: length,
    held: bytes.length + ("recF" in result ? result.data.length : 0),
    decoded: decodedFromWorker(result, bytes, topic, partition, limit),
  };
}

/** An empty set, for partitions decoded at once. */
export const NO_BYTES: Uint8Array = new Uint8Array(0);

/**
 * The fetch offset of a partition of the request, by topic key (name, or
 * id for Fetch v13+) and partition; `-Infinity` when unknown.
 */
export type FetchOffsetOf = (
  topic: string | undefined,
  partition: number,
) => number;

/**
 * Decodes a set whose complete batches are all compressed: its index with
 * positions made relative to the decompressed data (as for an empty
 * input). `undefined` when a position points into the set after all (the
 * set's bytes are then kept).
 */
export function decodeCompressed(
  r: Uint8Array,
  minOffset: number,
  flags: number,
  limit: number,
): PartResult | undefined {
  let raw: PartResult;
  try {
    raw = withWasm((w) => decodeIndex(w, r, flags, limit, minOffset, true));
  } catch (e) {
    return { crash: errorText(e) };
  }
  if (!("recF" in raw)) return raw;
  const inLen = r.length;
  const { recI, hdr } = raw;
  for (let o = 0; o < recI.length; o += ROW.REC_I32) {
    if (recI[o + 1] >= 0 && recI[o] < inLen) return undefined;
    if (recI[o + 3] >= 0 && recI[o + 2] < inLen) return undefined;
  }
  for (let h = 0; h < hdr.length; h += ROW.HDR_I32) {
    if (hdr[h] < inLen || (hdr[h + 3] >= 0 && hdr[h + 2] < inLen)) {
      return undefined;
    }
  }
  for (let o = 0; o < recI.length; o += ROW.REC_I32) {
    recI[o] -= inLen;
    recI[o + 2] -= inLen;
  }
  for (let h = 0; h < hdr.length; h += ROW.HDR_I32) {
    hdr[h] -= inLen;
    hdr[h + 2] -= inLen;
  }
  raw.consumed = Math.max(0, raw.consumed - inLen);
  return raw;
}

/**
 * Decodes a Fetch response body (`r`, in `frame`) at `version` and takes
 * it out of the frame (see the module comment). `records` of partitions
 * with an error become `null`. `flags` / `limit`: the decoder's, for sets
 * decoded at once.
 */
export function takeFetch(
  r: Reader,
  frame: Uint8Array,
  version: number,
  fetchOffsetOf: FetchOffsetOf,
  flags: number,
  limit: number,
): TakenFetch {
  const res = Fetch.decodeResponse(r, version);
  const ids = version >= 13;
  const decoded = new Map<FetchResponsePartitionData, TakenSet>();
  let keep = false;
  for (const t of res.responses) {
    const key = ids ? t.topicId : t.topic;
    for (const pr of t.partitions) {
      const set = pr.records;
      if (pr.errorCode !== 0 || set === null) {
        pr.records = null;
        continue;
      }
      if (set.length === 0) {
        pr.records = NO_BYTES;
        continue;
      }
      const result = compressedOnly(set)
        ? decodeCompressed(
          set,
          fetchOffsetOf(key, pr.partitionIndex),
          flags,
          limit,
        )
        : undefined;
      if (result === undefined) keep = true;
      else {
        decoded.set(pr, { result, length: set.length });
        pr.records = NO_BYTES;
      }
    }
  }
  if (!keep) return { res, decoded, frame: undefined };
  const kept = keepFrame(frame);
  if (kept !== frame) {
    // A small frame in the read chunk, copied: the views move with it.
    for (const t of res.responses) {
      for (const pr of t.partitions) {
        const set = pr.records;
        if (set === null || set.length === 0) continue;
        const at = set.byteOffset - frame.byteOffset;
        pr.records = kept.subarray(at, at + set.length);
      }
    }
  }
  return { res, decoded, frame: kept };
}
