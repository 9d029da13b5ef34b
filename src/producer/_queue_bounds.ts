// A producer's queue bounds (internal): the records and payload bytes it
// has queued or in flight, against `maxQueuedMessages` and
// `maxQueuedBytes`; produce() calls that find the queue full wait for room
// in the order they came (`blockOnQueueFull`), or are turned away.
import { ProducerQueueFullError } from "../errors/mod.ts";

/** A produce() waiting for room: let in (`true`) or turned away (`false`). */
interface RoomWaiter {
  size: number;
  admit: (admitted: boolean | "aborted") => void;
}

/** The pending counts of one producer and the calls waiting for room. */
export class QueueBounds {
  /** Records queued or in flight. */
  pending = 0;
  /** Their payload bytes (values, keys, headers). */
  pendingBytes = 0;
  readonly #maxMessages: number;
  readonly #maxBytes: number;
  readonly #room: RoomWaiter[] = [];
  /** Waiters let in that have not queued their record yet ... */
  #woken = 0;
  /** ... and their bytes. */
  #wokenBytes = 0;

  constructor(maxMessages: number, maxBytes: number) {
    this.#maxMessages = maxMessages;
    this.#maxBytes = maxBytes;
  }

  /**
   * Whether a record of `size` bytes may be queued now: it fits, and no
   * earlier call is waiting for room.
   */
  fits(size: number): boolean {
    return this.#room.length === 0 && this.#woken === 0 &&
      this.#hasRoom(size, 0, 0);
  }

  /** A record of `bytes` payload bytes was queued. */
  added(bytes: number): void {
    this.pending++;
    this.pendingBytes += bytes;
  }

  /** `n` records of `bytes` payload bytes are finished: room for waiters. */
  removed(n: number, bytes: number): void {
    this.pending -= n;
    this.pendingBytes -= bytes;
    if (this.#room.length > 0) this.#wake();
  }

  /**
   * Waits for room for a record of `size` bytes, after every earlier
   * waiter; `false` when turned away ({@linkcode QueueBounds.refuseAll}),
   * `"aborted"` when `signal` aborted the wait first (the waiter leaves the
   * line and the ones behind it may fit now).
   */
  async waitRoom(
    size: number,
    signal?: AbortSignal,
  ): Promise<boolean | "aborted"> {
    let onAbort: (() => void) | undefined;
    const admitted = await new Promise<boolean | "aborted">((admit) => {
      const waiter: RoomWaiter = { size, admit };
      this.#room.push(waiter);
      if (!signal) return;
      onAbort = () => {
        const i = this.#room.indexOf(waiter);
        if (i < 0) return; // let in or turned away already
        this.#room.splice(i, 1);
        admit("aborted");
        this.#wake();
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
    if (onAbort) signal?.removeEventListener("abort", onAbort);
    if (admitted === "aborted") return admitted;
    this.#woken--;
    this.#wokenBytes -= size;
    return admitted;
  }

  /** Turns every waiter away (the producer stops). */
  refuseAll(): void {
    for (const w of this.#room.splice(0)) {
      this.#woken++;
      this.#wokenBytes += w.size;
      w.admit(false);
    }
  }

  /** The error of a full queue that does not wait. */
  fullError(): ProducerQueueFullError {
    return new ProducerQueueFullError(
      `The producer queue is full: ${this.pending} messages (${this.pendingBytes} bytes) pending, maxQueuedMessages is ${this.#maxMessages}, maxQueuedBytes ${this.#maxBytes}`,
    );
  }

  /** Whether a message of `size` bytes fits (besides `n` / `bytes` let in). */
  #hasRoom(size: number, n: number, bytes: number): boolean {
    const pending = this.pending + n;
    if (pending >= this.#maxMessages) return false;
    return pending === 0 || this.pendingBytes + bytes + size <= this.#maxBytes;
  }

  #wake(): void {
    while (this.#room.length > 0) {
      const w = this.#room[0];
      if (!this.#hasRoom(w.size, this.#woken, this.#wokenBytes)) return;
      this.#room.shift();
      this.#woken++;
      this.#wokenBytes += w.size;
      w.admit(true);
    }
  }
}
