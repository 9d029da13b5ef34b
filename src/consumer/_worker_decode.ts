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
import type { Cursor } from "./_cursor.ts";
import type { PreDecoded } from "./_fetch_records.ts";

/** Finds the index in the request of a response partition's cursor. */
export type PartLookup = (
  t: FetchResponseFetchableTopicResponse,
  partition: number,
) => number | undefined;

/** The lookup of the cursors of a request, by topic name (or id, `ids`) and partition. */
export function partLookup(parts: readonly Cursor[], ids: boolean): PartLookup {
  const index = new Map<string | undefined, Map<number, number>>();
  parts.forEach((c, i) => {
    const key = ids ? c.topic.topicId : c.topic.name;
    let m = index.get(key);
    if (!m) index.set(key, m = new Map());
    m.set(c.id, i);
  });
  return (t, partition) => index.get(ids ? t.topicId : t.topic)?.get(partition);
}

/**
 * Decodes, in `decoder`'s worker, the record sets of the partitions of
 * `responses` that were answered without error and whose cursor still
 * holds the position and epoch the request was sent with.
 */
export async function decodeInWorker(
  decoder: WorkerDecoder,
  responses: readonly FetchResponseFetchableTopicResponse[],
  parts: readonly Cursor[],
  offsets: readonly number[],
  epochs: readonly number[],
  lookup: PartLookup,
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
      if (!c.live || c.epoch !== epochs[i] || c.nextOffset !== offsets[i]) {
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
