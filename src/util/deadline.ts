/**
 * The deadline of one public operation: whatever its retries, reconnects
 * and backoffs do inside, the caller's promise settles within `timeoutMs`
 * (with `RequestTimeoutError`) or as soon as the caller's `AbortSignal`
 * aborts (with the signal's reason, as Web APIs do). The operation gets a
 * signal that aborts in both cases, so that its waits (`RetrySchedule`,
 * requests, connects) stop too instead of running on unobserved.
 *
 * @module
 */
import { RequestTimeoutError } from "../errors/mod.ts";

/** The per-call options of an operation that talks to the cluster. */
export interface CallOptions {
  /**
   * Longest time in ms the call may take, retries included (default: the
   * operation's documented bound, usually the client's `retryTimeoutMs`).
   * On expiry it rejects with `RequestTimeoutError`.
   */
  timeoutMs?: number;
  /** Ends the call at once; it rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/**
 * The default of the client's `retryTimeoutMs`: the longest a public
 * operation that talks to the cluster takes, retries included.
 */
export const DEFAULT_RETRY_TIMEOUT_MS = 60_000;

/**
 * Runs `fn` with a signal that aborts after `timeoutMs` (0 or `Infinity`:
 * never) or when `signal` aborts, and settles with `fn`'s outcome or with
 * the first of those two: `RequestTimeoutError` naming `what`, or
 * `signal.reason`. Timers and listeners are removed when it settles.
 *
 * @example
 * ```ts
 * import { withDeadline } from "./deadline.ts";
 * import { RequestTimeoutError } from "../errors/mod.ts";
 * const never = (signal: AbortSignal) =>
 *   new Promise<void>((_, reject) =>
 *     signal.addEventListener("abort", () => reject(signal.reason))
 *   );
 * try {
 *   await withDeadline("waiting", 10, undefined, never);
 * } catch (e) {
 *   console.assert(e instanceof RequestTimeoutError);
 * }
 * const reason = new Error("stop");
 * try {
 *   await withDeadline("waiting", 1000, AbortSignal.abort(reason), never);
 * } catch (e) {
 *   console.assert(e === reason);
 * }
 * ```
 */
export function withDeadline<T>(
  what: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  const bounded = timeoutMs > 0 && Number.isFinite(timeoutMs);
  if (!bounded && !signal) {
    return fn(new AbortController().signal);
  }
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      settle();
      controller.abort(signal!.reason);
      reject(signal!.reason);
    };
    if (bounded) {
      timer = setTimeout(() => {
        settle();
        const e = new RequestTimeoutError(
          `${what} did not complete within ${timeoutMs} ms`,
        );
        controller.abort(e);
        reject(e);
      }, timeoutMs);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    let running: Promise<T>;
    try {
      running = fn(controller.signal);
    } catch (e) {
      running = Promise.reject(e);
    }
    running.then(
      (v) => {
        settle();
        resolve(v);
      },
      (e) => {
        settle();
        reject(e);
      },
    );
  });
}

/** `signal` and `other` as one signal (either may be missing). */
export function anySignal(
  signal: AbortSignal | undefined,
  other: AbortSignal | undefined,
): AbortSignal | undefined {
  if (!signal) return other;
  if (!other) return signal;
  return AbortSignal.any([signal, other]);
}
