// Turning produce() arguments into a record (internal): the serializer or
// the bytes checks, the timestamp, headers, and the partition (explicit or
// from the partitioner over the topic's partitions, cached per metadata
// update). One scratch record is refilled per call: the hot path makes no
// object per record.
import { KafkaError } from "../errors/mod.ts";
import type { ClusterTopic, Partition } from "../cluster/mod.ts";
import type { TopicState } from "./_batch.ts";
import type { ResolvedProducerOptions } from "./options.ts";
import type { Partitioner, PartitionerFunction } from "./partitioner.ts";

/**
 * Per-message options of `produce()`.
 *
 * @typeParam K the key type (bytes unless the producer has a serializer)
 *
 * @example
 * ```ts
 * import type { ProduceOptions } from "./_record_builder.ts";
 * const opts: ProduceOptions = {
 *   partitionKey: new TextEncoder().encode("user-42"),
 *   headers: [["trace-id", new TextEncoder().encode("abc")]],
 *   timestamp: Date.now(),
 * };
 * ```
 */
export interface ProduceOptions<K = Uint8Array | null> {
  /** The key: chooses the partition (through the partitioner) and is stored with the record. */
  partitionKey?: K | null;
  /** The record's timestamp, ms since the epoch or a `Date` (default: now). */
  timestamp?: number | Date;
  /** Record headers, `[key, value]` pairs (Kafka 0.11+). */
  headers?: readonly (readonly [string, Uint8Array | null])[];
  /** Send to this partition id, bypassing the partitioner. */
  partition?: number;
  /**
   * Ends the wait of `produce()`: a `sync` producer's wait for the
   * delivery, or a wait for room in a full queue. The call then rejects
   * with `signal.reason`; a message already queued stays queued (it may
   * still be delivered, and is reported as usual).
   */
  signal?: AbortSignal;
}

/** A topic as a producer uses it: its partitions list and engine state. */
export class TopicHandle {
  readonly topic: ClusterTopic;
  /** The engine's state of the topic (null until the producer starts). */
  ts: TopicState | null = null;
  #list: readonly Partition[] = [];
  #at = -1;

  constructor(topic: ClusterTopic) {
    this.topic = topic;
  }

  /** The partitions as the partitioner sees them (remade after a metadata update). */
  partitions(): readonly Partition[] {
    const at = this.topic.cluster.lastUpdate;
    const map = this.topic.partitions;
    if (at !== this.#at || this.#list.length !== map.size) {
      this.#list = [...map.values()];
      this.#at = at;
    }
    return this.#list;
  }
}

/** A record ready for the engine (refilled per call). */
export interface RecordScratch {
  value: Uint8Array | null;
  key: Uint8Array | null;
  timestamp: number;
  headers: [string, Uint8Array | null][] | undefined;
  partition: number;
  /** Bytes of value, key and headers (an upper bound for headers). */
  size: number;
}

/** A new empty scratch record. */
export function newScratch(): RecordScratch {
  return {
    value: null,
    key: null,
    timestamp: 0,
    headers: undefined,
    partition: -1,
    size: 0,
  };
}

const SERIALIZER_SHAPE =
  "the serializer must return [valueBytes, keyBytes] (each a Uint8Array or null)";

/** Builds records from produce() arguments for one producer. */
export class RecordBuilder<V, K> {
  readonly #o: ResolvedProducerOptions<V, K>;
  readonly #partition: (
    ps: readonly Partition[],
    k: Uint8Array | null,
  ) => Partition;

  constructor(o: ResolvedProducerOptions<V, K>) {
    this.#o = o;
    const p = o.partitioner;
    this.#partition = typeof p === "function"
      ? (p as PartitionerFunction)
      : (ps, k) => (p as Partitioner).partition(ps, k);
  }

  /** Fills `out` from the arguments; throws `TypeError` / `RangeError`. */
  build(
    h: TopicHandle,
    value: V,
    options: ProduceOptions<K> | undefined,
    out: RecordScratch,
  ): void {
    let v: Uint8Array | null;
    let k: Uint8Array | null;
    const ser = this.#o.serializer;
    if (ser !== undefined) {
      const res = ser(value, options?.partitionKey ?? null);
      if (!Array.isArray(res) || res.length !== 2) {
        throw new TypeError(SERIALIZER_SHAPE);
      }
      v = res[0];
      k = res[1];
      if (
        (v !== null && !(v instanceof Uint8Array)) ||
        (k !== null && !(k instanceof Uint8Array))
      ) throw new TypeError(SERIALIZER_SHAPE);
    } else {
      v = value as Uint8Array | null;
      if (v !== null && !(v instanceof Uint8Array)) {
        throw new TypeError(
          `produce() takes a Uint8Array or null as value without a serializer, got ${typeof v}`,
        );
      }
      k = (options?.partitionKey ?? null) as Uint8Array | null;
      if (k !== null && !(k instanceof Uint8Array)) {
        throw new TypeError(
          `produce() takes a Uint8Array or null as partitionKey without a serializer, got ${typeof k}`,
        );
      }
    }
    let size = (v === null ? 0 : v.length) + (k === null ? 0 : k.length);
    out.value = v;
    out.key = k;
    out.headers = undefined;
    if (options === undefined) {
      out.timestamp = Date.now();
      out.partition = this.#choose(h, k);
      out.size = size;
      return;
    }
    const ts = options.timestamp;
    let timestamp: number;
    if (ts === undefined) timestamp = Date.now();
    else if (ts instanceof Date) timestamp = ts.getTime();
    else timestamp = ts;
    if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
      throw new RangeError(
        `produce(): timestamp must be a Date or ms since the epoch (a safe integer >= 0), got ${ts}`,
      );
    }
    out.timestamp = timestamp;
    const hs = options.headers;
    if (hs !== undefined && hs !== null) {
      if (!Array.isArray(hs)) {
        throw new TypeError(
          "produce(): headers must be an array of [key, value] pairs",
        );
      }
      for (const x of hs) {
        if (
          !Array.isArray(x) || typeof x[0] !== "string" ||
          (x[1] !== null && !(x[1] instanceof Uint8Array))
        ) {
          throw new TypeError(
            "produce(): each header must be [key: string, value: Uint8Array | null]",
          );
        }
        size += 6 + x[0].length * 3 + (x[1]?.length ?? 0);
      }
      if (hs.length > 0) out.headers = hs as [string, Uint8Array | null][];
    }
    const pid = options.partition;
    if (pid !== undefined && pid !== null) {
      if (!Number.isInteger(pid) || !h.topic.partitions.has(pid)) {
        throw new RangeError(
          `produce(): topic ${h.topic.name} has no partition ${pid} (it has ${h.topic.partitions.size})`,
        );
      }
      out.partition = pid;
    } else out.partition = this.#choose(h, k);
    out.size = size;
  }

  #choose(h: TopicHandle, key: Uint8Array | null): number {
    const list = h.partitions();
    if (list.length === 0) {
      throw new KafkaError(
        `topic ${h.topic.name} has no partitions in the metadata`,
        { retriable: true },
      );
    }
    const p = this.#partition(list, key);
    const id = p?.id;
    if (typeof id !== "number" || !h.topic.partitions.has(id)) {
      throw new TypeError(
        `the partitioner returned ${
          String(id)
        }, not one of the partitions it was given`,
      );
    }
    return id;
  }
}
