// The pipelined request queue of one connection: requests queued in the
// same tick are written with one socket write, many are in flight at once,
// and the read loop matches each response frame to its request by
// correlation id (legacy SASL's raw frames, which have none, in order).
// Per-request timeouts and AbortSignals; a dropped connection rejects
// everything still waiting at once. `BrokerConnection` owns one.

import {
  AbortError,
  KafkaError,
  ProtocolError,
  RequestTimeoutError,
  SocketDisconnectedError,
  SslAuthenticationError,
} from "../errors/mod.ts";
import { errorText } from "../util/error_text.ts";
import { isTlsRejection } from "./_tls_failure.ts";
import {
  type FrameDecoder,
  frameTooLarge,
  int32At,
  markOwnedFrame,
  markReusedBuffer,
  takeKeptMark,
} from "./_framing.ts";
import type { Transport } from "./transport.ts";
import type { ConnectionStats } from "./connection.ts";

const READ_CHUNK = 64 * 1024;

const QUEUED = 0;
const SENT = 1;
const DONE = 2;
const CANCELLED = 3;
const ABANDONED = 4;

interface Entry {
  id: number;
  frame: Uint8Array;
  /** Decodes the response frame; null when no response is expected. */
  decode: FrameDecoder | null;
  raw: boolean;
  state: number;
  label: string;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

const EMPTY = new Uint8Array(0);

/** The requests of one connection, from queued to answered. */
export class RequestQueue {
  readonly #transport: Transport;
  /** Where the connection goes, for messages (`broker 1 host:9092`). */
  readonly #where: string;
  readonly #maxFrameBytes: number;
  /** How the broker version was detected, appended to disconnect messages. */
  readonly #detection: string;
  readonly #pending = new Map<number, Entry>();
  readonly #rawPending: Entry[] = [];
  #queue: Entry[] = [];
  #flushScheduled = false;
  #writeActive = false;
  #flushDone: Promise<void> = Promise.resolve();
  /** The batch being written (entries expecting no response settle after it). */
  #inWrite: Entry[] = [];
  #closed = false;
  #closeReason: KafkaError | undefined;
  readonly #closedWaiters: Array<(e: KafkaError) => void> = [];
  readonly #readLoop: Promise<void>;
  /** The peer ended the stream cleanly between frames (EOF, no error). */
  #peerClosed = false;
  /**
   * Frames are valid only while they are decoded (`reuseBuffers`): the
   * read loop reads into the same buffers again instead of new ones.
   */
  #reuse = false;
  /** The buffer big frames are read into, with `#reuse`. */
  #big: Uint8Array<ArrayBuffer> | undefined;
  readonly #stats: ConnectionStats = {
    requests: 0,
    responses: 0,
    writes: 0,
    bytesWritten: 0,
    bytesRead: 0,
  };

  constructor(
    transport: Transport,
    where: string,
    maxFrameBytes: number,
    detection: string,
  ) {
    this.#transport = transport;
    this.#where = where;
    this.#maxFrameBytes = maxFrameBytes;
    this.#detection = detection;
    this.#readLoop = this.#runReadLoop();
  }

  /** True once the connection is closed or dropped. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Why the connection closed, once it has. */
  get closeReason(): KafkaError | undefined {
    return this.#closeReason;
  }

  /** The peer ended the stream cleanly between frames. */
  get peerClosed(): boolean {
    return this.#peerClosed;
  }

