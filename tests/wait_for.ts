/**
 * Bounded polling for tests: wait until a condition holds instead of
 * sleeping a fixed time and hoping the state was reached (which flakes on a
 * busy machine). Prefer waiting on an event (a promise the code under test
 * resolves) where there is one; poll where the state is only observable.
 *
 * @module
 */

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long (default 30 000 ms). */
  timeoutMs?: number;
  /** Pause between two checks (default 100 ms). */
  intervalMs?: number;
  /** What is awaited, for the timeout error (default "the condition"). */
  what?: string;
}

/**
 * Calls `predicate` until it returns a truthy value and resolves with that
 * value (so never `null` or `undefined`). Throws an `Error` naming `what` when `timeoutMs` passes first; an
 * error thrown by `predicate` is thrown at once.
 *
 * @example
 * ```ts
 * import { waitFor } from "./wait_for.ts";
 * let ready = false;
 * setTimeout(() => ready = true, 10);
 * await waitFor(() => ready, { what: "ready", timeoutMs: 5000, intervalMs: 5 });
 * ```
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const { timeoutMs = 30_000, intervalMs = 100, what = "the condition" } =
    options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value as NonNullable<T>;
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
