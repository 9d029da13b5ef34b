// The fetch engine's `useWorkers` mode: the record sets of one fetch
// response are decoded by the engine's decode worker instead of on the
// event loop. A response read into a buffer of its own (a big frame) is
// transferred as it is; the record sets of a small one are first copied
// into one buffer. The worker hands the buffer back, so the messages are
// views into it, as with the in-thread decoder.

import type {
  FetchResponseFetchableTopicResponse,
  FetchResponsePartitionData,
} from "../protocol/mod.ts";
import { isOwnedFrame } from "../network/_framing.ts";
import { DEFAULT_MAX_DECOMPRESSED_BYTES } from "../records/_util.ts";
import {
  decodedFromWorker,
  type DecodePart,
  type WorkerDecoder,
} from "../records/_worker_decoder.ts";
import type { ByteBudget, Cursor } from "./_cursor.ts";
import type { FetchHead } from "./_fetch_worker_client.ts";
import type { PreDecoded } from "./_fetch_records.ts";

/** Finds the index in the request of a response partition's cursor. */
export type PartLookup = (
  t: FetchResponseFetchableTopicResponse,
  partition: number,
) => number | undefined;

/**
 * The index in the request of a cursor, by topic key (name, or id with
 * `ids`) and partition.
 */
export function keyLookup(
  parts: readonly Cursor[],
  ids: boolean,
): (key: string | undefined, partition: number) => number | undefined {
  const index = new Map<string | undefined, Map<number, number>>();
  parts.forEach((c, i) => {
    const key = ids ? c.topic.topicId : c.topic.name;
    let m = index.get(key);
    if (!m) index.set(key, m = new Map());
    m.set(c.id, i);
  });
  return (key, partition) => index.get(key)?.get(partition);
}

/** The topic name of a response's topic (answered by name, or by id for Fetch v13+). */
export function topicNames(
  parts: readonly Cursor[],
): (t: FetchResponseFetchableTopicResponse) => string {
  const byId = new Map<string | undefined, string>();
  for (const c of parts) byId.set(c.topic.topicId, c.topic.name);
  return (t) => t.topic || byId.get(t.topicId) || "";
}

/** The lookup of the cursors of a request, by topic name (or id, `ids`) and partition. */
export function partLookup(parts: readonly Cursor[], ids: boolean): PartLookup {
  const byKey = keyLookup(parts, ids);
  return (t, partition) => byKey(ids ? t.topicId : t.topic, partition);
}

/**
 * Where the fetch after a record set starts, read from its batch headers
 * alone (no checksum, no decompression): one past the last complete batch
 * (as the decoder reports it), with the records of those batches (1 per
 * legacy message or wrapper); `null` when no batch is complete.
 */
export function peekNext(
  r: Uint8Array,
): { next: number; records: number } | null {
  const dv = new DataView(r.buffer, r.byteOffset, r.length);
  let pos = 0;
  let next = -1;
  let records = 0;
  while (pos + 17 <= r.length) {
    const size = dv.getInt32(pos + 8);
    if (size < 0 || pos + 12 + size > r.length) break;
    const base = dv.getInt32(pos) * 4294967296 + dv.getUint32(pos + 4);
    if (r[pos + 16] === 2 && size >= 49) {
      next = base + dv.getInt32(pos + 23) + 1;
      records += dv.getInt32(pos + 57);
    } else {
      next = base + 1;
      records++;
    }
    pos += 12 + size;
  }
  return next < 0 ? null : { next, records };
}

/**
 * True when every complete batch (or legacy message) of a record set is
 * compressed, read from the headers alone: after decoding, its messages
 * need only the decompressed data, not the set's bytes.
 */
export function compressedOnly(r: Uint8Array): boolean {
  const dv = new DataView(r.buffer, r.byteOffset, r.length);
  let pos = 0;
  let any = false;
  while (pos + 17 <= r.length) {
    const size = dv.getInt32(pos + 8);
    if (size < 0 || pos + 12 + size > r.length) break;
    const magic = r[pos + 16];
    const codec = magic === 2 ? r[pos + 22] & 7 : r[pos + 17] & 7;
    if (codec === 0) return false;
    any = true;
    pos += 12 + size;
  }
  return any;
}

/** A cursor moved on before its records were decoded (`releaseEarly`). */
export interface Early {
  /** Its index in the request. */
  index: number;
  /** Record bytes waiting to be decoded. */
  bytes: number;
  /** Records waiting to be decoded. */
  records: number;
}

/**
 * Moves each cursor of a response whose record set holds complete batches
 * to the offset after them at once (from the batch headers) and releases
 * it for the next fetch while the worker decodes, so fetching, decoding
 * and consuming overlap. Their bytes and records count against the
 * prefetch bounds (`budget.decoding`, `pending`) until decoded; the fence
 * for their results is the epoch alone. Cursors whose sets hold no
 * complete batch stay in flight until decoded (the fetch size may grow).
 */
export function releaseEarly(
  responses: readonly FetchResponseFetchableTopicResponse[],
  parts: readonly Cursor[],
  offsets: readonly number[],
  epochs: readonly number[],
  lookup: PartLookup,
  budget: ByteBudget,
): Map<Cursor, Early> {
  const early = new Map<Cursor, Early>();
  for (const t of responses) {
    for (const pr of t.partitions) {
      const i = lookup(t, pr.partitionIndex);
      if (i === undefined || pr.errorCode !== 0) continue;
      const r = pr.records;
      if (r === null || r.length === 0) continue;
      const peek = peekNext(r);
      if (peek === null) continue;
      releaseOne(i, peek, r.length, parts, offsets, epochs, budget, early);
    }
  }
  return early;
}

