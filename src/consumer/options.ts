/**
 * {@linkcode SimpleConsumerOptions}: pykafka's `SimpleConsumer` arguments in
 * camelCase, plus `fetchMaxBytes`, `queuedMaxBytes`, `checkCrcs` and
 * `isolationLevel`;
 * their defaults and validation.
 *
 * @module
 */

import { KafkaError } from "../errors/mod.ts";
import { OffsetType, type Partition } from "../cluster/mod.ts";
import { IsolationLevel } from "./isolation_level.ts";

/**
 * Turns a fetched record's raw value and key into what `consume()` returns
 * (pykafka's `deserializer(value, partition_key) -> (value, key)`).
 *
 * @typeParam V the type of `message.value` after deserializing
 * @typeParam K the type of `message.partitionKey` after deserializing
 *
 * @example
 * ```ts
 * import type { Deserializer } from "./options.ts";
 * const dec = new TextDecoder();
 * const utf8: Deserializer<string | null, string | null> = (value, key) => [
 *   value === null ? null : dec.decode(value),
 *   key === null ? null : dec.decode(key),
 * ];
 * ```
 */
export type Deserializer<V, K> = (
  value: Uint8Array | null,
  partitionKey: Uint8Array | null,
) => [V, K];

/**
 * Options of a `SimpleConsumer` (`topic.getSimpleConsumer(options)`): every
 * argument of pykafka's `SimpleConsumer`, camelCased, with pykafka's
 * defaults, plus `fetchMaxBytes`, `queuedMaxBytes`, `checkCrcs` and
 * `isolationLevel`.
 * Every option is checked when the consumer is made; a bad value (or an
 * unknown option name) throws a `KafkaError` naming the option.
 *
 * @typeParam V the type of `message.value` (see `deserializer`)
 * @typeParam K the type of `message.partitionKey` (see `deserializer`)
 *
 * @example
 * ```ts
 * import type { SimpleConsumerOptions } from "./options.ts";
 * import { OffsetType } from "../cluster/mod.ts";
 * const options: SimpleConsumerOptions = {
 *   consumerGroup: "billing",
 *   autoCommitEnable: true,
 *   autoCommitIntervalMs: 5_000,
 *   autoOffsetReset: OffsetType.LATEST,
 *   consumerTimeoutMs: 1_000,
 * };
 * ```
 */
export interface SimpleConsumerOptions<
  V = Uint8Array | null,
  K = Uint8Array | null,
