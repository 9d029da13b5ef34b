// Internal: the body of a fetch worker (the consumer's `useWorkers` mode;
// `_fetch_worker_client.ts` starts it). The worker owns the fetch engine's
// connections: it sends the Fetch requests the engine builds, reads each
// response into buffers its connections reuse (`reuseFrameBuffers`: no
// new, zeroed buffer per response), decodes the response and verifies,
// decompresses and indexes every record set with the WebAssembly decoder
// while the frame is read, then copies the record sets once into one
// buffer and hands it over with the response and the indexes, all
// transferred. The event loop builds messages from them and does no socket
// reads or decoding of its own.
/// <reference lib="deno.worker" />
import { KafkaError } from "../errors/mod.ts";
import {
  ManagedConnection,
  type ManagedConnectionOptions,
} from "../network/mod.ts";
import {
  Fetch,
  type FetchResponse,
  type FetchResponsePartitionData,
} from "../protocol/mod.ts";
import { ROW } from "../../wasm/denokafka_codec_constants.generated.ts";
import { withWasm } from "../records/_wasm.ts";
import { decodeIndex } from "../records/decode_records.ts";
import type { PartResult } from "../records/_worker_decoder.ts";
import { errorText } from "../util/error_text.ts";
import { compressedOnly, peekNext } from "./_worker_decode.ts";
import type {
  FetchHead,
  FetchPosition,
  FetchWorkerReply,
  FetchWorkerRequest,
  SerializedError,
} from "./_fetch_worker_client.ts";

const lanes = new Map<
  string,
  { mc: ManagedConnection; host: string; port: number }
>();
const running = new Map<number, AbortController>();

function lane(key: string, options: ManagedConnectionOptions) {
  let l = lanes.get(key);
  if (l && (l.host !== options.host || l.port !== options.port)) {
    // The broker moved: a connection to its new address.
    l.mc.close().catch(() => {});
    l = undefined;
  }
  if (!l) {
    l = {
      mc: new ManagedConnection(options),
      host: options.host,
      port: options.port,
    };
    lanes.set(key, l);
  }
  return l.mc;
}

function serialize(e: unknown): SerializedError {
  if (e instanceof KafkaError) {
    return {
      name: e.name,
      message: e.message,
      code: e.code,
      retriable: e.retriable,
    };
  }
  return { name: "Error", message: errorText(e), code: -1, retriable: false };
}

/**
 * The fetch offset of each partition fetched, by topic (name, or id with
 * `ids`): from the engine, since an incremental session request lists
 * only the partitions that changed.
 */
function fetchOffsets(
  positions: FetchPosition[],
): Map<string | undefined, Map<number, number>> {
  const out = new Map<string | undefined, Map<number, number>>();
  for (const [topic, partition, offset] of positions) {
    let m = out.get(topic);
    if (!m) out.set(topic, m = new Map());
    m.set(partition, offset);
  }
  return out;
}

const EMPTY_RESULT: PartResult = {
  records: 0,
  headers: 0,
  batches: 0,
  consumed: 0,
  next: -1,
  data: new Uint8Array(0),
  recF: new Float64Array(0),
  recI: new Int32Array(0),
  hdr: new Int32Array(0),
  batF: new Float64Array(0),
  batI: new Int32Array(0),
};

/** A record set of a response, copied out of the frame or decoded already. */
interface RecordSet {
  view: Uint8Array;
  minOffset: number;
  /** Its result, when it was decoded while the frame was read. */
  done?: PartResult;
}

const NO_BYTES = new Uint8Array(0);

/**
 * Decodes a set whose complete batches are all compressed while its frame
 * is valid, so its (compressed) bytes are never copied: the messages need
 * only the decompressed data. The index's positions, all past the input,
 * are made relative to that data (as for an empty input). `undefined` when
 * a position points into the input after all (then the set is copied).
 */