/**
 * Releases cursor `i` of a request early (see `releaseEarly`) when it
 * still holds the request's position and epoch and `peek` moves it on:
 * `bytes` and `peek.records` count against the bounds until decoded.
 */
export function releaseOne(
  i: number,
  peek: { next: number; records: number },
  bytes: number,
  parts: readonly Cursor[],
  offsets: readonly number[],
  epochs: readonly number[],
  budget: ByteBudget,
  early: Map<Cursor, Early>,
): void {
  const c = parts[i];
  if (
    !c.live || c.epoch !== epochs[i] || c.nextOffset !== offsets[i] ||
    peek.next <= offsets[i] || early.has(c)
  ) {
    return;
  }
  c.nextOffset = peek.next;
  c.pending += peek.records;
  budget.decoding = (budget.decoding ?? 0) + bytes;
  c.inFlight = false;
  early.set(c, { index: i, bytes, records: peek.records });
}

/**
 * `releaseEarly` for a fetch worker's heads (the sets it read, before it
 * decodes them): topic key (name, or id with `ids`), partition, next
 * offset, records, bytes.
 */
export function releaseHeads(
  heads: readonly FetchHead[],
  parts: readonly Cursor[],
  offsets: readonly number[],
  epochs: readonly number[],
  ids: boolean,
  budget: ByteBudget,
): Map<Cursor, Early> {
  const lookup = keyLookup(parts, ids);
  const early = new Map<Cursor, Early>();
  for (const [key, partition, next, records, bytes] of heads) {
    const i = lookup(key, partition);
    if (i === undefined) continue;
    releaseOne(
      i,
      { next, records },
      bytes,
      parts,
      offsets,
      epochs,
      budget,
      early,
    );
  }
  return early;
}

/**
 * After decoding (or its failure): the bounds no longer count the early
 * cursors' sets. With `failed`, a cursor still of the same epoch goes back
 * to the offset it was fetched from, and what was fetched after it is
 * fenced off (nothing lost, nothing out of order).
 */
export function settleEarly(
  early: Map<Cursor, Early>,
  offsets: readonly number[],
  epochs: readonly number[],
  budget: ByteBudget,
  failed: boolean,
): void {
  for (const [c, e] of early) {
    c.pending -= e.records;
    budget.decoding = (budget.decoding ?? 0) - e.bytes;
    if (failed && c.live && c.epoch === epochs[e.index]) {
      c.nextOffset = offsets[e.index];
      c.epoch++;
    }
  }
}

/**
 * Decodes, in `decoder`'s worker, the record sets of the partitions of
 * `responses` that were answered without error and whose cursor still
 * holds the position and epoch the request was sent with (the epoch alone
 * for cursors released `early`).
 */
export async function decodeInWorker(
  decoder: WorkerDecoder,
  responses: readonly FetchResponseFetchableTopicResponse[],
  parts: readonly Cursor[],
  offsets: readonly number[],
  epochs: readonly number[],
  lookup: PartLookup,
  early: ReadonlyMap<Cursor, Early>,
  checkCrcs: boolean,
  signal: AbortSignal,
): Promise<Map<FetchResponsePartitionData, PreDecoded>> {
  const chosen: { pr: FetchResponsePartitionData; c: Cursor }[] = [];
  const jobs: DecodePart[] = [];
  let shared: ArrayBufferLike | undefined;
  let one = true;
  let total = 0;
  for (const t of responses) {
    for (const pr of t.partitions) {
      const i = lookup(t, pr.partitionIndex);
      if (i === undefined || pr.errorCode !== 0) continue;
      const c = parts[i];
      const r = pr.records;
      if (
        !c.live || c.epoch !== epochs[i] ||
        (!early.has(c) && c.nextOffset !== offsets[i])
      ) {
        continue;
      }
      if (r === null || r.length === 0) continue;
      if (shared === undefined) shared = r.buffer;
      else if (shared !== r.buffer) one = false;
      chosen.push({ pr, c });
      jobs.push({
        offset: r.byteOffset,
        length: r.length,
        minOffset: offsets[i],
      });
      total += r.length;
    }
  }
  const out = new Map<FetchResponsePartitionData, PreDecoded>();
  if (jobs.length === 0) return out;
  let buf: ArrayBuffer;
  if (one && isOwnedFrame(shared!)) buf = shared as ArrayBuffer;
  else {
    const copy = new Uint8Array(total);
    let at = 0;
    chosen.forEach(({ pr }, k) => {
      copy.set(pr.records!, at);
      jobs[k].offset = at;
      at += pr.records!.length;
    });
    buf = copy.buffer;
  }
  const limit = DEFAULT_MAX_DECOMPRESSED_BYTES;
  const reply = await decoder.decode(
    buf,
    jobs,
    checkCrcs ? 1 : 0,
    limit,
    signal,
  );
  chosen.forEach(({ pr, c }, k) => {
    const bytes = new Uint8Array(reply.buf, jobs[k].offset, jobs[k].length);
    out.set(pr, {
      bytes,
      decoded: decodedFromWorker(
        reply.results[k],
        bytes,
        c.topic.name,
        c.id,
        limit,
      ),
    });
  });
  return out;
}