> {
  /**
   * Consumer group whose committed offsets to use (commitOffsets,
   * fetchOffsets, autocommit, resume on start). Default: none; without a
   * group offsets live only in the consumer.
   */
  consumerGroup?: string;
  /**
   * The partitions to consume, as `Partition` objects of this topic or
   * partition ids (default: every partition of the topic).
   */
  partitions?: readonly (Partition | number)[];
  /**
   * Most bytes fetched per partition per request (Fetch `partitionMaxBytes`;
   * default 1 MiB, pykafka's). A record batch larger than this is still
   * fetched on brokers with Fetch v3+ (Kafka 0.10.1+), by growing that
   * partition's fetch size for one request; older brokers get a
   * `MessageSizeTooLarge` error naming the sizes.
   */
  fetchMessageMaxBytes?: number;
  /**
   * Fetch loops per leader broker, each with its own connection and a
   * share of that broker's partitions (default 1). pykafka's fetcher
   * threads.
   */
  numConsumerFetchers?: number;
  /** Commit consumed offsets periodically and on `stop()` (default `false`; needs `consumerGroup`). */
  autoCommitEnable?: boolean;
  /** Autocommit period in ms (default 60000). */
  autoCommitIntervalMs?: number;
  /**
   * Per-partition prefetch bound: a partition holding this many fetched,
   * unconsumed messages is not fetched until some are consumed (default
   * 100000, the default of pykafka's librdkafka consumer; its pure-Python
   * consumer's 2000 is less than one 1 MiB fetch of small records, which
   * leaves a fast consumer waiting for every refill). Memory is bounded
   * by `queuedMaxBytes`.
   */
  queuedMaxMessages?: number;
  /**
   * Whole-consumer prefetch bound: no fetch is sent while the messages
   * fetched and not yet consumed hold this many bytes, counting the record
   * data plus 160 bytes per message for its objects (default 32 MiB). Not
   * in pykafka.
   */
  queuedMaxBytes?: number;
  /** Fetch `minBytes`: how much data the broker waits for (default 1). */
  fetchMinBytes?: number;
  /**
   * Pause in ms before fetching a partition again after a fetch error
   * (a leader move, a dropped connection, ...; default 500). pykafka used
   * it only in its librdkafka consumer.
   */
  fetchErrorBackoffMs?: number;
  /** Fetch `maxWaitMs`: the longest the broker holds a fetch for `fetchMinBytes` (default 100). */
  fetchWaitMaxMs?: number;
  /**
   * Most bytes in one fetch response (Fetch v3+ `maxBytes`, Kafka's
   * `fetch.max.bytes`; default 50 MiB). Not in pykafka.
   */
  fetchMaxBytes?: number;
  /**
   * Linear backoff unit in ms between attempts of offset commits, offset
   * fetches and offset lookups (attempt i waits i × this; default 1000).
   */
  offsetsChannelBackoffMs?: number;
  /**
   * Retries of offset commits, offset fetches and offset lookups after the
   * first attempt (default 5). A commit that still fails throws.
   */
  offsetsCommitMaxRetries?: number;
  /**
   * Where to start when there is no valid position: no committed offset,
   * no group, `resetOffsetOnStart`, or OFFSET_OUT_OF_RANGE (default
   * `OffsetType.EARLIEST`).
   */
  autoOffsetReset?: OffsetType;
  /**
   * `consume()` (blocking) returns `null` after this many ms without a
   * message, and iteration ends; 0 or less blocks forever (default -1).
   */
  consumerTimeoutMs?: number;
  /** Start (find positions, begin fetching) right away (default `true`). */
  autoStart?: boolean;
  /**
   * On `start()`, move every partition to `autoOffsetReset` (committing it
   * when a group is set) instead of resuming at the committed offsets
   * (default `false`).
   */
  resetOffsetOnStart?: boolean;
  /**
   * The topic is compacted (default `false`). Kept for pykafka: this
   * consumer follows the broker's offsets whatever the setting, so gaps
   * left by compaction, transaction markers and aborted transactions never
   * stall it.
   */
  compactedTopic?: boolean;
  /** Turns each record's raw value and key into `message.value` / `message.partitionKey`. */
  deserializer?: Deserializer<V, K>;
  /**
   * `fetchOffsets()` also moves the consumer to the committed offsets
   * (default `true`); `false` makes it report only.
   */
  resetOffsetOnFetch?: boolean;
  /**
   * Verify the CRC-32C (CRC-32 for MessageSet v0/v1) of every fetched batch
   * (default `true`, Kafka's `check.crcs`; a mismatch is a
   * `CorruptRecordError` from `consume()`). Checking is most of the decode
   * cost for large records; brokers already check batches when they are
   * produced, and librdkafka does not check by default. Not in pykafka
   * (which never checked).
   */
  checkCrcs?: boolean;
  /**
   * `IsolationLevel.READ_UNCOMMITTED` (0, default) or
   * `IsolationLevel.READ_COMMITTED` (1: leave out records of aborted
   * transactions, read up to the last stable offset; Kafka 0.11+). Not in
   * pykafka.
   */
  isolationLevel?: IsolationLevel;
}

/** Every option with its default filled in (internal). */
export interface ResolvedConsumerOptions<V, K> {
  consumerGroup: string | undefined;
  partitions: readonly (Partition | number)[] | undefined;
  fetchMessageMaxBytes: number;
  numConsumerFetchers: number;
  autoCommitEnable: boolean;
  autoCommitIntervalMs: number;
  queuedMaxMessages: number;
  queuedMaxBytes: number;
  fetchMinBytes: number;
  fetchErrorBackoffMs: number;
  fetchWaitMaxMs: number;
  fetchMaxBytes: number;
  offsetsChannelBackoffMs: number;
  offsetsCommitMaxRetries: number;
  autoOffsetReset: OffsetType;
  consumerTimeoutMs: number;
  autoStart: boolean;
  resetOffsetOnStart: boolean;
  compactedTopic: boolean;
  deserializer: Deserializer<V, K> | undefined;
  resetOffsetOnFetch: boolean;
  checkCrcs: boolean;
  isolationLevel: IsolationLevel;
}

/**
 * The defaults of {@linkcode SimpleConsumerOptions} (pykafka's, plus the
 * options pykafka does not have).
 *
 * @example
 * ```ts
 * import { SIMPLE_CONSUMER_DEFAULTS } from "./options.ts";
 * console.assert(SIMPLE_CONSUMER_DEFAULTS.queuedMaxMessages === 100_000);
 * ```
 */
