/**
 * The one retry policy of the library: a bounded number of attempts and/or
 * a total time budget, exponential (or linear) backoff with jitter, a
 * predicate that says which errors are worth another attempt, and an
 * `AbortSignal` that ends the wait with the signal's reason.
 *
 * Two forms share one schedule:
 *
 * - {@linkcode retry}`(fn, policy)` runs `fn` until it succeeds, and throws
 *   the last error when the policy gives up;
 * - {@linkcode RetrySchedule} is the same policy as a state machine, for
 *   loops that retry part of a request (the partitions that failed) or that
 *   schedule retries on a timer instead of sleeping (the producer).
 *
 * @module
 */
import { KafkaError } from "../errors/kafka_error.ts";
import { rules } from "./options.ts";

/** Backoff settings. */
export interface BackoffOptions {
  /** Delay before the first retry, in ms (default 100). */
  initialMs?: number;
  /** Upper bound of any delay, in ms (default 10000). */
  maxMs?: number;
  /**
   * Growth factor per attempt (default 2). With `linear: true` the delay
   * before retry `n` (1-based) is `n × initialMs` instead.
   */
  factor?: number;
  /** Linear growth instead of exponential (default `false`). */
  linear?: boolean;
  /** Fraction of the delay that is randomized, 0..1 (default 0.2: ±20 %). */
  jitter?: number;
}

/**
 * The delay before retry number `attempt` (0-based):
 * `min(maxMs, initialMs * factor^attempt)` (or `(attempt + 1) × initialMs`
 * when `linear`), randomized by ±`jitter` and never above `maxMs`.
 *
 * @example
 * ```ts
 * import { backoffDelay } from "./retry.ts";
 * console.assert(backoffDelay(3, { initialMs: 100, maxMs: 5000, jitter: 0 }) === 800);
 * console.assert(backoffDelay(2, { initialMs: 100, linear: true, jitter: 0 }) === 300);
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
  const n = Math.max(0, attempt);
  const grown = options.linear ? initial * (n + 1) : initial * factor ** n;
  const base = Math.min(max, grown);
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
 * import { sleep } from "./retry.ts";
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

/**
 * The default retriable predicate: a {@linkcode KafkaError} whose
 * `retriable` flag is set.
 *
 * @example
 * ```ts
 * import { isRetriable } from "./retry.ts";
 * import { KafkaError } from "../errors/kafka_error.ts";
 * console.assert(isRetriable(new KafkaError("x", { retriable: true })));
 * console.assert(!isRetriable(new TypeError("x")));
 * ```
 */
export function isRetriable(error: unknown): boolean {
  return error instanceof KafkaError && error.retriable;
}

/** How often and how long to try. */
export interface RetryPolicy {
  /**
   * Attempts in all, the first one included (default: unbounded when
   * `timeoutMs` is set, else 3). `1` means no retry.
   */
  attempts?: number;
  /**
   * Time budget in ms for all attempts and the waits between them,
   * counted from the schedule's creation (default: none). No wait runs past
   * it; the bound of a whole operation is this plus one attempt's own
   * timeout (pass {@linkcode RetrySchedule.remainingMs} to the attempt to
   * bound that too).
   */
  timeoutMs?: number;
  /** The waits between attempts (default 100 ms doubling to 10 s, ±20 %). */
  backoff?: BackoffOptions;
  /** Which errors are worth another attempt (default {@linkcode isRetriable}). */
  retriable?: (error: unknown) => boolean;
  /** Ends a wait at once with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * A retry policy in progress: counts attempts, keeps the deadline, and
 * answers "wait how long, or give up?" after each failure.
 *
 * @example
 * ```ts
 * import { RetrySchedule } from "./retry.ts";
 * import { KafkaError } from "../errors/kafka_error.ts";
 * const schedule = new RetrySchedule({ attempts: 3, backoff: { initialMs: 1 } });
 * let calls = 0;
 * for (;;) {
 *   try {
 *     if (++calls < 3) throw new KafkaError("busy", { retriable: true });
 *     break;
 *   } catch (e) {
 *     await schedule.wait(e); // throws e once the policy gives up
 *   }
 * }
 * console.assert(calls === 3 && schedule.failures === 2);
 * ```
 */
export class RetrySchedule {
  readonly #attempts: number;
  readonly #deadline: number;
  readonly #backoff: BackoffOptions | undefined;
  readonly #retriable: (error: unknown) => boolean;
  readonly #signal: AbortSignal | undefined;
  #failures = 0;

  /** Starts the clock of `policy.timeoutMs`. */
  constructor(policy: RetryPolicy = {}) {
    const timeout = policy.timeoutMs;
    this.#attempts = policy.attempts ??
      (timeout === undefined ? 3 : Number.POSITIVE_INFINITY);
    this.#deadline = timeout === undefined
      ? Number.POSITIVE_INFINITY
      : Date.now() + Math.max(0, timeout);
    this.#backoff = policy.backoff;
    this.#retriable = policy.retriable ?? isRetriable;
    this.#signal = policy.signal;
  }

