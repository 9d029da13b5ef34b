// One partition's records of a fetch response, into its cursor: decoded in
// one WebAssembly call, transaction markers and (READ_COMMITTED) aborted
// transactions left out, the fetch size grown for a batch larger than it,
// and the legacy (Fetch v0-v2) "message too large" case reported.

import { CorruptRecordError, errorForCode } from "../errors/mod.ts";
import type { FetchResponsePartitionData } from "../protocol/mod.ts";
import type { Broker } from "../cluster/mod.ts";
import {
  decodeMessagesLazy,
  type LazyDecoded,
  type LazyMessages,
} from "../records/_lazy_messages.ts";
import { errorText } from "../util/error_text.ts";
import type { Cursor, MessageChunk } from "./_cursor.ts";

/**
 * Bytes a queued message holds beyond its record data (its Message object,
 * the key and value views), for the `queuedMaxBytes` budget.
 */
export const MESSAGE_OVERHEAD = 160;

/** The settings decoding needs (resolved consumer options). */
export interface RecordSettings {
  fetchMessageMaxBytes: number;
  isolationLevel: 0 | 1;
  checkCrcs: boolean;
}

/** Where decoded messages and errors go (the fetch engine). */
export interface RecordSink {
  /** New messages for `c` (non-empty; `bytes` counted against the budget). */
  deliver(c: Cursor, messages: MessageChunk, bytes: number): void;
  /** An error `consume()` should raise; `c` stops until repositioned. */
  fail(c: Cursor, error: Error): void;
}

/**
 * A partition's record set decoded off the event loop (`useWorkers`):
 * `bytes` is the set (in the buffer handed back by the worker), `decoded`
 * its messages or the error decoding it gave.
 */
export interface PreDecoded {
  bytes: Uint8Array;
  decoded: LazyDecoded | Error;
  /**
   * The set's length as fetched, when `bytes` is not the set (a fetch
   * worker keeps no bytes of a set whose batches are all compressed).
   */
  setLength?: number;
  /** Bytes the messages keep alive (set and decompressed data), for the budget. */
  held?: number;
}

