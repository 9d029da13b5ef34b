/**
 * Exponential backoff with jitter, for reconnecting to a broker.
 *
 * @module
 */

/** Backoff settings. */
export interface BackoffOptions {
  /** Delay before the first retry, in ms (default 100). */
  initialMs?: number;
  /** Upper bound of any delay, in ms (default 10000). */
  maxMs?: number;
  /** Growth factor per attempt (default 2). */
  factor?: number;
  /** Fraction of the delay that is randomized, 0..1 (default 0.2: ±20 %). */
  jitter?: number;
}

/**
 * The delay before retry number `attempt` (0-based):
 * `min(maxMs, initialMs * factor^attempt)`, randomized by ±`jitter` and
 * never above `maxMs`.
 *
 * @example
 * ```ts
 * import { backoffDelay } from "./backoff.ts";
 * const d = backoffDelay(3, { initialMs: 100, maxMs: 5000, jitter: 0 }); // 800
 * ```
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const initial = options.initialMs ?? 100;
  const max = options.maxMs ?? 10_000;
  const factor = options.factor ?? 2;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.2));
  const base = Math.min(max, initial * Math.pow(factor, Math.max(0, attempt)));
  const spread = base * jitter;
  const d = base - spread + random() * 2 * spread;
  return Math.max(0, Math.min(max, Math.round(d)));
}

/**
 * Waits `ms` milliseconds, or rejects with the signal's reason when it
 * aborts first. The timer is cleared either way.
 *
 * @example
 * ```ts
 * import { sleep } from "./backoff.ts";
 * await sleep(10);
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
