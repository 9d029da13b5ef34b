// Which producers share a produce engine (internal): those of one cluster
// whose options agree on everything that shapes the wire (acks, codec,
// batching, retries, idempotence). A transactional producer never shares
// (its transactional id is its identity).
import type { Cluster } from "../cluster/mod.ts";
import type { ResolvedProducerOptions } from "./options.ts";

/** The options that shape what goes on the wire: equal ones share an engine. */
export type EngineOptions = Pick<
  ResolvedProducerOptions<unknown, unknown>,
  | "compression"
  | "compressionLevel"
  | "maxRetries"
  | "retryBackoffMs"
  | "requiredAcks"
  | "ackTimeoutMs"
  | "minQueuedMessages"
  | "lingerMs"
  | "maxRequestSize"
  | "idempotent"
  | "maxInFlight"
  | "batchSizeBytes"
  | "transactionalId"
  | "transactionTimeoutMs"
>;

/** The sharing key of options `o`, `null` for a transactional producer. */
export function engineKey(o: EngineOptions): string | null {
  if (o.transactionalId !== undefined) return null;
  return JSON.stringify([
    o.compression,
    o.compressionLevel,
    o.maxRetries,
    o.retryBackoffMs,
    o.requiredAcks,
    o.ackTimeoutMs,
    o.minQueuedMessages,
    o.lingerMs,
    o.maxRequestSize,
    o.idempotent ?? null,
    o.maxInFlight,
    o.batchSizeBytes,
  ]);
}

/** The shared engines of each cluster, by {@linkcode engineKey}. */
export class EngineRegistry<E> {
  readonly #byCluster = new WeakMap<Cluster, Map<string, E>>();

  /** The engine of `key` on `cluster`, made by `make` on first use. */
  get(cluster: Cluster, key: string, make: () => E): E {
    let engines = this.#byCluster.get(cluster);
    if (engines === undefined) {
      engines = new Map();
      this.#byCluster.set(cluster, engines);
    }
    let e = engines.get(key);
    if (e === undefined) {
      e = make();
      engines.set(key, e);
    }
    return e;
  }

  /** Forgets `engine` (its last producer stopped). */
  release(cluster: Cluster, key: string, engine: E): void {
    const engines = this.#byCluster.get(cluster);
    if (engines?.get(key) === engine) engines.delete(key);
  }
}
