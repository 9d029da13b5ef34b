// Internal: decoding of fetched record sets in a Web Worker (the consumer's
// `useWorkers` mode). The main thread hands a fetch response's buffer over
// (transferred, no copy) with the position of each partition's record set;
// the worker verifies checksums, decompresses and indexes them with the
// WebAssembly decoder, and hands the buffer back with each set's index and
// decompressed data (transferred). The main thread then builds messages as
// views into those buffers (`decodedFromWorker`), as the in-thread decoder
// does.

import { AbortError, KafkaError } from "../errors/mod.ts";
import { deno } from "../util/runtime.ts";
import type { WasmFailure } from "./_wasm.ts";
import type { RawDecoded } from "./decode_records.ts";
import { type LazyDecoded, lazyDecoded } from "./_lazy_messages.ts";
import { failureToError } from "./_util.ts";

/** One record set of a job: where it is in the buffer, and its fetch offset. */
export interface DecodePart {
  offset: number;
  length: number;
  minOffset: number;
}

/** A job for the worker (internal). */
export interface DecodeJob {
  id: number;
  buf: ArrayBuffer;
  parts: DecodePart[];
  flags: number;
  limit: number;
}

/** The result of one record set: its index, a decoder failure, or a crash message. */
export type PartResult = RawDecoded | WasmFailure | { crash: string };

/** The worker's answer to a job (internal). */
export interface DecodeReply {
  id: number;
  buf: ArrayBuffer;
  results: PartResult[];
}

let live = 0;

/**
 * Decode and fetch workers (`useWorkers`) started and not yet terminated
 * (in this thread).
 */
export function liveDecodeWorkers(): number {
  return live;
}

/**
 * Throws a `KafkaError` unless module workers can run here (Deno): the
 * `what`'s module is TypeScript, which the Node and Bun builds do not
 * carry.
 */
export function requireWorkers(what: string): void {
  if (deno === undefined || typeof Worker !== "function") {
    throw new KafkaError(
      `useWorkers needs Deno (its Web Workers load the ${what}'s TypeScript module); on Node and Bun use useWorkers: false`,
    );
  }
}

/**
 * Starts the module worker `url` (counted in `liveDecodeWorkers` until
 * `endWorker`). Throws a `KafkaError` outside Deno: the workers are
 * TypeScript modules next to this one, which the Node and Bun builds do
 * not carry.
 */
export function startModuleWorker(url: URL, what: string): Worker {
  requireWorkers(what);
  const w = new Worker(url.href, { type: "module" });
  live++;
  return w;
}

/** Terminates a worker of `startModuleWorker`. */
export function endWorker(w: Worker): void {
  w.terminate();
  live--;
}

/** The buffers of a set's index and decompressed data, to transfer. */
export function resultBuffers(r: PartResult): ArrayBuffer[] {
  if (!("recF" in r)) return [];
  const out: ArrayBuffer[] = [];
  for (const a of [r.recF, r.recI, r.hdr, r.batF, r.batI, r.data]) {
    if (a.byteLength > 0) out.push(a.buffer as ArrayBuffer);
  }
  return out;
}

interface Pending {
  resolve: (r: DecodeReply) => void;
  reject: (e: unknown) => void;
}

/** One decode worker; `terminate()` ends it (and fails jobs in flight). */
export class WorkerDecoder {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #seq = 0;
  #failed: KafkaError | undefined;
  #terminated = false;

  /** Starts the worker (Deno only: a `KafkaError` elsewhere). */
  constructor() {
    this.#worker = startModuleWorker(
      new URL("./_decode_worker.ts", import.meta.url),
      "decoder",
    );
    this.#worker.onmessage = (ev: MessageEvent<DecodeReply>) => {
      const p = this.#pending.get(ev.data.id);
      if (!p) return;
      this.#pending.delete(ev.data.id);
      p.resolve(ev.data);
    };
    this.#worker.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      this.#fail(
        new KafkaError(`the decode worker failed: ${ev.message}`),
      );
    };
  }

  /** Jobs in flight. */
  get pending(): number {
    return this.#pending.size;
  }

  #fail(e: KafkaError): void {
    this.#failed ??= e;
    for (const p of this.#pending.values()) p.reject(e);
    this.#pending.clear();
  }

  /**
   * Decodes the record sets `parts` of `buf`, which is transferred to the
   * worker (detached here until the reply hands it back). Rejects with an
   * `AbortError` when `signal` aborts or the decoder is terminated.
   */
  decode(
    buf: ArrayBuffer,
    parts: DecodePart[],
    flags: number,
    limit: number,
    signal: AbortSignal,
  ): Promise<DecodeReply> {
    if (this.#failed) return Promise.reject(this.#failed);
    if (signal.aborted) {
      return Promise.reject(AbortError.fromSignal(signal, "decoding aborted"));
    }
    const id = ++this.#seq;
    return new Promise<DecodeReply>((resolve, reject) => {
      const onAbort = () => {
        this.#pending.delete(id);
        reject(AbortError.fromSignal(signal, "decoding aborted"));
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.#pending.set(id, {
        resolve: (r) => {
          signal.removeEventListener("abort", onAbort);
          resolve(r);
        },
        reject: (e) => {
          signal.removeEventListener("abort", onAbort);
          reject(e);
        },
      });
      const job: DecodeJob = { id, buf, parts, flags, limit };
      this.#worker.postMessage(job, [buf]);
    });
  }

  /** Ends the worker; jobs in flight reject. Idempotent. */
  terminate(): void {
    if (this.#terminated) return;
    this.#terminated = true;
    endWorker(this.#worker);
    this.#fail(new AbortError("the decode worker was terminated"));
  }
}

/**
 * The messages of one record set decoded by a worker: `bytes` is the set
 * in the buffer the worker handed back; keys and values are views into it
 * and into the set's decompressed data. A failure becomes the error the
 * in-thread decoder would throw.
 */
export function decodedFromWorker(
  result: PartResult,
  bytes: Uint8Array,
  topic: string,
  partition: number,
  limit: number,
): LazyDecoded | Error {
  if ("crash" in result) {
    return new KafkaError(`The WebAssembly codec trapped: ${result.crash}`);
  }
  if (!("recF" in result)) {
    return failureToError(result, { topic, partition }, limit);
  }
  return lazyDecoded(result, bytes, topic, partition);
}