export const SIMPLE_CONSUMER_DEFAULTS: {
  readonly fetchMessageMaxBytes: number;
  readonly numConsumerFetchers: number;
  readonly autoCommitEnable: boolean;
  readonly autoCommitIntervalMs: number;
  readonly queuedMaxMessages: number;
  readonly queuedMaxBytes: number;
  readonly fetchMinBytes: number;
  readonly fetchErrorBackoffMs: number;
  readonly fetchWaitMaxMs: number;
  readonly fetchMaxBytes: number;
  readonly offsetsChannelBackoffMs: number;
  readonly offsetsCommitMaxRetries: number;
  readonly autoOffsetReset: OffsetType;
  readonly consumerTimeoutMs: number;
  readonly autoStart: boolean;
  readonly resetOffsetOnStart: boolean;
  readonly compactedTopic: boolean;
  readonly resetOffsetOnFetch: boolean;
  readonly checkCrcs: boolean;
  readonly isolationLevel: IsolationLevel;
} = Object.freeze({
  fetchMessageMaxBytes: 1024 * 1024,
  numConsumerFetchers: 1,
  autoCommitEnable: false,
  autoCommitIntervalMs: 60_000,
  queuedMaxMessages: 100_000,
  queuedMaxBytes: 32 * 1024 * 1024,
  fetchMinBytes: 1,
  fetchErrorBackoffMs: 500,
  fetchWaitMaxMs: 100,
  fetchMaxBytes: 50 * 1024 * 1024,
  offsetsChannelBackoffMs: 1000,
  offsetsCommitMaxRetries: 5,
  autoOffsetReset: OffsetType.EARLIEST,
  consumerTimeoutMs: -1,
  autoStart: true,
  resetOffsetOnStart: false,
  compactedTopic: false,
  resetOffsetOnFetch: true,
  checkCrcs: true,
  isolationLevel: IsolationLevel.READ_UNCOMMITTED,
});

const KNOWN = new Set<string>([
  "consumerGroup",
  "partitions",
  "deserializer",
  ...Object.keys(SIMPLE_CONSUMER_DEFAULTS),
]);

const INT32_MAX = 0x7fffffff;

function bad(name: string, want: string, got: unknown): KafkaError {
  let shown: string;
  try {
    shown = typeof got === "function"
      ? "a function"
      : JSON.stringify(got) ?? String(got);
  } catch {
    shown = String(got);
  }
  return new KafkaError(
    `SimpleConsumer option ${name} must be ${want}, got ${shown}`,
  );
}

function int(
  o: Record<string, unknown>,
  name: keyof typeof SIMPLE_CONSUMER_DEFAULTS,
  min: number,
  max: number,
  want: string,
): number {
  const v = o[name];
  if (v === undefined) return SIMPLE_CONSUMER_DEFAULTS[name] as number;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min || v > max) {
    throw bad(name, want, v);
  }
  return v;
}

function bool(
  o: Record<string, unknown>,
  name: keyof typeof SIMPLE_CONSUMER_DEFAULTS,
): boolean {
  const v = o[name];
  if (v === undefined) return SIMPLE_CONSUMER_DEFAULTS[name] as boolean;
  if (typeof v !== "boolean") throw bad(name, "true or false", v);
  return v;
}

/**
 * Checks `options` and fills in the defaults. Throws a `KafkaError` naming
 * the first bad option (or unknown option name).
 *
 * @example
 * ```ts
 * import { resolveConsumerOptions } from "./options.ts";
 * const o = resolveConsumerOptions({ consumerGroup: "g" });
 * console.assert(o.fetchWaitMaxMs === 100 && o.consumerGroup === "g");
 * ```
 */
