// Metadata refreshes for a fetch engine's loops: one at a time, after the
// fetch error backoff, and never longer than one request, so a loop that
// waits for new leaders is never held by a metadata request that hangs.

import { KafkaError } from "../errors/mod.ts";
import type { Cluster } from "../cluster/mod.ts";
import { sleep } from "../util/retry.ts";

/** What a refresh uses of the cluster. */
export type RefreshCluster = Pick<Cluster, "update" | "updateOnError">;

/** `p`, or a rejection after `ms` or when `signal` aborts (`p` runs on). */
function deadline<T>(
  p: Promise<T>,
  ms: number,
  signal: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      done();
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      done();
      reject(new KafkaError(`no metadata after ${ms} ms`));
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then((v) => {
      done();
      resolve(v);
    }, (e) => {
      done();
      reject(e);
    });
  });
}

/** One metadata refresh at a time; callers during one share it. */
export class MetadataRefresh {
  readonly #cluster: RefreshCluster;
  readonly #backoffMs: number;
  readonly #timeoutMs: number;
  #pending: Promise<void> | undefined;

  /**
   * @param cluster the cluster to refresh
   * @param backoffMs wait before each refresh (`fetchErrorBackoffMs`)
   * @param timeoutMs longest a refresh may take (one fetch request's timeout)
   */
  constructor(cluster: RefreshCluster, backoffMs: number, timeoutMs: number) {
    this.#cluster = cluster;
    this.#backoffMs = backoffMs;
    this.#timeoutMs = timeoutMs;
  }

  /** The refresh now running, if any. */
  get pending(): Promise<void> | undefined {
    return this.#pending;
  }

  /**
   * Refreshes after the backoff (`cause`: the error that made the metadata
   * stale, if any), then runs `after`. Never rejects: an aborted, timed out
   * or failed refresh is left to the next round.
   */
  run(
    cause: unknown,
    signal: AbortSignal,
    after: () => void,
  ): Promise<void> {
    this.#pending ??= (async () => {
      try {
        await sleep(this.#backoffMs, signal);
        const cluster = this.#cluster;
        const update = cause === undefined
          ? cluster.update()
          : cluster.updateOnError(cause).then((done) =>
            done ? undefined : cluster.update()
          );
        await deadline(update, this.#timeoutMs, signal);
      } catch {
        // Aborted, timed out, or no broker answered.
      } finally {
        this.#pending = undefined;
      }
      after();
    })();
    return this.#pending;
  }
}
