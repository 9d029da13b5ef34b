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
import { Fetch, type FetchResponse } from "../protocol/mod.ts";
import { withWasm } from "../records/_wasm.ts";
import { decodeIndex } from "../records/decode_records.ts";
import type { PartResult } from "../records/_worker_decoder.ts";
import { errorText } from "../util/error_text.ts";
import type {
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

/**
 * Decodes a Fetch response while its frame is valid: the record sets of
 * partitions without error go into one new buffer (`records` become views
 * into it), each is indexed; every other `records` is dropped (nothing may
 * keep a view into the reused frame).
 */
function decodeResponse(
  res: FetchResponse,
  offsets: Map<string | undefined, Map<number, number>>,
  ids: boolean,
  flags: number,
  limit: number,
): { res: FetchResponse; results: PartResult[]; buf: ArrayBuffer } {
  let total = 0;
  for (const t of res.responses) {
    for (const pr of t.partitions) {
      if (pr.errorCode === 0 && pr.records !== null) {
        total += pr.records.length;
      } else pr.records = null;
    }
  }
  const out = new Uint8Array(total);
  const results: PartResult[] = [];
  let at = 0;
  for (const t of res.responses) {
    const byPart = offsets.get(ids ? t.topicId : t.topic);
    for (const pr of t.partitions) {
      const r = pr.records;
      if (r === null) continue;
      const len = r.length;
      if (len < 12) {
        results.push(EMPTY_RESULT);
      } else {
        const min = byPart?.get(pr.partitionIndex) ?? -Infinity;
        try {
          results.push(
            withWasm((w) => decodeIndex(w, r, flags, limit, min, true)),
          );
        } catch (e) {
          results.push({ crash: errorText(e) });
        }
      }
      out.set(r, at);
      pr.records = out.subarray(at, at + len);
      at += len;
    }
  }
  return { res, results, buf: out.buffer };
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
        decodeResponse(
          Fetch.decodeResponse(r, m.version),
          offsets,
          ids,
          m.flags,
          m.limit,
        ),
    );
    const after = conn.stats;
    transfer.push(got.buf);
    for (const p of got.results) {
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
      results: got.results,
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
