// Internal: the event loop's side of a fetch worker (`useWorkers`, see
// `_fetch_worker.ts`). The fetch engine builds each Fetch request and
// decides everything (sessions, fences, positions); the worker owns the
// sockets, reads and decodes. A lane (one of a source's connections) is a
// connection in the worker, known here by its connect count.

import {
  AbortError,
  ConnectionTimeoutError,
  errorForCode,
  KafkaError,
  LeaderNotFoundError,
  ProtocolError,
  RequestTimeoutError,
  SocketDisconnectedError,
  SslAuthenticationError,
  UnsupportedFeatureError,
} from "../errors/mod.ts";
import type { ManagedConnectionOptions } from "../network/mod.ts";
import type {
  FetchRequest,
  FetchResponse,
  FetchResponseFetchableTopicResponse,
  FetchResponsePartitionData,
} from "../protocol/mod.ts";
import {
  endWorker,
  type PartResult,
  requireWorkers,
  startModuleWorker,
} from "../records/_worker_decoder.ts";
import type { PreDecoded } from "./_fetch_records.ts";
import { preDecoded } from "./_fetch_take.ts";

/** An error as the worker hands it over. */
export interface SerializedError {
  name: string;
  message: string;
  code: number;
  retriable: boolean;
}

/**
 * A partition fetched and the offset it was fetched from: topic (name, or
 * id for Fetch v13+), partition, offset.
 */
export type FetchPosition = [string | undefined, number, number];

/**
 * A record set read, before it is decoded: topic (name or id), partition,
 * the offset after its last complete batch, its records, its bytes.
 */
export type FetchHead = [string | undefined, number, number, number, number];

/** What the event loop asks of the worker (internal). */
export type FetchWorkerRequest =
  | {
    type: "fetch";
    id: number;
    lane: string;
    options: ManagedConnectionOptions;
    version: number;
    request: FetchRequest;
    positions: FetchPosition[];
    timeoutMs: number;
    flags: number;
    limit: number;
  }
  | {
    type: "connect";
    id: number;
    lane: string;
    options: ManagedConnectionOptions;
  }
  | { type: "cancel"; target: number }
  | { type: "close"; id: number };

/** The worker's answer (internal). */
export type FetchWorkerReply =
  & { id: number; connects: number; open: boolean }
  & (
    | {
      ok: true;
      res?: FetchResponse;
      results?: PartResult[];
      /** Each decoded set's length as fetched. */
      lengths?: number[];
      requestBytes?: number;
      responseBytes?: number;
      version?: number;
      /** Sent first, before decoding: where each set ends. */
      head?: FetchHead[];
    }
    | { ok: false; error: SerializedError }
  );

/** A fetch answered by the worker. */
export interface WorkerFetch {
  res: FetchResponse;
  /** The decoded record sets, by the response's partitions. */
  pre: Map<FetchResponsePartitionData, PreDecoded>;
  requestBytes: number;
  responseBytes: number;
}

/** A lane as the engine reports it. */
export interface WorkerLane {
  brokerId: number;
  lane: string;
  connects: number;
  open: boolean;
}

const CLIENT_ERRORS: Record<
  string,
  new (message?: string) => KafkaError
> = {
  SocketDisconnectedError,
  ConnectionTimeoutError,
  RequestTimeoutError,
  ProtocolError,
  UnsupportedFeatureError,
  AbortError,
  LeaderNotFoundError,
  SslAuthenticationError,
};

/** The error `e` was in the worker, as near its class as possible. */
export function deserializeError(e: SerializedError): KafkaError {
  if (e.code >= 0) return errorForCode(e.code, e.message);
  const cls = CLIENT_ERRORS[e.name];
  if (cls) return new cls(e.message);
  return new KafkaError(e.message, { retriable: e.retriable });
}

interface Pending {
  resolve: (r: FetchWorkerReply) => void;
  reject: (e: unknown) => void;
  head?: (heads: FetchHead[]) => void;
}

/**
 * One fetch worker per running engine, started by its first fetch (it
 * holds every fetch connection of the engine); `close()` closes them and
 * ends it.
 */
export class FetchWorker {
  /** The worker, started with the first lane. */
  #started: Worker | undefined;
  readonly #pending = new Map<number, Pending>();
  readonly #lanes = new Map<string, WorkerLane & { version?: number }>();
  #seq = 0;
  #failed: KafkaError | undefined;
  #terminated = false;

  /** Checks that workers can run here (Deno only: a `KafkaError` elsewhere). */
  constructor() {
    requireWorkers("fetch worker");
  }

