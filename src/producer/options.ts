/**
 * {@linkcode ProducerOptions}: every pykafka producer argument as a
 * camelCase option, plus `idempotent`, `maxInFlight`, `batchSizeBytes`,
 * `maxQueuedBytes` and `compressionLevel`, with their validation and defaults.
 *
 * @module
 */
import { CompressionType } from "../records/mod.ts";
import type { Partitioner, PartitionerFunction } from "./partitioner.ts";
import { Murmur2Partitioner } from "./murmur2_partitioner.ts";

/**
 * Turns a value and its key into the bytes sent (pykafka's `serializer`,
 * `f(value, partition_key) -> (bytes_value, bytes_key)`).
 *
 * @typeParam V what `produce()` accepts as a value
 * @typeParam K what `produce()` accepts as `partitionKey`
 *
 * @example
 * ```ts
 * import type { Serializer } from "./options.ts";
 * const json: Serializer<unknown, string> = (value, key) => [
 *   new TextEncoder().encode(JSON.stringify(value)),
 *   key === null ? null : new TextEncoder().encode(key),
 * ];
 * console.assert(json({ a: 1 }, null)[1] === null);
 * ```
 */
export type Serializer<V, K> = (
  value: V,
  partitionKey: K | null,
) => readonly [Uint8Array | null, Uint8Array | null];

/**
 * Options of a producer (`topic.getProducer(options)`). Every pykafka
 * argument has an option of the same meaning; defaults favour low latency
 * and high throughput (see the README's table of differences).
 *
 * @typeParam V the value type `produce()` accepts (bytes unless a
 *   `serializer` is given)
 * @typeParam K the `partitionKey` type `produce()` accepts
 *
 * @example
 * ```ts
 * import type { ProducerOptions } from "./options.ts";
 * import { CompressionType } from "../records/mod.ts";
 * const options: ProducerOptions = {
 *   compression: CompressionType.LZ4,
 *   requiredAcks: -1,
 *   lingerMs: 10,
 *   deliveryReports: true,
 * };
 * ```
 */