function readInt32(b: Uint8Array, at: number): number {
  return (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
}

/**
 * Applies one partition's answer (error code 0) of a fetch sent at
 * `fetchOffset` with `requestedBytes` to `c`: the high watermark (the last
 * stable offset with READ_COMMITTED), the messages, the next fetch offset
 * and the fetch size. `pre`: the record set as a decode worker decoded it.
 */
export function applyRecords(
  c: Cursor,
  pr: FetchResponsePartitionData,
  version: number,
  fetchOffset: number,
  requestedBytes: number,
  broker: Broker,
  o: RecordSettings,
  sink: RecordSink,
  pre?: PreDecoded,
): void {
  c.highWatermark = o.isolationLevel === 1 &&
      pr.lastStableOffset !== undefined && pr.lastStableOffset >= 0
    ? pr.lastStableOffset
    : pr.highWatermark;
  const bytes = pre ? pre.bytes : pr.records;
  if (bytes === null || (pre?.setLength ?? bytes.length) === 0) {
    // Before Fetch v3 a broker that converts formats (Kafka 0.11+ serving
    // Fetch v0-v2) answers a message larger than the fetch size with no
    // bytes at all, although the partition has data: twice in a row at
    // the same offset is that case.
    if (version < 3 && c.highWatermark > fetchOffset) {
      if (++c.emptyFetches >= 2) {
        c.emptyFetches = 0;
        tooLarge(c, fetchOffset, requestedBytes, 0, version, broker, sink);
      }
    } else c.emptyFetches = 0;
    return;
  }
  c.emptyFetches = 0;
  let decoded: LazyDecoded;
  try {
    if (pre === undefined) {
      decoded = decodeMessagesLazy(bytes, {
        topic: c.topic.name,
        partition: c.id,
        minOffset: fetchOffset,
        verifyCrc: o.checkCrcs,
      });
    } else if (pre.decoded instanceof Error) throw pre.decoded;
    else decoded = pre.decoded;
  } catch (e) {
    sink.fail(
      c,
      e instanceof Error ? e : new CorruptRecordError(errorText(e)),
    );
    return;
  }
  if (decoded.nextOffset === null) {
    // No complete batch: the first one is larger than the fetch size (or
    // the response's byte limit cut it).
    const needed = bytes.length >= 12 ? 12 + readInt32(bytes, 8) : 0;
    if (needed > requestedBytes) {
      if (version >= 3) c.maxBytes = needed;
      else {
        tooLarge(c, fetchOffset, requestedBytes, needed, version, broker, sink);
      }
    }
    return;
  }
  if (c.maxBytes !== o.fetchMessageMaxBytes) {
    c.maxBytes = o.fetchMessageMaxBytes;
  }
  const aborted = o.isolationLevel === 1
    ? pr.abortedTransactions ?? null
    : null;
  const out = toMessages(decoded, aborted);
  if (decoded.nextOffset > c.nextOffset) c.nextOffset = decoded.nextOffset;
  if (out.length > 0) {
    sink.deliver(
      c,
      out,
      (pre?.held ?? bytes.length) + out.length * MESSAGE_OVERHEAD,
    );
  }
}

/**
 * A message the broker cannot return within the fetch size (Fetch v0-v2
 * has no way around it): a clear error, and the cursor waits for a new
 * position.
 */
function tooLarge(
  c: Cursor,
  fetchOffset: number,
  requestedBytes: number,
  needed: number,
  version: number,
  broker: Broker,
  sink: RecordSink,
): void {
  const size = needed > 0 ? `is ${needed} bytes, ` : "is ";
  sink.fail(
    c,
    errorForCode(
      10,
      `the message at offset ${fetchOffset} of ${c.topic.name}/${c.id} ${size}larger than fetchMessageMaxBytes (${requestedBytes}); broker ${broker.id} serves Fetch v${version} (before Kafka 0.10.1), which cannot return it in parts: raise fetchMessageMaxBytes${
        needed > 0 ? ` to at least ${needed}` : ""
      }`,
    ),
  );
}

/**
 * The messages of a decoded record set that the consumer delivers: those
 * of `decoded` without those of aborted transactions (`aborted`: the fetch
 * response's aborted transactions, for READ_COMMITTED). `decoded` must come
 * from `decodeMessages` with `minOffset` set to the fetch offset: the
 * decoder already drops every record before it (also inside a compressed
 * batch or wrapper that starts earlier). Messages are built as they are
 * taken (keys and values are the decoder's views, no copy); when nothing
 * is left out, the decoder's set itself is returned.
 */
export function toMessages(
  decoded: LazyDecoded,
  aborted: readonly { producerId: number; firstOffset: number }[] | null,
): LazyMessages {
  const messages = decoded.messages;
  const n = messages.length;
  if (aborted === null || aborted.length === 0 || n === 0) return messages;
  return messages.without(abortedRecords(decoded, n, aborted));
}

/**
 * Marks (1) the records of aborted transactions: a transactional batch of a
 * producer with an aborted transaction starting at or before the batch's
 * last offset is skipped, until that producer's ABORT marker.
 */
function abortedRecords(
  decoded: LazyDecoded,
  count: number,
  aborted: readonly { producerId: number; firstOffset: number }[],
): Uint8Array {
  const skip = new Uint8Array(count);
  const queue = [...aborted].sort((a, b) => a.firstOffset - b.firstOffset);
  const active = new Set<number>();
  let next = 0;
  for (const b of decoded.batches) {
    while (next < queue.length && queue[next].firstOffset <= b.lastOffset) {
      active.add(queue[next++].producerId);
    }
    if (b.isControl) {
      if (b.controlType === 0) active.delete(b.producerId);
      continue;
    }
    if (b.isTransactional && active.has(b.producerId)) {
      skip.fill(1, b.firstRecord, b.firstRecord + b.decodedRecords);
    }
  }
  return skip;
}