  /** Requests waiting for a response (or to be written). */
  get inFlight(): number {
    let n = 0;
    for (const e of this.#pending.values()) if (e.state !== ABANDONED) n++;
    return n + this.#rawPending.length;
  }

  /** A copy of the counters. */
  get stats(): ConnectionStats {
    return { ...this.#stats };
  }

  /**
   * From the next frame on, frames are valid only while their decoder runs:
   * the read loop reads every frame into buffers it reuses (no new, zeroed
   * buffer per big frame). For a reader that takes what it needs out of a
   * frame at once (the fetch worker).
   */
  reuseBuffers(): void {
    this.#reuse = true;
  }

  /** A buffer for a big frame of `size` bytes (see `reuseBuffers`). */
  #bigFrame(size: number): Uint8Array<ArrayBuffer> {
    if (!this.#reuse) {
      const frame = new Uint8Array(size);
      markOwnedFrame(frame.buffer);
      return frame;
    }
    if (this.#big === undefined || this.#big.length < size) {
      // A buffer that grows is grown by a quarter beyond the need, so slowly
      // growing responses do not reallocate every time (bounded by
      // maxFrameBytes); a first one (or one after a kept frame, which the
      // messages hold on to) is the frame's exact size.
      this.#big = new Uint8Array(
        this.#big === undefined
          ? size
          : Math.min(this.#maxFrameBytes, size + (size >>> 2)),
      );
      markOwnedFrame(this.#big.buffer);
      markReusedBuffer(this.#big.buffer);
    }
    return this.#big.subarray(0, size);
  }

  /** Resolves with the reason when the connection closes or drops. */
  whenClosed(): Promise<KafkaError> {
    if (this.#closeReason) return Promise.resolve(this.#closeReason);
    return new Promise((resolve) => this.#closedWaiters.push(resolve));
  }

  /**
   * Queues one frame. `decode` turns the response frame into the value the
   * promise resolves with; `null` for requests the broker does not answer
   * (they resolve with `undefined` once written). `raw` frames (legacy SASL
   * tokens) are answered in order, without a correlation id.
   */
  enqueue(
    id: number,
    frame: Uint8Array,
    decode: FrameDecoder | null,
    raw: boolean,
    label: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    if (this.#closed) return Promise.reject(this.#closeReason);
    return new Promise<unknown>((resolve, reject) => {
      if (signal?.aborted) {
        reject(AbortError.fromSignal(signal, `${label} aborted`));
        return;
      }
      const e: Entry = {
        id,
        frame,
        decode,
        raw,
        state: QUEUED,
        label,
        resolve,
        reject,
        timer: undefined,
        signal,
        onAbort: undefined,
      };
      if (signal) {
        e.onAbort = () =>
          this.#cancel(e, AbortError.fromSignal(signal, `${label} aborted`));
        signal.addEventListener("abort", e.onAbort, { once: true });
      }
      if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
        e.timer = setTimeout(() => {
          e.timer = undefined;
          this.#cancel(
            e,
            new RequestTimeoutError(
              `${label} to ${this.#where}: no response after ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
      }
      if (raw) this.#rawPending.push(e);
      else if (decode) this.#pending.set(id, e);
      this.#queue.push(e);
      this.#scheduleFlush();
    });
  }

  #settle(e: Entry, value: unknown, error?: unknown): void {
    if (e.timer !== undefined) {
      clearTimeout(e.timer);
      e.timer = undefined;
    }
    if (e.onAbort) {
      e.signal!.removeEventListener("abort", e.onAbort);
      e.onAbort = undefined;
    }
    if (error !== undefined) e.reject(error);
    else e.resolve(value);
  }

  /** Timeout or abort of one request. */
  #cancel(e: Entry, error: KafkaError): void {
    if (e.state === QUEUED) {
      e.state = CANCELLED; // never written
      e.frame = EMPTY;
      if (!e.raw) this.#pending.delete(e.id);
    } else if (e.state === SENT) {
      if (e.raw) {
        // A raw frame has no id to skip its answer by: the stream is lost.
        this.#settle(e, undefined, error);
        e.state = DONE;
        this.fail(
          new SocketDisconnectedError(
            `${this.#where}: ${error.message} during SASL authentication`,
            { cause: error },
          ),
        );
        return;
      }
      e.state = e.decode ? ABANDONED : DONE; // its late answer is dropped
    } else return;
    this.#settle(e, undefined, error);
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#writeActive) return;
    this.#flushScheduled = true;
    queueMicrotask(() => {
      this.#flushScheduled = false;
      if (!this.#writeActive && !this.#closed) this.#flushDone = this.#flush();
    });
  }

  /** Writes everything queued, one socket write per batch. */
  async #flush(): Promise<void> {
    this.#writeActive = true;
    try {
      while (this.#queue.length > 0 && !this.#closed) {
        const batch = this.#queue;
        this.#queue = [];
        let total = 0;
        let live = 0;
        for (const e of batch) {
          if (e.state === QUEUED) {
            total += e.frame.length;
            live++;
          }
        }
        if (live === 0) continue;
        let out: Uint8Array;
        if (live === 1) {
          out = batch.find((e) => e.state === QUEUED)!.frame;
        } else {
          out = new Uint8Array(total);
          let off = 0;
          for (const e of batch) {
            if (e.state !== QUEUED) continue;
            out.set(e.frame, off);
            off += e.frame.length;
          }
        }
        for (const e of batch) {
          if (e.state === QUEUED) {
            e.state = SENT;
            e.frame = EMPTY;
          }
        }
        this.#stats.requests += live;
        this.#stats.writes++;
        this.#stats.bytesWritten += total;
        this.#inWrite = batch;
        await this.#transport.write(out);
        this.#inWrite = [];
        for (const e of batch) {
          if (e.state === SENT && e.decode === null) {
            e.state = DONE;
            this.#settle(e, undefined);
          }
        }
      }
    } catch (err) {
      this.fail(
        new SocketDisconnectedError(
          `writing to ${this.#where} failed: ${errorText(err)}${this.#hint()}`,
          { cause: err },
        ),
      );
    } finally {
      this.#writeActive = false;
    }
  }

  #hint(): string {
    return this.#detection ? ` (${this.#detection})` : "";
  }

  /**
   * The read loop: reads into 64 KiB chunks and hands out complete frames as
   * views (no copy); a frame larger than half a chunk gets an exact-size
   * buffer that the socket reads straight into. Bytes handed out are never
   * overwritten: a new chunk is started instead. With `reuseBuffers`, a
   * frame lives only while it is decoded, so the chunk and one big-frame
   * buffer are read into again and again.
   */
  async #runReadLoop(): Promise<void> {
    let buf = new Uint8Array(READ_CHUNK);
    let start = 0;
    let end = 0;
    const max = this.#maxFrameBytes;
    try {
      for (;;) {
        while (end - start >= 4) {
          const size = int32At(buf, start);
          if (size < 0 || size > max) {
            throw frameTooLarge(
              this.#where,
              size,
              max,
              buf.subarray(start, end),
            );
          }
          const have = end - start - 4;
          if (have >= size) {
            const frame = buf.subarray(start + 4, start + 4 + size);
            // The chunk is read into again: a decoder keeping the frame
            // must copy it (`keepFrame`).
            if (this.#reuse) markReusedBuffer(buf.buffer);
            start += 4 + size;
            this.#dispatch(frame);
            if (this.#closed) return;
            continue;
          }
          if (size > READ_CHUNK / 2) {
            // Big frame: exact buffer, read straight into it.
            const frame = this.#bigFrame(size);
            frame.set(buf.subarray(start + 4, end));
            let got = have;
            while (got < size) {
              const n = await this.#transport.read(frame.subarray(got));
              if (n === null) {
                throw new SocketDisconnectedError(
                  `${this.#where} closed the connection mid-frame (${got} of ${size} bytes)`,
                );
              }
              got += n;
              this.#stats.bytesRead += n;
            }
            if (!this.#reuse) buf = new Uint8Array(READ_CHUNK);
            start = end = 0;
            this.#dispatch(frame);
            // A decoder that kept the frame (`keepFrame`) owns its buffer.
            if (this.#big && takeKeptMark(this.#big.buffer)) {
              this.#big = undefined;
            }
            if (this.#closed) return;
            continue;
          }
          if (start + 4 + size > buf.length) {
            buf = this.#compact(buf, start, end);
            end -= start;
            start = 0;
          }
          break;
        }
        if (end === buf.length) {
          buf = this.#compact(buf, start, end);
          end -= start;
          start = 0;
        } else if (this.#reuse && start === end) start = end = 0;
        let n: number | null;
        try {
          n = await this.#transport.read(buf.subarray(end));
        } catch (err) {
          if (this.#closed) return;
          const alert = /fatal alert/i.test(errorText(err))
            ? " (the broker ended the TLS session: does it trust the client certificate?)"
            : "";
          const message = `reading from ${this.#where} failed: ${
            errorText(err)
          }${alert}${this.#hint()}`;
          // A TLS 1.3 broker refuses a client certificate after the
          // handshake, on the first read: as final as a failed handshake.
          throw isTlsRejection(err)
            ? new SslAuthenticationError(message, { cause: err })
            : new SocketDisconnectedError(message, { cause: err });
        }
        if (this.#closed) return;
        if (n === null) {
          this.#peerClosed = end === start;
          throw new SocketDisconnectedError(
            end > start
              ? `${this.#where} closed the connection mid-frame (${
                end - start
              } bytes of a frame received)`
              : `${this.#where} closed the connection${this.#hint()}`,
          );
        }
        end += n;
        this.#stats.bytesRead += n;
      }
    } catch (err) {
      this.fail(
        err instanceof KafkaError ? err : new SocketDisconnectedError(
          `connection to ${this.#where} failed: ${errorText(err)}`,
          { cause: err },
        ),
      );
    }
  }

  /**
   * Moves the partial frame `start..end` of `buf` to the front: of a new
   * chunk (frames handed out may still be in use), or of the same one with
   * `reuseBuffers`.
   */
  #compact(
    buf: Uint8Array<ArrayBuffer>,
    start: number,
    end: number,
  ): Uint8Array<ArrayBuffer> {
    if (this.#reuse) {
      buf.copyWithin(0, start, end);
      return buf;
    }
    const next = new Uint8Array(READ_CHUNK);
    next.set(buf.subarray(start, end));
    return next;
  }

  #dispatch(frame: Uint8Array): void {
    this.#stats.responses++;
    const raw = this.#rawPending.shift();
    if (raw) {
      if (raw.state === SENT) {
        raw.state = DONE;
        this.#settle(raw, raw.decode!(frame));
      }
      return;
    }
    if (frame.length < 4) {
      throw new ProtocolError(
        `${this.#where} sent a ${frame.length}-byte frame without a correlation id`,
      );
    }
    const id = int32At(frame, 0);
    const e = this.#pending.get(id);
    if (!e || e.state === QUEUED) {
      throw new ProtocolError(
        `${this.#where} sent a response with unknown correlation id ${id}`,
      );
    }
    this.#pending.delete(id);
    if (e.state === ABANDONED) return;
    e.state = DONE;
    let value: unknown;
    try {
      value = e.decode!(frame);
    } catch (err) {
      this.#settle(
        e,
        undefined,
        err instanceof KafkaError ? err : new ProtocolError(
          `cannot decode the ${e.label} response from ${this.#where}: ${
            errorText(err)
          }`,
          { cause: err },
        ),
      );
      return;
    }
    this.#settle(e, value);
  }

  /** Drops the connection: every request still waiting is rejected with `reason`. */
  fail(reason: KafkaError): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeReason = reason;
    this.#transport.close();
    for (const e of this.#pending.values()) {
      if (e.state === QUEUED || e.state === SENT) {
        e.state = DONE;
        this.#settle(e, undefined, reason);
      }
    }
    this.#pending.clear();
    for (const e of [...this.#rawPending, ...this.#queue, ...this.#inWrite]) {
      if (e.state === QUEUED || e.state === SENT) {
        e.state = DONE;
        this.#settle(e, undefined, reason);
      }
    }
    this.#rawPending.length = 0;
    this.#queue = [];
    this.#inWrite = [];
    for (const w of this.#closedWaiters.splice(0)) w(reason);
  }

  /**
   * Drops the connection with `reason` (when still open) and resolves once
   * the socket, the read loop and any write under way are released.
   */
  async close(reason: KafkaError): Promise<void> {
    this.fail(reason);
    await this.#readLoop;
    await this.#flushDone;
    await this.#transport.close();
  }
}