export interface ProducerOptions<V = Uint8Array | null, K = Uint8Array | null> {
  /**
   * Picks each message's partition: a function
   * `(partitions, key) => partition` or a partitioner object
   * (`RandomPartitioner`, `HashingPartitioner`, `GroupHashingPartitioner`,
   * `Murmur2Partitioner`). Default: a `Murmur2Partitioner` (keys placed as
   * the Java client places them, messages without a key round-robin).
   * pykafka's default, `RandomPartitioner`, ignored keys.
   */
  partitioner?: PartitionerFunction | Partitioner;
  /** Codec of every batch (default `CompressionType.NONE`). ZSTD needs Kafka 2.1+. */
  compression?: CompressionType;
  /**
   * Codec level: gzip 1-9, zstd 1-22 (higher values are clamped); ignored
   * by snappy and lz4. Default 0: the codec's own default (gzip 6, zstd 3).
   */
  compressionLevel?: number;
  /**
   * How many times a batch is sent again after a retriable error (a leader
   * move, a dropped connection, a timeout, not enough replicas, ...):
   * at most `1 + maxRetries` sends (default 5; pykafka 3). 0: no retry.
   */
  maxRetries?: number;
  /**
   * Wait before the first retry, in ms (default 100); every further retry
   * of the same batch waits twice as long, up to 10 times this value.
   */
  retryBackoffMs?: number;
  /**
   * Acknowledgements the leader waits for: 1 (the leader wrote it, the
   * default), -1 (every in-sync replica), 0 (none: nothing is awaited and
   * offsets stay -1).
   */
  requiredAcks?: -1 | 0 | 1;
  /** How long the broker may wait for the acknowledgements, in ms (default 10000). */
  ackTimeoutMs?: number;
  /**
   * Most messages held by the producer, queued or in flight (default
   * 100000). At the limit `produce()` waits (`blockOnQueueFull`) or throws
   * `ProducerQueueFullError`. Also the bound of the delivery report queue.
   */
  maxQueuedMessages?: number;
  /**
   * Most bytes of values, keys and headers held by the producer, queued or
   * in flight (default 64 MiB). At the limit `produce()` waits or throws
   * like at `maxQueuedMessages` (a message larger than the limit is let in
   * when nothing else is pending). Bounds memory whatever the record size.
   */
  maxQueuedBytes?: number;
  /**
   * Send as soon as this many messages are queued, without waiting for
   * `lingerMs` (default 10000; pykafka 70000; `sync` producers use 1).
   */
  minQueuedMessages?: number;
  /**
   * Longest time a message waits for more messages to share its request,
   * in ms (default 5, like Kafka 4.0; pykafka 5000). 0: send at the end of
   * the current task.
   */
  lingerMs?: number;
  /**
   * pykafka's poll interval of an idle worker (0, > 0, or -1). Accepted
   * and validated for compatibility; it has no effect: this producer is
   * event-driven and never polls.
   */
  queueEmptyTimeoutMs?: number;
  /**
   * At `maxQueuedMessages`, make `produce()` wait for room (default
   * `true`) instead of throwing `ProducerQueueFullError`.
   */
  blockOnQueueFull?: boolean;
  /**
   * Most bytes of records in one Produce request (default 1000012, Kafka's
   * `message.max.bytes` minus the log overhead). Batches are split so no
   * request exceeds it; a single message larger than this fails with
   * `MessageSizeTooLarge` without being sent.
   */
  maxRequestSize?: number;
  /**
   * `produce()` resolves only after delivery, with the message and its
   * offset, and throws the delivery error (default `false`).
   */
  sync?: boolean;
  /**
   * Keep a delivery report `[message, error | null]` for every message, for
   * `getDeliveryReport()` / `deliveryReports()` (default `false`). The
   * queue holds at most `maxQueuedMessages` reports: when it is full the
   * oldest is dropped and counted in `stats.droppedDeliveryReports`.
   */
  deliveryReports?: boolean;
  /**
   * How long a `sync` `produce()` waits for its delivery, and how long
   * `stop()` waits for pending messages, in ms (default 5000; -1: forever).
   */
  pendingTimeoutMs?: number;
  /** Start in the constructor (default `true`); else call `start()`. */
  autoStart?: boolean;
  /**
   * Turns `produce()`'s value and key into bytes. Without one, values and
   * keys must be `Uint8Array` or `null`.
   */
  serializer?: Serializer<V, K>;
  /**
   * Idempotent delivery: a producer id and per-partition sequence numbers
   * make the broker drop duplicates of retried batches and keep order
   * across retries and leader moves. `true` requires `requiredAcks: -1`
   * (the default then), `maxInFlight <= 5` and Kafka 0.11+. Default: on
   * when `requiredAcks` is -1, `maxInFlight <= 5` and the brokers support
   * it, else off.
   */
  idempotent?: boolean;
  /** Produce requests in flight per broker (default 5; at most 5 when idempotent). */
  maxInFlight?: number;
  /**
   * A partition's batch is sent once its records reach this many bytes
   * (default 1 MiB, capped by `maxRequestSize`), without waiting for
   * `lingerMs`.
   */
  batchSizeBytes?: number;
}

/** Every option resolved to its value (internal). */
export interface ResolvedProducerOptions<V, K> {
  partitioner: PartitionerFunction | Partitioner;
  compression: CompressionType;
  compressionLevel: number;
  maxRetries: number;
  retryBackoffMs: number;
  requiredAcks: -1 | 0 | 1;
  ackTimeoutMs: number;
  maxQueuedMessages: number;
  maxQueuedBytes: number;
  minQueuedMessages: number;
  lingerMs: number;
  queueEmptyTimeoutMs: number;
  blockOnQueueFull: boolean;
  maxRequestSize: number;
  sync: boolean;
  deliveryReports: boolean;
  pendingTimeoutMs: number;
  autoStart: boolean;
  serializer: Serializer<V, K> | undefined;
  /** `undefined`: decided at start from acks and broker support. */
  idempotent: boolean | undefined;
  maxInFlight: number;
  batchSizeBytes: number;
}

/**
 * The producer's defaults (pykafka's in the comments where they differ).
 *
 * @example
 * ```ts
 * import { PRODUCER_DEFAULTS } from "./options.ts";
 * console.assert(PRODUCER_DEFAULTS.lingerMs === 5);
 * ```
 */
