/**
 * {@linkcode ProducerOptions}: every pykafka producer argument as a
 * camelCase option, plus `idempotent`, `maxInFlight`, `batchSizeBytes`,
 * `maxQueuedBytes` and `compressionLevel`, with their validation and defaults.
 *
 * @module
 */
import { CompressionType } from "../records/mod.ts";
import { INT32_MAX, rules, validateOptions } from "../util/options.ts";
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
  /**
   * Makes the producer transactional (Kafka 0.11+): records are written in
   * transactions (`beginTransaction()`, `commitTransaction()` /
   * `abortTransaction()`, `sendOffsetsToTransaction()`), and read by
   * `read_committed` consumers only once committed. The id names the
   * producer across restarts: a new producer with the same id fences the
   * old one (which then gets `ProducerFencedError`) and aborts what it left
   * open. Implies `idempotent: true` and `requiredAcks: -1`. A
   * transactional producer has a produce engine of its own.
   */
  transactionalId?: string;
  /**
   * The longest a transaction may stay open, in ms (default 60000): the
   * coordinator aborts it after that (the producer's next transactional
   * call gets `ProducerFencedError`). At most the broker's
   * `transaction.max.timeout.ms` (15 minutes by default). Also the default
   * deadline of each transaction call.
   */
  transactionTimeoutMs?: number;
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
  transactionalId: string | undefined;
  transactionTimeoutMs: number;
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
  readonly transactionTimeoutMs: number;
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
  transactionTimeoutMs: 60_000,
});

const PARTITIONER_TEXT =
  "a function (partitions, key) => partition or an object with a partition method";

/** The rules of {@linkcode ProducerOptions} (internal). */
export const PRODUCER_RULES = {
  partitioner: rules.nullable(
    rules.check<PartitionerFunction | Partitioner>(
      PARTITIONER_TEXT,
      (v) =>
        typeof v === "function" ||
        (typeof v === "object" && v !== null &&
          typeof (v as Partitioner).partition === "function"),
    ),
  ),
  compression: rules.oneOf<CompressionType>(
    [
      CompressionType.NONE,
      CompressionType.GZIP,
      CompressionType.SNAPPY,
      CompressionType.LZ4,
      CompressionType.ZSTD,
    ],
    "a CompressionType: NONE (0), GZIP (1), SNAPPY (2), LZ4 (3) or ZSTD (4)",
  ),
  compressionLevel: rules.int(-131072, 22),
  maxRetries: rules.int(0),
  retryBackoffMs: rules.ms(1),
  requiredAcks: rules.oneOf<-1 | 0 | 1>([-1, 0, 1], "-1, 0 or 1"),
  ackTimeoutMs: rules.ms(0),
  maxQueuedMessages: rules.int(1),
  maxQueuedBytes: rules.int(1),
  minQueuedMessages: rules.int(1),
  lingerMs: rules.ms(0),
  queueEmptyTimeoutMs: rules.int(-1, INT32_MAX, "ms"),
  blockOnQueueFull: rules.bool(),
  maxRequestSize: rules.int(1),
  sync: rules.bool(),
  deliveryReports: rules.bool(),
  pendingTimeoutMs: rules.int(-1, INT32_MAX, "ms; -1: forever"),
  autoStart: rules.bool(),
  serializer: rules.nullable(
    rules.func<Serializer<unknown, unknown>>(
      "a function (value, key) => [valueBytes, keyBytes]",
    ),
  ),
  idempotent: rules.bool(),
  maxInFlight: rules.int(1),
  batchSizeBytes: rules.int(1),
  transactionalId: rules.string(true),
  transactionTimeoutMs: rules.int(1, INT32_MAX, "ms"),
};

/**
 * Validates options and fills in defaults. An unknown option or a wrong
 * type throws a `TypeError`, a value out of range or options that
 * contradict each other (`idempotent: true` or `transactionalId` with
 * `requiredAcks` other than -1) a `RangeError`, naming `Producer`, the option and the value.
 *
 * @example
 * ```ts
 * import { resolveProducerOptions } from "./options.ts";
 * console.assert(resolveProducerOptions({ sync: true }).minQueuedMessages === 1);
 * ```
 */
export function resolveProducerOptions<V, K>(
  options: ProducerOptions<V, K> | undefined,
): ResolvedProducerOptions<V, K> {
  const o = validateOptions("Producer", options, PRODUCER_RULES);
  const d = PRODUCER_DEFAULTS;
  const sync = o.sync ?? d.sync;
  const transactional = o.transactionalId !== undefined;
  if (transactional && o.idempotent === false) {
    throw new RangeError(
      `Producer option transactionalId needs idempotence, got idempotent: false`,
    );
  }
  const requiredAcks = o.requiredAcks ??
    (o.idempotent === true || transactional ? -1 : d.requiredAcks);
  const maxInFlight = o.maxInFlight ?? d.maxInFlight;
  let idempotent = transactional ? true : o.idempotent;
  if (idempotent === true) {
    const why = transactional
      ? "transactionalId (a transactional producer is idempotent)"
      : "idempotent: true";
    if (requiredAcks !== -1) {
      throw new RangeError(
        `Producer option ${why} needs requiredAcks: -1, got requiredAcks: ${requiredAcks}`,
      );
    }
    if (maxInFlight > 5) {
      throw new RangeError(
        `Producer option ${why} needs maxInFlight <= 5 (the broker remembers 5 batches per partition), got maxInFlight: ${maxInFlight}`,
      );
    }
  } else if (
    idempotent === undefined && (requiredAcks !== -1 || maxInFlight > 5)
  ) {
    idempotent = false;
  }
  return {
    partitioner: o.partitioner ?? new Murmur2Partitioner(),
    compression: o.compression ?? d.compression,
    compressionLevel: o.compressionLevel ?? 0,
    maxRetries: o.maxRetries ?? d.maxRetries,
    retryBackoffMs: o.retryBackoffMs ?? d.retryBackoffMs,
    requiredAcks,
    ackTimeoutMs: o.ackTimeoutMs ?? d.ackTimeoutMs,
    maxQueuedMessages: o.maxQueuedMessages ?? d.maxQueuedMessages,
    maxQueuedBytes: o.maxQueuedBytes ?? d.maxQueuedBytes,
    minQueuedMessages: sync ? 1 : o.minQueuedMessages ?? d.minQueuedMessages,
    lingerMs: o.lingerMs ?? d.lingerMs,
    queueEmptyTimeoutMs: o.queueEmptyTimeoutMs ?? d.queueEmptyTimeoutMs,
    blockOnQueueFull: o.blockOnQueueFull ?? d.blockOnQueueFull,
    maxRequestSize: o.maxRequestSize ?? d.maxRequestSize,
    sync,
    deliveryReports: o.deliveryReports ?? d.deliveryReports,
    pendingTimeoutMs: o.pendingTimeoutMs ?? d.pendingTimeoutMs,
    autoStart: o.autoStart ?? d.autoStart,
    serializer: (o.serializer ?? undefined) as Serializer<V, K> | undefined,
    idempotent,
    maxInFlight,
    batchSizeBytes: o.batchSizeBytes ?? d.batchSizeBytes,
    transactionalId: o.transactionalId,
    transactionTimeoutMs: o.transactionTimeoutMs ?? d.transactionTimeoutMs,
  };
}
