/**
 * {@linkcode SimpleConsumerOptions}: pykafka's `SimpleConsumer` arguments in
 * camelCase, plus `fetchMaxBytes`, `queuedMaxBytes`, `checkCrcs` and
 * `isolationLevel`;
 * their defaults and validation.
 *
 * @module
 */

import type { UseWorkers } from "../cluster/use_workers.ts";
import {
  type CheckedOptions,
  INT32_MAX,
  optionRangeError,
  type OptionRule,
  optionTypeError,
  rules,
  validateOptions,
} from "../util/options.ts";
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
 * Every option is checked when the consumer is made: an unknown option or
 * a wrong type throws a `TypeError`, a value out of range a `RangeError`,
 * naming `SimpleConsumer`, the option and the value.
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
  /**
   * Use fetch sessions (KIP-227, Fetch v7+ / Kafka 1.1+; default `true`):
   * after a first full request, each fetch lists only the partitions whose
   * position changed, and the broker answers only with partitions that
   * have news, which saves request bytes and broker CPU for consumers of
   * many partitions. Brokers without them (and `false`) get a full request
   * each time. Not in pykafka.
   */
  fetchSessions?: boolean;
  /**
   * pykafka's `use_greenlets` for this consumer (Deno only): `true` /
   * `"decode"` decodes fetched records in a Web Worker of its own
   * (terminated by `stop()`) while the event loop reads the sockets;
   * `"sockets"` moves its fetch connections and their reads into that
   * worker too; `false` does everything on the event loop. Default: the
   * client's `useWorkers` (itself `false` by default).
   */
  useWorkers?: UseWorkers;
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
  fetchSessions: boolean;
  /** `undefined`: the client's choice. */
  useWorkers: UseWorkers | undefined;
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

const PARTITION_TEXT = "a Partition of the topic or a partition id";

/** One entry of `partitions`: a partition id or a `Partition`-like object. */
const partitionRule: OptionRule<Partition | number> = (v, owner, name) => {
  if (typeof v === "number") return rules.int(0, INT32_MAX)(v, owner, name);
  if (typeof v === "object" && v !== null && "id" in v && "topic" in v) {
    return v as Partition;
  }
  throw optionTypeError(owner, name, PARTITION_TEXT, v);
};

/**
 * The rules of {@linkcode SimpleConsumerOptions} (internal). A consumer
 * that takes these options plus its own checks both in one call and then
 * fills in these defaults with {@linkcode consumerOptionsFrom}:
 *
 * @example
 * ```ts
 * import { consumerOptionsFrom, SIMPLE_CONSUMER_RULES } from "./options.ts";
 * import { rules, validateOptions } from "../util/options.ts";
 * const given = { consumerGroup: "g", rebalanceMaxRetries: 3 };
 * const checked = validateOptions("BalancedConsumer", given, {
 *   ...SIMPLE_CONSUMER_RULES,
 *   rebalanceMaxRetries: rules.int(0),
 * });
 * const base = consumerOptionsFrom(checked, "BalancedConsumer");
 * console.assert(base.consumerGroup === "g" && checked.rebalanceMaxRetries === 3);
 * ```
 */
export const SIMPLE_CONSUMER_RULES = {
  consumerGroup: rules.string(true),
  partitions: rules.array(
    partitionRule,
    "an array of Partition objects of the topic or partition ids",
  ),
  fetchMessageMaxBytes: rules.int(1, INT32_MAX),
  numConsumerFetchers: rules.int(1, 64),
  autoCommitEnable: rules.bool(),
  autoCommitIntervalMs: rules.ms(1),
  queuedMaxMessages: rules.int(1),
  queuedMaxBytes: rules.int(1),
  fetchMinBytes: rules.int(0, INT32_MAX),
  fetchErrorBackoffMs: rules.ms(0),
  fetchWaitMaxMs: rules.ms(0),
  fetchMaxBytes: rules.int(1, INT32_MAX),
  offsetsChannelBackoffMs: rules.ms(0),
  offsetsCommitMaxRetries: rules.int(0, 1000),
  autoOffsetReset: rules.oneOf<OffsetType>(
    [OffsetType.EARLIEST, OffsetType.LATEST],
    "OffsetType.EARLIEST (-2) or OffsetType.LATEST (-1)",
  ),
  consumerTimeoutMs: rules.int(
    Number.MIN_SAFE_INTEGER,
    INT32_MAX,
    undefined,
    "an integer up to 2147483647 (ms; 0 or less: block forever)",
  ),
  autoStart: rules.bool(),
  resetOffsetOnStart: rules.bool(),
  compactedTopic: rules.bool(),
  deserializer: rules.func<Deserializer<unknown, unknown>>(
    "a function (value, partitionKey) => [value, partitionKey]",
  ),
  resetOffsetOnFetch: rules.bool(),
  checkCrcs: rules.bool(),
  isolationLevel: rules.oneOf<IsolationLevel>(
    [IsolationLevel.READ_UNCOMMITTED, IsolationLevel.READ_COMMITTED],
    "IsolationLevel.READ_UNCOMMITTED (0) or IsolationLevel.READ_COMMITTED (1)",
  ),
  fetchSessions: rules.bool(),
  useWorkers: rules.oneOf<UseWorkers>(
    [false, true, "decode", "sockets"],
    'false, true, "decode" or "sockets"',
  ),
};