export function resolveConsumerOptions<V, K>(
  options: SimpleConsumerOptions<V, K> = {},
): ResolvedConsumerOptions<V, K> {
  if (typeof options !== "object" || options === null) {
    throw new KafkaError(
      `SimpleConsumer options must be an object, got ${String(options)}`,
    );
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KNOWN.has(key) && o[key] !== undefined) {
      throw new KafkaError(
        `unknown SimpleConsumer option ${JSON.stringify(key)}; known options: ${
          [...KNOWN].join(", ")
        }`,
      );
    }
  }
  const group = o.consumerGroup;
  if (
    group !== undefined && (typeof group !== "string" || group.length === 0)
  ) {
    throw bad("consumerGroup", "a non-empty string", group);
  }
  const partitions = o.partitions;
  if (partitions !== undefined) {
    if (!Array.isArray(partitions)) {
      throw bad(
        "partitions",
        "an array of Partition objects or partition ids",
        partitions,
      );
    }
    for (const p of partitions) {
      const ok = (typeof p === "number" && Number.isSafeInteger(p) && p >= 0) ||
        (typeof p === "object" && p !== null && "id" in p && "topic" in p);
      if (!ok) {
        throw bad(
          "partitions",
          "an array of Partition objects or partition ids",
          partitions,
        );
      }
    }
  }
  const deserializer = o.deserializer;
  if (deserializer !== undefined && typeof deserializer !== "function") {
    throw bad(
      "deserializer",
      "a function (value, partitionKey) => [value, partitionKey]",
      deserializer,
    );
  }
  const autoOffsetReset = o.autoOffsetReset;
  if (
    autoOffsetReset !== undefined &&
    autoOffsetReset !== OffsetType.EARLIEST &&
    autoOffsetReset !== OffsetType.LATEST
  ) {
    throw bad(
      "autoOffsetReset",
      "OffsetType.EARLIEST (-2) or OffsetType.LATEST (-1)",
      autoOffsetReset,
    );
  }
  const isolationLevel = o.isolationLevel;
  if (
    isolationLevel !== undefined && isolationLevel !== 0 &&
    isolationLevel !== 1
  ) {
    throw bad(
      "isolationLevel",
      "IsolationLevel.READ_UNCOMMITTED (0) or IsolationLevel.READ_COMMITTED (1)",
      isolationLevel,
    );
  }
  const r: ResolvedConsumerOptions<V, K> = {
    consumerGroup: group as string | undefined,
    partitions: partitions as (Partition | number)[] | undefined,
    fetchMessageMaxBytes: int(
      o,
      "fetchMessageMaxBytes",
      1,
      INT32_MAX,
      "an integer from 1 to 2147483647",
    ),
    numConsumerFetchers: int(
      o,
      "numConsumerFetchers",
      1,
      64,
      "an integer from 1 to 64",
    ),
    autoCommitEnable: bool(o, "autoCommitEnable"),
    autoCommitIntervalMs: int(
      o,
      "autoCommitIntervalMs",
      1,
      INT32_MAX,
      "a positive integer (ms)",
    ),
    queuedMaxMessages: int(
      o,
      "queuedMaxMessages",
      1,
      Number.MAX_SAFE_INTEGER,
      "a positive integer",
    ),
    queuedMaxBytes: int(
      o,
      "queuedMaxBytes",
      1,
      Number.MAX_SAFE_INTEGER,
      "a positive integer (bytes)",
    ),
    fetchMinBytes: int(
      o,
      "fetchMinBytes",
      0,
      INT32_MAX,
      "an integer from 0 to 2147483647",
    ),
    fetchErrorBackoffMs: int(
      o,
      "fetchErrorBackoffMs",
      0,
      INT32_MAX,
      "0 or a positive integer (ms)",
    ),
    fetchWaitMaxMs: int(
      o,
      "fetchWaitMaxMs",
      0,
      INT32_MAX,
      "0 or a positive integer (ms)",
    ),
    fetchMaxBytes: int(
      o,
      "fetchMaxBytes",
      1,
      INT32_MAX,
      "an integer from 1 to 2147483647",
    ),
    offsetsChannelBackoffMs: int(
      o,
      "offsetsChannelBackoffMs",
      0,
      INT32_MAX,
      "0 or a positive integer (ms)",
    ),
    offsetsCommitMaxRetries: int(
      o,
      "offsetsCommitMaxRetries",
      0,
      1000,
      "an integer from 0 to 1000",
    ),
    autoOffsetReset: (autoOffsetReset ??
      SIMPLE_CONSUMER_DEFAULTS.autoOffsetReset) as OffsetType,
    consumerTimeoutMs: int(
      o,
      "consumerTimeoutMs",
      Number.MIN_SAFE_INTEGER,
      INT32_MAX,
      "an integer (ms; 0 or less: block forever)",
    ),
    autoStart: bool(o, "autoStart"),
    resetOffsetOnStart: bool(o, "resetOffsetOnStart"),
    compactedTopic: bool(o, "compactedTopic"),
    deserializer: deserializer as Deserializer<V, K> | undefined,
    resetOffsetOnFetch: bool(o, "resetOffsetOnFetch"),
    checkCrcs: bool(o, "checkCrcs"),
    isolationLevel: (isolationLevel ??
      SIMPLE_CONSUMER_DEFAULTS.isolationLevel) as IsolationLevel,
  };
  if (r.autoCommitEnable && r.consumerGroup === undefined) {
    throw new KafkaError(
      "SimpleConsumer option autoCommitEnable needs consumerGroup: offsets are committed to a group",
    );
  }
  return r;
}