  /** The worker, started on first use. */
  #worker(): Worker {
    if (this.#started) return this.#started;
    const w = startModuleWorker(
      new URL("./_fetch_worker.ts", import.meta.url),
      "fetch worker",
    );
    this.#started = w;
    w.onmessage = (ev: MessageEvent<FetchWorkerReply>) => {
      const r = ev.data;
      const p = this.#pending.get(r.id);
      if (!p) return;
      if (r.ok && r.head !== undefined) {
        p.head?.(r.head);
        return;
      }
      this.#pending.delete(r.id);
      p.resolve(r);
    };
    w.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      this.#fail(new KafkaError(`the fetch worker failed: ${ev.message}`));
    };
    return w;
  }

  /** The lanes opened so far (connect counts as of their last answer). */
  get lanes(): WorkerLane[] {
    return [...this.#lanes.values()].map((l) => ({
      brokerId: l.brokerId,
      lane: l.lane,
      connects: l.connects,
      open: l.open,
    }));
  }

  #fail(e: KafkaError): void {
    this.#failed ??= e;
    for (const p of this.#pending.values()) p.reject(e);
    this.#pending.clear();
  }

  #call(
    worker: Worker,
    make: (id: number) => FetchWorkerRequest,
    signal: AbortSignal | undefined,
    what: string,
    head?: (heads: FetchHead[]) => void,
  ): Promise<FetchWorkerReply> {
    if (this.#failed) return Promise.reject(this.#failed);
    if (signal?.aborted) {
      return Promise.reject(AbortError.fromSignal(signal, `${what} aborted`));
    }
    const id = ++this.#seq;
    return new Promise<FetchWorkerReply>((resolve, reject) => {
      const onAbort = () => {
        this.#pending.delete(id);
        worker.postMessage({ type: "cancel", target: id });
        reject(AbortError.fromSignal(signal!, `${what} aborted`));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#pending.set(id, {
        resolve: (r) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(r);
        },
        reject: (e) => {
          signal?.removeEventListener("abort", onAbort);
          reject(e);
        },
        head,
      });
      worker.postMessage(make(id));
    });
  }

  #record(
    key: string,
    brokerId: number,
    lane: string,
    r: FetchWorkerReply,
  ): WorkerLane & { version?: number } {
    let l = this.#lanes.get(key);
    if (!l) {
      this.#lanes.set(key, l = { brokerId, lane, connects: 0, open: false });
    }
    if (r.connects !== l.connects) l.version = undefined; // a new connection
    l.connects = r.connects;
    l.open = r.open;
    return l;
  }

  /**
   * The Fetch version of lane `lane` to broker `brokerId` (connecting it in
   * the worker first when it is not open).
   */
  async version(
    brokerId: number,
    lane: string,
    options: ManagedConnectionOptions,
    signal: AbortSignal,
  ): Promise<number> {
    const key = `${brokerId}/${lane}`;
    const known = this.#lanes.get(key);
    if (known?.open && known.version !== undefined) return known.version;
    const r = await this.#call(
      this.#worker(),
      (id) => ({ type: "connect", id, lane: key, options }),
      signal,
      `connecting to broker ${brokerId}`,
    );
    const l = this.#record(key, brokerId, lane, r);
    if (!r.ok) throw deserializeError(r.error);
    l.version = r.version;
    return r.version!;
  }

  /**
   * Sends `request` at `version` on a lane and resolves with the response,
   * its record sets decoded (`flags`, `limit` as `dk_decode` takes them).
   */
  async fetch(
    brokerId: number,
    lane: string,
    options: ManagedConnectionOptions,
    version: number,
    request: FetchRequest,
    positions: FetchPosition[],
    o: { timeoutMs: number; flags: number; limit: number },
    topicOf: (t: FetchResponseFetchableTopicResponse) => string,
    signal: AbortSignal,
    head?: (heads: FetchHead[]) => void,
  ): Promise<WorkerFetch> {
    const key = `${brokerId}/${lane}`;
    const r = await this.#call(
      this.#worker(),
      (id) => ({
        type: "fetch",
        id,
        lane: key,
        options,
        version,
        request,
        positions,
        timeoutMs: o.timeoutMs,
        flags: o.flags,
        limit: o.limit,
      }),
      signal,
      `Fetch v${version} from broker ${brokerId}`,
      head,
    );
    this.#record(key, brokerId, lane, r);
    if (!r.ok) throw deserializeError(r.error);
    const res = r.res!;
    const results = r.results!;
    const lengths = r.lengths!;
    const pre = new Map<FetchResponsePartitionData, PreDecoded>();
    let k = 0;
    for (const t of res.responses) {
      const topic = topicOf(t);
      for (const pr of t.partitions) {
        if (pr.records === null) continue;
        pre.set(
          pr,
          preDecoded(
            results[k],
            pr.records,
            lengths[k++],
            topic,
            pr.partitionIndex,
            o.limit,
          ),
        );
      }
    }
    return {
      res,
      pre,
      requestBytes: r.requestBytes ?? 0,
      responseBytes: r.responseBytes ?? 0,
    };
  }

  /**
   * Closes the worker's connections (bounded by `timeoutMs`) and ends it;
   * calls in flight reject. Idempotent.
   */
  async close(timeoutMs: number): Promise<void> {
    if (this.#terminated) return;
    if (!this.#failed) {
      if (this.#started) {
        try {
          await this.#call(
            this.#started,
            (id) => ({ type: "close", id }),
            AbortSignal.timeout(Math.max(1, timeoutMs)),
            "closing the fetch worker's connections",
          );
        } catch {
          // Terminating the worker below releases its sockets too.
        }
      }
    }
    for (const l of this.#lanes.values()) l.open = false;
    this.terminate();
  }

  /** Ends the worker at once; calls in flight reject. Idempotent. */
  terminate(): void {
    if (this.#terminated) return;
    this.#terminated = true;
    if (this.#started) {
      endWorker(this.#started);
      this.#started = undefined;
    }
    this.#fail(new AbortError("the fetch worker was terminated"));
  }
}
