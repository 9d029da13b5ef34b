// Group and transaction coordinators of a cluster: found with
// FindCoordinator on any live broker (connected ones first, random order),
// repeated with backoff while the cluster answers "not available" or
// "loading", for at most the lookup's deadline; cached per key until
// invalidated; concurrent lookups of one key share a request. The
// `Cluster` owns one and answers `getCoordinator` with it.

import {
  CoordinatorLoadInProgress,
  CoordinatorNotAvailable,
  errorForCode,
  InvalidMetadataError,
  KafkaError,
  NotCoordinator,
} from "../errors/mod.ts";
import { errorText } from "../util/error_text.ts";
import type { RetryPolicy, RetrySchedule } from "../util/retry.ts";
import { RETRY_POLICIES } from "./_retry_policies.ts";
import type { Broker } from "./broker.ts";
import { askingOrder } from "./_metadata_source.ts";

/** Error codes after which a coordinator lookup is worth repeating. */
function coordinatorRetriable(e: unknown): boolean {
  return e instanceof CoordinatorNotAvailable ||
    e instanceof CoordinatorLoadInProgress || e instanceof NotCoordinator ||
    (e instanceof KafkaError && e.retriable);
}

/** What the coordinator lookups need of the cluster. */
export interface CoordinatorHost {
  /** The brokers by id. */
  readonly brokers: ReadonlyMap<number, Broker>;
  /** Throws once the cluster is closed. */
  checkOpen(): void;
  /** A schedule that ends on the caller's signal or the cluster's close. */
  rounds(policy: RetryPolicy, signal?: AbortSignal): RetrySchedule;
  /** Refreshes the metadata. */
  update(): Promise<void>;
  /** The broker with this id, refreshing metadata (or adding it) if unknown. */
  brokerFor(id: number, host: string, port: number): Promise<Broker>;
}

/** The coordinator cache and lookups of one cluster. */
export class Coordinators {
  readonly #host: CoordinatorHost;
  readonly #cached = new Map<string, number>();
  readonly #lookups = new Map<string, Promise<Broker>>();

  constructor(host: CoordinatorHost) {
    this.#host = host;
  }

  /**
   * The coordinator of `key` (`keyType` 0 group, 1 transactional id): the
   * cached one while its broker is live, else a lookup of at most
   * `timeoutMs`.
   */
  async get(
    key: string,
    keyType: 0 | 1,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Broker> {
    const cacheKey = `${keyType}:${key}`;
    const cached = this.#cached.get(cacheKey);
    if (cached !== undefined) {
      const b = this.#host.brokers.get(cached);
      if (b && !b.closed) return b;
      this.#cached.delete(cacheKey);
    }
    signal?.throwIfAborted();
    let p = this.#lookups.get(cacheKey);
    if (!p) {
      // Shared by every caller: no one caller's signal ends it (the others
      // would get its abort); it ends with its own deadline or close(),
      // and each caller stops waiting on its own signal.
      p = this.#find(key, keyType, timeoutMs, undefined).finally(() =>
        this.#lookups.delete(cacheKey)
      );
      this.#lookups.set(cacheKey, p);
      p.catch(() => {});
    }
    return await raceSignal(p, signal);
  }

  /** Forgets the cached coordinator of `key`. */
  invalidate(key: string, keyType: 0 | 1): void {
    this.#cached.delete(`${keyType}:${key}`);
  }

  /** Forgets every coordinator on broker `id` (it left the cluster). */
  forgetBroker(id: number): void {
    for (const [key, cid] of [...this.#cached]) {
      if (cid === id) this.#cached.delete(key);
    }
  }

  /** Resolves once every lookup under way has settled. */
  async settled(): Promise<void> {
    await Promise.all(
      [...this.#lookups.values()].map((p) => p.catch(() => {})),
    );
  }

  async #find(
    key: string,
    keyType: 0 | 1,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<Broker> {
    const host = this.#host;
    const schedule = host.rounds(
      { ...RETRY_POLICIES.findCoordinator, timeoutMs },
      signal,
    );
    let last: unknown;
    do {
      host.checkOpen();
      let dropped = false;
      for (const b of askingOrder(host.brokers.values())) {
        try {
          const c = await b.findCoordinator(key, keyType, signal);
          if (c.errorCode !== 0) {
            const e = errorForCode(
              c.errorCode,
              `FindCoordinator ${JSON.stringify(key)} on broker ${b.id}: ${
                c.errorMessage || errorForCode(c.errorCode).message
              }`,
            );
            if (!coordinatorRetriable(e)) throw e;
            last = e;
            break; // the cluster's answer; ask again after a pause
          }
          const broker = await host.brokerFor(c.nodeId, c.host, c.port);
          this.#cached.set(`${keyType}:${key}`, broker.id);
          return broker;
        } catch (e) {
          if (!coordinatorRetriable(e)) throw e;
          last = e;
          if (e instanceof InvalidMetadataError) dropped = true;
        }
      }
      if (dropped) await host.update().catch(() => {});
    } while (await schedule.pause());
    throw new CoordinatorNotAvailable(
      `no coordinator for ${keyType === 0 ? "group" : "transactional id"} ${
        JSON.stringify(key)
      } within ${timeoutMs} ms${last ? `: ${errorText(last)}` : ""}`,
      { cause: last },
    );
  }
}

/** `p`, or the signal's reason as soon as it aborts. */
function raceSignal<T>(
  p: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() =>
      signal.removeEventListener("abort", onAbort)
    );
  });
}
