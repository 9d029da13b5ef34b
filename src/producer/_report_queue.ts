// The bounded queue of delivery reports (internal): at most `capacity`
// reports; when full the oldest is dropped and counted, so a producer whose
// reports are never read keeps bounded memory (pykafka #560, #906).
import { AbortError } from "../errors/mod.ts";
import type { Message } from "../records/mod.ts";

/** A delivery report: the message and `null`, or the message and its error. */
export type DeliveryReport = [Message, Error | null];

interface Waiter {
  resolve: (r: DeliveryReport | null) => void;
  reject: (e: unknown) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export class ReportQueue {
  readonly #capacity: number;
  #items: (DeliveryReport | undefined)[] = [];
  #head = 0;
  #waiters: Waiter[] = [];
  #closed = false;
  dropped = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  get closed(): boolean {
    return this.#closed;
  }

  push(r: DeliveryReport): void {
    if (this.#waiters.length > 0) {
      this.#settle(this.#waiters.shift()!, r);
      return;
    }
    if (this.size >= this.#capacity) {
      this.#items[this.#head++] = undefined;
      this.dropped++;
    }
    this.#items.push(r);
  }

  shift(): DeliveryReport | null {
    if (this.#head >= this.#items.length) return null;
    const r = this.#items[this.#head]!;
    this.#items[this.#head++] = undefined;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return r;
  }

  /** The next report, waiting up to `timeoutMs` (`null` on timeout or close). */
  wait(
    timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<DeliveryReport | null> {
    const r = this.shift();
    if (r !== null || this.#closed) return Promise.resolve(r);
    if (signal?.aborted) return Promise.reject(AbortError.fromSignal(signal));
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        resolve,
        reject,
        timer: undefined,
        signal,
        onAbort: undefined,
      };
      if (timeoutMs !== undefined && timeoutMs >= 0 && timeoutMs < Infinity) {
        w.timer = setTimeout(() => {
          w.timer = undefined;
          this.#remove(w);
          this.#settle(w, null);
        }, timeoutMs);
      }
      if (signal) {
        w.onAbort = () => {
          this.#remove(w);
          this.#settle(w, null, AbortError.fromSignal(signal));
        };
        signal.addEventListener("abort", w.onAbort, { once: true });
      }
      this.#waiters.push(w);
    });
  }

  #remove(w: Waiter): void {
    const i = this.#waiters.indexOf(w);
    if (i >= 0) this.#waiters.splice(i, 1);
  }

  #settle(w: Waiter, r: DeliveryReport | null, error?: unknown): void {
    if (w.timer !== undefined) clearTimeout(w.timer);
    if (w.onAbort) w.signal!.removeEventListener("abort", w.onAbort);
    if (error !== undefined) w.reject(error);
    else w.resolve(r);
  }

  /** No more reports will come: waiters get `null` once the queue is empty. */
  close(): void {
    this.#closed = true;
    const ws = this.#waiters;
    this.#waiters = [];
    for (const w of ws) this.#settle(w, null);
  }

  reopen(): void {
    this.#closed = false;
  }
}
