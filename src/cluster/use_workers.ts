/**
 * The concurrency model of consumers (pykafka's `use_greenlets`), as the
 * `useWorkers` option of the client and of each consumer takes it.
 *
 * @module
 */

/**
 * How a consumer's fetch engine uses Web Workers (Deno only):
 *
 * - `false`: none; sockets, decoding and messages on the event loop.
 * - `true` or `"decode"`: the event loop reads the sockets; one worker per
 *   consumer verifies checksums, decompresses and indexes the record sets.
 * - `"sockets"`: the fetch connections live in one worker per consumer,
 *   which reads the responses into buffers it reuses and decodes the
 *   records there; the event loop builds requests and messages. With a
 *   custom `transport` (a function, which cannot be given to a worker) it
 *   falls back to `"decode"`.
 *
 * @example
 * ```ts
 * import { type UseWorkers, workerMode } from "@denokafka/kafka";
 *
 * const mode: UseWorkers = "sockets";
 * console.log(workerMode(mode)); // "sockets"
 * ```
 */
export type UseWorkers = boolean | "decode" | "sockets";

/**
 * What `useWorkers` resolves to: `"none"`, `"decode"` (also `true`) or
 * `"sockets"`.
 *
 * @example
 * ```ts
 * import { workerMode } from "@denokafka/kafka";
 *
 * console.log(workerMode(true)); // "decode"
 * ```
 */
export function workerMode(
  useWorkers: UseWorkers | undefined,
): "none" | "decode" | "sockets" {
  if (useWorkers === "sockets") return "sockets";
  if (useWorkers === true || useWorkers === "decode") return "decode";
  return "none";
}