function decodeCompressed(
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
 * Takes a Fetch response out of its frame while the frame is valid. A
 * record set whose complete batches are all compressed is decoded at once
 * (its compressed bytes stay behind); the others (of partitions without
 * error) are copied into one new buffer (`records` become views into it)
 * and decoded after. Every other `records` is dropped: nothing may keep a
 * view into the reused frame. `heads`: where each set lets its partition's
 * next fetch start, from the batch headers alone; `lengths`: each set's
 * length as fetched.
 */
function takeResponse(
  res: FetchResponse,
  offsets: Map<string | undefined, Map<number, number>>,
  ids: boolean,
  flags: number,
  limit: number,
): {
  res: FetchResponse;
  buf: ArrayBuffer;
  sets: RecordSet[];
  heads: FetchHead[];
  lengths: number[];
} {
  const sets: RecordSet[] = [];
  const heads: FetchHead[] = [];
  const lengths: number[] = [];
  const copy: { pr: FetchResponsePartitionData; set: RecordSet }[] = [];
  let total = 0;
  for (const t of res.responses) {
    const key = ids ? t.topicId : t.topic;
    const byPart = offsets.get(key);
    for (const pr of t.partitions) {
      const r = pr.records;
      if (pr.errorCode !== 0 || r === null) {
        pr.records = null;
        continue;
      }
      const len = r.length;
      const minOffset = byPart?.get(pr.partitionIndex) ?? -Infinity;
      const peek = len > 0 ? peekNext(r) : null;
      if (peek !== null) {
        heads.push([key, pr.partitionIndex, peek.next, peek.records, len]);
      }
      lengths.push(len);
      const done = peek !== null && compressedOnly(r)
        ? decodeCompressed(r, minOffset, flags, limit)
        : undefined;
      const set: RecordSet = { view: NO_BYTES, minOffset, done };
      sets.push(set);
      if (done !== undefined) pr.records = NO_BYTES;
      else {
        copy.push({ pr, set });
        total += len;
      }
    }
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const { pr, set } of copy) {
    const r = pr.records!;
    out.set(r, at);
    set.view = pr.records = out.subarray(at, at + r.length);
    at += r.length;
  }
  return { res, buf: out.buffer, sets, heads, lengths };
}

/**
 * Verifies, decompresses and indexes each record set, letting messages
 * that arrive meanwhile (the engine's next fetches) run between sets, so a
 * request is never held behind more than one set's decoding.
 */
async function decodeSets(
  sets: RecordSet[],
  flags: number,
  limit: number,
): Promise<PartResult[]> {
  const out: PartResult[] = [];
  let decoded = 0;
  for (const { view, minOffset, done } of sets) {
    if (done !== undefined) {
      out.push(done);
      continue;
    }
    if (decoded++ > 0) await yieldToMessages();
    if (view.length < 12) {
      out.push(EMPTY_RESULT);
      continue;
    }
    try {
      out.push(
        withWasm((w) => decodeIndex(w, view, flags, limit, minOffset, true)),
      );
    } catch (e) {
      out.push({ crash: errorText(e) });
    }
  }
  return out;
}

/** Lets messages that arrived meanwhile (the engine's next fetch) run. */
const channel = new MessageChannel();
const yielded: (() => void)[] = [];
channel.port1.onmessage = () => yielded.shift()?.();
function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => {
    yielded.push(resolve);
    channel.port2.postMessage(null);
  });
}

async function fetch(m: Extract<FetchWorkerRequest, { type: "fetch" }>) {
  const ac = new AbortController();
  running.set(m.id, ac);
  const mc = lane(m.lane, m.options);
  let reply: FetchWorkerReply;
  const transfer: ArrayBuffer[] = [];
  try {
    const conn = await mc.connection(ac.signal);
    conn.reuseFrameBuffers();
    const before = conn.stats;
    const ids = m.version >= 13;
    const offsets = fetchOffsets(m.positions);
    const got = await conn.sendDecoded(
      Fetch,
      m.request,
      m.version,
      { timeoutMs: m.timeoutMs, signal: ac.signal },
      (r) =>
        takeResponse(
          Fetch.decodeResponse(r, m.version),
          offsets,
          ids,
          m.flags,
          m.limit,
        ),
    );
    const after = conn.stats;
    if (got.heads.length > 0) {
      // The engine fetches these partitions on while this thread decodes.
      const head: FetchWorkerReply = {
        id: m.id,
        ok: true,
        head: got.heads,
        connects: mc.connects,
        open: mc.current !== undefined,
      };
      self.postMessage(head);
      await yieldToMessages();
    }
    const results = await decodeSets(got.sets, m.flags, m.limit);
    transfer.push(got.buf);
    for (const p of results) {
      if ("recF" in p) {
        for (const a of [p.recF, p.recI, p.hdr, p.batF, p.batI, p.data]) {
          if (a.byteLength > 0) transfer.push(a.buffer as ArrayBuffer);
        }
      }
    }
    reply = {
      id: m.id,
      ok: true,
      res: got.res,
      results,
      lengths: got.lengths,
      buf: got.buf,
      requestBytes: after.bytesWritten - before.bytesWritten,
      responseBytes: after.bytesRead - before.bytesRead,
      connects: mc.connects,
      open: mc.current !== undefined,
    };
  } catch (e) {
    reply = {
      id: m.id,
      ok: false,
      error: serialize(e),
      connects: mc.connects,
      open: mc.current !== undefined,
    };
  } finally {
    running.delete(m.id);
  }
  self.postMessage(reply, transfer);
}

async function connect(m: Extract<FetchWorkerRequest, { type: "connect" }>) {
  const ac = new AbortController();
  running.set(m.id, ac);
  const mc = lane(m.lane, m.options);
  let reply: FetchWorkerReply;
  try {
    const conn = await mc.connection(ac.signal);
    reply = {
      id: m.id,
      ok: true,
      version: conn.versions.pick(Fetch),
      connects: mc.connects,
      open: true,
    };
  } catch (e) {
    reply = {
      id: m.id,
      ok: false,
      error: serialize(e),
      connects: mc.connects,
      open: mc.current !== undefined,
    };
  } finally {
    running.delete(m.id);
  }
  self.postMessage(reply);
}

async function closeAll(id: number) {
  for (const ac of running.values()) ac.abort();
  const all = [...lanes.values()];
  lanes.clear();
  await Promise.all(all.map((l) => l.mc.close().catch(() => {})));
  const reply: FetchWorkerReply = { id, ok: true, connects: 0, open: false };
  self.postMessage(reply);
}

self.onmessage = (ev: MessageEvent<FetchWorkerRequest>) => {
  const m = ev.data;
  switch (m.type) {
    case "fetch":
      fetch(m);
      break;
    case "connect":
      connect(m);
      break;
    case "cancel":
      running.get(m.target)?.abort();
      break;
    case "close":
      closeAll(m.id);
      break;
  }
};