export const PRODUCER_DEFAULTS: {
  readonly compression: CompressionType;
  readonly maxRetries: number;
  readonly retryBackoffMs: number;
  readonly requiredAcks: -1 | 0 | 1;
  readonly ackTimeoutMs: number;
  readonly maxQueuedMessages: number;
  readonly maxQueuedBytes: number;
  readonly minQueuedMessages: number;
  readonly lingerMs: number;
  readonly queueEmptyTimeoutMs: number;
  readonly blockOnQueueFull: boolean;
  readonly maxRequestSize: number;
  readonly sync: boolean;
  readonly deliveryReports: boolean;
  readonly pendingTimeoutMs: number;
  readonly autoStart: boolean;
  readonly maxInFlight: number;
  readonly batchSizeBytes: number;
} = Object.freeze({
  compression: CompressionType.NONE,
  maxRetries: 5, // pykafka 3
  retryBackoffMs: 100,
  requiredAcks: 1,
  ackTimeoutMs: 10_000,
  maxQueuedMessages: 100_000,
  maxQueuedBytes: 64 * 1024 * 1024,
  minQueuedMessages: 10_000, // pykafka 70000
  lingerMs: 5, // pykafka 5000
  queueEmptyTimeoutMs: 0,
  blockOnQueueFull: true,
  maxRequestSize: 1_000_012,
  sync: false,
  deliveryReports: false,
  pendingTimeoutMs: 5_000,
  autoStart: true,
  maxInFlight: 5,
  batchSizeBytes: 1_048_576,
});

const KNOWN = new Set([
  "partitioner",
  "compression",
  "compressionLevel",
  "maxRetries",
  "retryBackoffMs",
  "requiredAcks",
  "ackTimeoutMs",
  "maxQueuedMessages",
  "maxQueuedBytes",
  "minQueuedMessages",
  "lingerMs",
  "queueEmptyTimeoutMs",
  "blockOnQueueFull",
  "maxRequestSize",
  "sync",
  "deliveryReports",
  "pendingTimeoutMs",
  "autoStart",
  "serializer",
  "idempotent",
  "maxInFlight",
  "batchSizeBytes",
]);

