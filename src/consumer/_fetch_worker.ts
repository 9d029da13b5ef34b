// Internal: the body of a fetch worker (`useWorkers: "sockets"`;
// `_fetch_worker_client.ts` starts it). The worker owns the fetch engine's
// connections: it sends the Fetch requests the engine builds and reads each
// response into buffers its connections reuse (`reuseFrameBuffers`). A
// response is taken out of its frame as it is read (`_fetch_take.ts`):
// sets whose batches are all compressed are decoded there and nothing of
// the frame is kept; otherwise the frame is kept (the messages are views
// into it). The engine hears at once where each set lets its partition's
// next fetch start, the kept sets are then verified, decompressed and
// indexed, and the response, the kept frame and the indexes go to the
// event loop, transferred. The event loop builds messages from them and
// does no socket reads or decoding of its own.
/// <reference lib="deno.worker" />
import { KafkaError } from "../errors/mod.ts";
import {
  ManagedConnection,
  type ManagedConnectionOptions,
} from "../network/mod.ts";
import { Fetch } from "../protocol/mod.ts";
import { withWasm } from "../records/_wasm.ts";
import { decodeIndex } from "../records/decode_records.ts";
import { type PartResult, resultBuffers } from "../records/_worker_decoder.ts";
import { NO_RECORDS } from "../records/_lazy_messages.ts";
import { errorText } from "../util/error_text.ts";
import { peekNext } from "./_worker_decode.ts";
import {
  type FetchOffsetOf,
  takeFetch,
  type TakenFetch,
} from "./_fetch_take.ts";
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

/**
 * Where each record set lets its partition's next fetch start, before the
 * sets kept in the frame are decoded: from the decoder for the sets
 * decoded at once, from the batch headers for the others.
 */
function headsOf(taken: TakenFetch, ids: boolean): FetchHead[] {
  const heads: FetchHead[] = [];
  for (const t of taken.res.responses) {
    const key = ids ? t.topicId : t.topic;
    for (const pr of t.partitions) {
      const done = taken.decoded.get(pr);
      if (done !== undefined) {
        const r = done.result;
        if ("recF" in r && r.next >= 0) {
          heads.push([key, pr.partitionIndex, r.next, r.records, done.length]);
        }
        continue;
      }
      const set = pr.records;
      const peek = set !== null && set.length > 0 ? peekNext(set) : null;
      if (peek !== null) {
        heads.push([
          key,
          pr.partitionIndex,
          peek.next,
          peek.records,
          set!.length,
        ]);
      }
    }
  }
  return heads;
}

/**
 * The result of every partition with a record set, in response order:
 * those decoded at once, then each kept set verified, decompressed and
 * indexed, letting messages that arrive meanwhile (the engine's next
 * fetches) run between sets, so a request is never held behind more than
 * one set's decoding.
 */
async function decodeSets(
  taken: TakenFetch,
  offsetOf: FetchOffsetOf,
  ids: boolean,
  flags: number,
  limit: number,
): Promise<{ results: PartResult[]; lengths: number[] }> {
  const results: PartResult[] = [];
  const lengths: number[] = [];
  let decoded = 0;
  for (const t of taken.res.responses) {
    const key = ids ? t.topicId : t.topic;
    for (const pr of t.partitions) {
      const set = pr.records;
      if (set === null) continue;
      const done = taken.decoded.get(pr);
      if (done !== undefined) {
        results.push(done.result);
        lengths.push(done.length);
        continue;
      }
      lengths.push(set.length);
      if (set.length < 12) {
        results.push(NO_RECORDS);
        continue;
      }
      if (decoded++ > 0) await yieldToMessages();
      const min = offsetOf(key, pr.partitionIndex);
      try {
        results.push(
          withWasm((w) => decodeIndex(w, set, flags, limit, min, true)),
        );
      } catch (e) {
        results.push({ crash: errorText(e) });
      }
    }
  }
  return { results, lengths };
}

const channel = new MessageChannel();
const yielded: (() => void)[] = [];
channel.port1.onmessage = () => yielded.shift()?.();

/** Lets messages that arrived meanwhile (the engine's next fetch) run. */
function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => {
    yielded.push(resolve);
    channel.port2.postMessage(null);
  });
}

/**
 * Runs one request of the event loop on lane `m.lane`: `work` gives the
 * answer's fields and the buffers to transfer; an error becomes the
 * answer. Either way the answer carries the lane's connect count.
 */
async function serve(
  m: { id: number; lane: string; options: ManagedConnectionOptions },
  work: (
    mc: ManagedConnection,
    signal: AbortSignal,
  ) => Promise<{ fields: Partial<FetchWorkerReply>; transfer?: ArrayBuffer[] }>,
): Promise<void> {
  const ac = new AbortController();
  running.set(m.id, ac);
  const mc = lane(m.lane, m.options);
  let reply: FetchWorkerReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const done = await work(mc, ac.signal);
    transfer = done.transfer ?? [];
    reply = {
      ...done.fields,
      id: m.id,
      ok: true,
      connects: mc.connects,
      open: mc.current !== undefined,
    } as FetchWorkerReply;
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

/** A Fetch request: sent, read, taken out of the frame, decoded. */
function fetch(m: Extract<FetchWorkerRequest, { type: "fetch" }>) {
  return serve(m, async (mc, signal) => {
    const conn = await mc.connection(signal);
    conn.reuseFrameBuffers();
    const before = conn.stats;
    const ids = m.version >= 13;
    const offsets = fetchOffsets(m.positions);
    const offsetOf: FetchOffsetOf = (key, partition) =>
      offsets.get(key)?.get(partition) ?? -Infinity;
    const taken = await conn.sendDecoded(
      Fetch,
      m.request,
      m.version,
      { timeoutMs: m.timeoutMs, signal },
      (r, frame) => takeFetch(r, frame, m.version, offsetOf, m.flags, m.limit),
    );
    const after = conn.stats;
    const heads = headsOf(taken, ids);
    if (heads.length > 0) {
      // The engine fetches these partitions on while this thread decodes.
      const head: FetchWorkerReply = {
        id: m.id,
        ok: true,
        head: heads,
        connects: mc.connects,
        open: mc.current !== undefined,
      };
      self.postMessage(head);
      await yieldToMessages();
    }
    const { results, lengths } = await decodeSets(
      taken,
      offsetOf,
      ids,
      m.flags,
      m.limit,
    );
    const transfer = results.flatMap(resultBuffers);
    if (taken.frame !== undefined) {
      transfer.push(taken.frame.buffer as ArrayBuffer);
    }
    return {
      fields: {
        res: taken.res,
        results,
        lengths,
        requestBytes: after.bytesWritten - before.bytesWritten,
        responseBytes: after.bytesRead - before.bytesRead,
      },
      transfer,
    };
  });
}

/** Connects a lane (if needed): the Fetch version it speaks. */
function connect(m: Extract<FetchWorkerRequest, { type: "connect" }>) {
  return serve(m, async (mc, signal) => {
    const conn = await mc.connection(signal);
    return { fields: { version: conn.versions.pick(Fetch) } };
  });
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