/**
 * Fills in the defaults of options checked with
 * {@linkcode SIMPLE_CONSUMER_RULES} (possibly among more rules) and checks
 * how they combine: `autoCommitEnable` needs `consumerGroup` (a
 * `RangeError` naming `owner`).
 */
export function consumerOptionsFrom<V, K>(
  checked: CheckedOptions<typeof SIMPLE_CONSUMER_RULES>,
  owner: string,
): ResolvedConsumerOptions<V, K> {
  const d = SIMPLE_CONSUMER_DEFAULTS;
  const r: ResolvedConsumerOptions<V, K> = {
    consumerGroup: checked.consumerGroup,
    partitions: checked.partitions,
    fetchMessageMaxBytes: checked.fetchMessageMaxBytes ??
      d.fetchMessageMaxBytes,
    numConsumerFetchers: checked.numConsumerFetchers ?? d.numConsumerFetchers,
    autoCommitEnable: checked.autoCommitEnable ?? d.autoCommitEnable,
    autoCommitIntervalMs: checked.autoCommitIntervalMs ??
      d.autoCommitIntervalMs,
    queuedMaxMessages: checked.queuedMaxMessages ?? d.queuedMaxMessages,
    queuedMaxBytes: checked.queuedMaxBytes ?? d.queuedMaxBytes,
    fetchMinBytes: checked.fetchMinBytes ?? d.fetchMinBytes,
    fetchErrorBackoffMs: checked.fetchErrorBackoffMs ?? d.fetchErrorBackoffMs,
    fetchWaitMaxMs: checked.fetchWaitMaxMs ?? d.fetchWaitMaxMs,
    fetchMaxBytes: checked.fetchMaxBytes ?? d.fetchMaxBytes,
    offsetsChannelBackoffMs: checked.offsetsChannelBackoffMs ??
      d.offsetsChannelBackoffMs,
    offsetsCommitMaxRetries: checked.offsetsCommitMaxRetries ??
      d.offsetsCommitMaxRetries,
    autoOffsetReset: checked.autoOffsetReset ?? d.autoOffsetReset,
    consumerTimeoutMs: checked.consumerTimeoutMs ?? d.consumerTimeoutMs,
    autoStart: checked.autoStart ?? d.autoStart,
    resetOffsetOnStart: checked.resetOffsetOnStart ?? d.resetOffsetOnStart,
    compactedTopic: checked.compactedTopic ?? d.compactedTopic,
    deserializer: checked.deserializer as Deserializer<V, K> | undefined,
    resetOffsetOnFetch: checked.resetOffsetOnFetch ?? d.resetOffsetOnFetch,
    checkCrcs: checked.checkCrcs ?? d.checkCrcs,
    isolationLevel: checked.isolationLevel ?? d.isolationLevel,
    // Not in SIMPLE_CONSUMER_DEFAULTS, which lists pykafka's options and
    // the first additions; fetch sessions are on unless turned off.
    fetchSessions: checked.fetchSessions ?? true,
    useWorkers: checked.useWorkers,
  };
  if (r.autoCommitEnable && r.consumerGroup === undefined) {
    throw optionRangeError(
      owner,
      "autoCommitEnable",
      "false without consumerGroup (offsets are committed to a group)",
      true,
    );
  }
  return r;
}

/**
 * Checks `options` and fills in the defaults. An unknown option or a wrong
 * type throws a `TypeError`, a value out of range (or options that
 * contradict each other) a `RangeError`, naming `owner`, the option and
 * the value.
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
  owner = "SimpleConsumer",
): ResolvedConsumerOptions<V, K> {
  return consumerOptionsFrom(
    validateOptions(owner, options, SIMPLE_CONSUMER_RULES),
    owner,
  );
}