function int(
  o: Record<string, unknown>,
  name: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const v = o[name];
  if (v === undefined) return fallback;
  if (typeof v !== "number" || Number.isNaN(v)) {
    throw new TypeError(
      `Producer option ${name} must be a number, got ${describe(v)}`,
    );
  }
  if (!Number.isInteger(v)) {
    throw new TypeError(
      `Producer option ${name} must be an integer, got ${v}`,
    );
  }
  if (v < min || v > max) {
    throw new RangeError(
      `Producer option ${name} must be ${
        max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in ${min}..${max}`
      }, got ${v}`,
    );
  }
  return v;
}

function bool(
  o: Record<string, unknown>,
  name: string,
  fallback: boolean,
): boolean {
  const v = o[name];
  if (v === undefined) return fallback;
  if (typeof v !== "boolean") {
    throw new TypeError(
      `Producer option ${name} must be a boolean, got ${describe(v)}`,
    );
  }
  return v;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "string") return `the string ${JSON.stringify(v)}`;
  if (typeof v === "object") return `an ${v.constructor?.name ?? "object"}`;
  return `${typeof v} ${String(v)}`;
}

/**
 * Validates options and fills in defaults. Throws `TypeError` (wrong type,
 * unknown option) or `RangeError` (value out of range, conflicting
 * options), naming the option.
 */
export function resolveProducerOptions<V, K>(
  options: ProducerOptions<V, K> | undefined,
): ResolvedProducerOptions<V, K> {
  if (options === undefined || options === null) options = {};
  if (typeof options !== "object") {
    throw new TypeError(
      `Producer options must be an object, got ${describe(options)}`,
    );
  }
  const o = options as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!KNOWN.has(k)) {
      throw new TypeError(
        `Unknown producer option ${JSON.stringify(k)}; known options: ${
          [...KNOWN].join(", ")
        }`,
      );
    }
  }
  const d = PRODUCER_DEFAULTS;

  let partitioner = o.partitioner as
    | PartitionerFunction
    | Partitioner
    | undefined;
  if (partitioner === undefined || partitioner === null) {
    partitioner = new Murmur2Partitioner();
  } else if (
    typeof partitioner !== "function" &&
    (typeof partitioner !== "object" ||
      typeof (partitioner as Partitioner).partition !== "function")
  ) {
    throw new TypeError(
      `Producer option partitioner must be a function (partitions, key) => partition or an object with a partition method, got ${
        describe(partitioner)
      }`,
    );
  }

  const compression = int(
    o,
    "compression",
    d.compression,
    0,
    4,
  ) as CompressionType;
  const compressionLevel = int(o, "compressionLevel", 0, -131072, 22);
  const sync = bool(o, "sync", d.sync);
  const idempotentOpt = o.idempotent;
  if (idempotentOpt !== undefined && typeof idempotentOpt !== "boolean") {
    throw new TypeError(
      `Producer option idempotent must be a boolean, got ${
        describe(idempotentOpt)
      }`,
    );
  }
  let requiredAcks: -1 | 0 | 1;
  if (o.requiredAcks === undefined) {
    requiredAcks = idempotentOpt === true ? -1 : d.requiredAcks;
  } else {
    const acks = int(o, "requiredAcks", 1, -1, 1);
    requiredAcks = acks as -1 | 0 | 1;
  }
  const maxInFlight = int(o, "maxInFlight", d.maxInFlight, 1);
  let idempotent = idempotentOpt as boolean | undefined;
  if (idempotent === true) {
    if (requiredAcks !== -1) {
      throw new RangeError(
        `Producer option idempotent: true needs requiredAcks: -1, got requiredAcks: ${requiredAcks}`,
      );
    }
    if (maxInFlight > 5) {
      throw new RangeError(
        `Producer option idempotent: true needs maxInFlight <= 5 (the broker remembers 5 batches per partition), got ${maxInFlight}`,
      );
    }
  } else if (
    idempotent === undefined && (requiredAcks !== -1 || maxInFlight > 5)
  ) {
    idempotent = false;
  }
  const maxRetries = int(o, "maxRetries", d.maxRetries, 0);
  const maxRequestSize = int(o, "maxRequestSize", d.maxRequestSize, 1);
  const batchSizeBytes = int(o, "batchSizeBytes", d.batchSizeBytes, 1);
  const minQueuedMessages = int(
    o,
    "minQueuedMessages",
    d.minQueuedMessages,
    1,
  );
  const serializer = o.serializer;
  if (
    serializer !== undefined && serializer !== null &&
    typeof serializer !== "function"
  ) {
    throw new TypeError(
      `Producer option serializer must be a function (value, key) => [valueBytes, keyBytes], got ${
        describe(serializer)
      }`,
    );
  }
  return {
    partitioner,
    compression,
    compressionLevel,
    maxRetries,
    retryBackoffMs: int(o, "retryBackoffMs", d.retryBackoffMs, 1),
    requiredAcks,
    ackTimeoutMs: int(o, "ackTimeoutMs", d.ackTimeoutMs, 0, 2147483647),
    maxQueuedMessages: int(o, "maxQueuedMessages", d.maxQueuedMessages, 1),
    maxQueuedBytes: int(o, "maxQueuedBytes", d.maxQueuedBytes, 1),
    minQueuedMessages: sync ? 1 : minQueuedMessages,
    lingerMs: int(o, "lingerMs", d.lingerMs, 0, 2147483647),
    queueEmptyTimeoutMs: int(
      o,
      "queueEmptyTimeoutMs",
      d.queueEmptyTimeoutMs,
      -1,
      2147483647,
    ),
    blockOnQueueFull: bool(o, "blockOnQueueFull", d.blockOnQueueFull),
    maxRequestSize,
    sync,
    deliveryReports: bool(o, "deliveryReports", d.deliveryReports),
    pendingTimeoutMs: int(
      o,
      "pendingTimeoutMs",
      d.pendingTimeoutMs,
      -1,
      2147483647,
    ),
    autoStart: bool(o, "autoStart", d.autoStart),
    serializer: (serializer ?? undefined) as Serializer<V, K> | undefined,
    idempotent,
    maxInFlight,
    batchSizeBytes,
  };
}