  /** Failed attempts so far. */
  get failures(): number {
    return this.#failures;
  }

  /** Attempts allowed in all (`Infinity` when only a deadline bounds them). */
  get attempts(): number {
    return this.#attempts;
  }

  /** Ms left before the deadline (`Infinity` without one, never negative). */
  remainingMs(): number {
    return Math.max(0, this.#deadline - Date.now());
  }

  /**
   * Records a failed attempt and returns the delay before the next one, or
   * `undefined` when there is none: `error` is not retriable, the attempts
   * are used up, or the deadline has passed. For callers that schedule the
   * retry themselves; {@linkcode RetrySchedule.wait} also sleeps.
   */
  next(error: unknown): number | undefined {
    const n = this.#failures++;
    if (!this.#retriable(error)) return undefined;
    if (this.#failures >= this.#attempts) return undefined;
    const left = this.#deadline - Date.now();
    if (left <= 0) return undefined;
    return Math.min(backoffDelay(n, this.#backoff), left);
  }

  /**
   * After a failed attempt: waits out the backoff when another attempt may
   * run, or throws `error` when the policy gives up. The policy decides
   * first: an error it does not retry (such as the abort error of the
   * attempt's own request) is thrown as it is; otherwise an aborted signal
   * rejects with its reason, at once or during the wait.
   */
  async wait(error: unknown): Promise<void> {
    if (!(await this.pause(error))) throw error;
  }

  /**
   * Like {@linkcode RetrySchedule.wait}, for loops that end in their own
   * way when the policy gives up (a partial result, an error of their own,
   * a plain return): waits out the backoff and resolves `true` when another
   * attempt may run, or resolves `false` at once. Rejects with the signal's
   * reason when the signal aborts (unless the policy gave up first).
   * Polling loops ("not ready yet", no error) use a `retriable: () => true`
   * policy and call it without an error.
   *
   * @example
   * ```ts
   * import { RetrySchedule } from "./retry.ts";
   * const schedule = new RetrySchedule({
   *   attempts: 3,
   *   retriable: () => true,
   *   backoff: { initialMs: 1 },
   * });
   * let rounds = 1;
   * while (await schedule.pause()) rounds++;
   * console.assert(rounds === 3);
   * ```
   */
  async pause(error?: unknown): Promise<boolean> {
    const delay = this.next(error);
    if (delay === undefined) return false;
    await sleep(delay, this.#signal);
    return true;
  }
}

/** {@linkcode retry}'s policy, plus a hook between attempts. */
export interface RetryOptions extends RetryPolicy {
  /**
   * Runs after a retriable failure, before the backoff (for example a
   * metadata refresh or a coordinator lookup). An error it throws ends the
   * retries.
   */
  onRetry?: (error: unknown, failures: number) => void | Promise<void>;
}

/**
 * Runs `fn` until it resolves, retrying retriable failures by `options`;
 * throws the last error when the policy gives up, or the signal's reason
 * when it aborts before a retry. The policy decides first: an error it
 * does not retry (such as the abort error of `fn`'s own request) is thrown
 * as it is. `fn` gets the 0-based attempt number and the schedule (for
 * {@linkcode RetrySchedule.remainingMs}).
 *
 * @example
 * ```ts
 * import { retry } from "./retry.ts";
 * import { KafkaError } from "../errors/kafka_error.ts";
 * let n = 0;
 * const v = await retry(() => {
 *   if (++n < 2) throw new KafkaError("try again", { retriable: true });
 *   return Promise.resolve("done");
 * }, { attempts: 5, backoff: { initialMs: 1 } });
 * console.assert(v === "done" && n === 2);
 * ```
 */
export async function retry<T>(
  fn: (attempt: number, schedule: RetrySchedule) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const schedule = new RetrySchedule(options);
  for (let attempt = 0;; attempt++) {
    try {
      return await fn(attempt, schedule);
    } catch (e) {
      const delay = schedule.next(e);
      if (delay === undefined) throw e;
      options.signal?.throwIfAborted();
      await options.onRetry?.(e, schedule.failures);
      await sleep(delay, options.signal);
    }
  }
}

/**
 * The rules of {@linkcode BackoffOptions} for `validateOptions` (internal:
 * options such as `reconnectBackoff` nest them with `rules.object`).
 */
export const BACKOFF_OPTION_RULES = {
  initialMs: rules.ms(0),
  maxMs: rules.ms(0),
  factor: rules.number(1, 100),
  linear: rules.bool(),
  jitter: rules.number(0, 1),
};
