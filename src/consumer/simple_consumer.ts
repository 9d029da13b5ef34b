/**
 * {@linkcode SimpleConsumer}: pykafka's `SimpleConsumer` (consume a topic's
 * partitions, with offsets optionally stored in a consumer group), a fixed
 * assignment over the consumer fetch engine.
 *
 * @module
 */

import { KafkaError } from "../errors/mod.ts";
import type { CallOptions } from "../util/deadline.ts";
import type {
  Cluster,
  ClusterTopic,
  OffsetType,
  Partition,
} from "../cluster/mod.ts";
import type { Message } from "../records/mod.ts";
import {
  resolveConsumerOptions,
  type ResolvedConsumerOptions,
  type SimpleConsumerOptions,
} from "./options.ts";
import type { Cursor } from "./_cursor.ts";
import { FetchEngine, type FetchEngineHooks } from "./fetch_engine.ts";
import { OffsetStore } from "./_offset_store.ts";
import { IsolationLevel } from "./isolation_level.ts";
import {
  checkResetTarget,
  type CommitIdentity,
  ConsumerOffsets,
  type ResetTarget,
} from "./_consumer_offsets.ts";
import { type ConsumeOptions, ConsumerCore } from "./_consumer_core.ts";

export type { ConsumeOptions } from "./_consumer_core.ts";

/** A committed offset as {@linkcode SimpleConsumer.fetchOffsets} reports it. */
export interface FetchedOffset {
  /** The committed offset (the next message to consume), -1 when the group has none. */
  offset: number;
  /** The metadata stored with it (pykafka writes JSON with `consumer_id` and `hostname`). */
  metadata: string | null;
}

/**
 * Consumes some or all partitions of one topic (pykafka's
 * `SimpleConsumer`), from `topic.getSimpleConsumer(options)`.
 *
 * - **Positions** follow pykafka: `heldOffsets` are the offsets of the last
 *   consumed message per partition (-2 when nothing is consumed and the
 *   partition starts at offset 0); `commitOffsets()` stores "last consumed
 *   + 1" (the next offset to read) with pykafka's JSON metadata;
 *   `resetOffsets([[p, n]])` makes `n` the last consumed offset, so the next
 *   message is `n + 1`, while `OffsetType.EARLIEST` / `LATEST` and a `Date`
 *   are looked up on the broker; resetting commits when a group is set.
 * - **Start** (`start()`, or in the background when `autoStart`): with
 *   `resetOffsetOnStart` every partition goes to `autoOffsetReset`; else
 *   with a group to the committed offsets (partitions without one to
 *   `autoOffsetReset`); else to `autoOffsetReset`.
 * - **Fetching** (a fixed assignment over the consumer's fetch engine):
 *   one pipelined loop per leader broker (see `numConsumerFetchers`), on
 *   connections of its own, many partitions per request (with a fetch
 *   session on Kafka 1.1+, see `fetchSessions`), a next fetch in flight
 *   while the application consumes,
 *   bounded by `queuedMaxMessages` per partition and `queuedMaxBytes`
 *   overall. Records are decoded in WebAssembly, one call per partition per
 *   response; keys and values are views into the fetched bytes (or into
 *   one copy of the decompressed data), never copied per message.
 *   Offsets are the broker's, across compressed batches, transaction
 *   markers and compaction gaps. OFFSET_OUT_OF_RANGE moves the partition to
 *   `autoOffsetReset`. Leader moves, dropped connections and broker
 *   restarts are retried after a metadata refresh from the same position.
 * - **consume()** takes one message per partition in turn (round-robin);
 *   when a message is buffered it resolves without waiting for I/O. Errors
 *   of the background work (fetch errors that retrying cannot fix,
 *   autocommit failures) are raised by the next `consume()`.
 * - **Iteration** (`for await`) ends when `consume()` returns `null` (only
 *   with `consumerTimeoutMs` > 0) or the consumer stops; `readable` is the
 *   same as a `ReadableStream` that pulls one message per read.
 *
 * @typeParam V the type of `message.value` (`Uint8Array | null` unless a
 *   `deserializer` says otherwise)
 * @typeParam K the type of `message.partitionKey`
 *
 * @example
 * ```ts
 * import { KafkaClient, OffsetType } from "@denokafka/kafka";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * await using client = await KafkaClient.connect({ hosts });
 * const name = `orders-${crypto.randomUUID()}`;
 * await client.createTopics([{ name, numPartitions: 1 }]);
 * try {
 *   const topic = await client.topics.get(name);
 *   {
 *     await using producer = topic.getSyncProducer();
 *     for (let i = 0; i < 3; i++) await producer.produce(new TextEncoder().encode(`order #${i}`));
 *   }
 *   await using consumer = topic.getSimpleConsumer({
 *     consumerGroup: `billing-${crypto.randomUUID()}`,
 *     autoCommitEnable: true,
 *     autoOffsetReset: OffsetType.EARLIEST,
 *     consumerTimeoutMs: 5_000, // iteration ends after 5 s without a message
 *   });
 *   for await (const m of consumer) {
 *     console.log(m.partitionId, m.offset, new TextDecoder().decode(m.value!));
 *     if (m.offset === 2) break;
 *   }
 * } finally {
 *   await client.deleteTopics([name]);
 * }
 * ```
 */
export class SimpleConsumer<V = Uint8Array | null, K = Uint8Array | null>
  implements AsyncIterable<Message<V, K>>, AsyncDisposable {
  readonly #topic: ClusterTopic;
  readonly #cluster: Cluster;
  readonly #o: ResolvedConsumerOptions<V, K>;
  readonly #byId = new Map<number, Cursor>();
  readonly #partitions = new Map<number, Partition>();
  readonly #engine: FetchEngine;
  readonly #offsets: ConsumerOffsets;
  readonly #core: ConsumerCore<V, K>;
  readonly #identity: CommitIdentity = { consumerId: "", generationId: -1 };

  /**
   * Creates the consumer (use `topic.getSimpleConsumer(options)`). Checks
   * every option: an unknown option or a wrong type throws a `TypeError`, a
   * value out of range a `RangeError`, naming the option; with `autoStart`
   * (default) starts in the background, and `consume()` waits for that.
   *
   * @param topic the topic to consume
   * @param options see {@linkcode SimpleConsumerOptions}
   */
  constructor(topic: ClusterTopic, options: SimpleConsumerOptions<V, K> = {}) {
    this.#topic = topic;
    this.#cluster = topic.cluster;
    const o = resolveConsumerOptions(options);
    this.#o = o;
    const chosen: Partition[] = [];
    if (o.partitions === undefined) {
      chosen.push(...topic.partitions.values());
    } else {
      o.partitions.forEach((x, i) => {
        const id = typeof x === "number" ? x : x.id;
        const p = topic.partitions.get(id);
        if (!p || (typeof x !== "number" && x.topic.name !== topic.name)) {
          throw new RangeError(
            `SimpleConsumer option partitions[${i}] must be a partition of topic ${topic.name} (ids ${
              [...topic.partitions.keys()].join(", ")
            }), got ${
              typeof x === "number"
                ? x
                : `partition ${x.id} of topic ${x.topic.name}`
            }`,
          );
        }
        if (!chosen.includes(p)) chosen.push(p);
      });
    }
    chosen.sort((a, b) => a.id - b.id);
    const hooks: FetchEngineHooks = {};
    this.#engine = new FetchEngine(this.#cluster, o, hooks);
    // The fixed assignment: every chosen partition, positioned on start.
    for (
      const c of this.#engine.assign(
        chosen.map((p) => ({ topic, partition: p.id })),
      )
    ) {
      this.#byId.set(c.id, c);
      this.#partitions.set(c.id, c.partition);
    }
    const store = o.consumerGroup === undefined
      ? undefined
      : new OffsetStore(this.#cluster, o.consumerGroup, {
        retries: o.offsetsCommitMaxRetries,
        backoffMs: o.offsetsChannelBackoffMs,
        requireStable: o.isolationLevel === IsolationLevel.READ_COMMITTED,
      });
    this.#offsets = new ConsumerOffsets(this.#engine, store, o, this.#identity);
    const core = new ConsumerCore(
      this.#cluster,
      this.#engine,
      this.#offsets,
      o,
      {
        name: "SimpleConsumer",
        onStart: (signal) => this.#position(signal),
      },
    );
    this.#core = core;
    hooks.onData = () => core.dataArrived();
    hooks.onError = (e) => core.fail(e);
    if (o.autoStart) this.start().catch(() => {});
  }

  /** Positions every partition on start (see the class doc). */
  async #position(signal: AbortSignal): Promise<void> {
    const cursors = this.#engine.cursors;
    const reset = this.#o.autoOffsetReset;
    if (this.#o.resetOffsetOnStart) {
      await this.#offsets.reset(
        new Map(cursors.map((c) => [c, reset])),
        true,
        signal,
      );
    } else if (this.#offsets.hasGroup) {
      await this.#offsets.fetch(cursors, true, signal);
    } else {
      const fresh = cursors.filter((c) => !c.positioned);
      if (fresh.length > 0) {
        await this.#offsets.reset(
          new Map(fresh.map((c) => [c, reset])),
          false,
          signal,
        );
      }
    }
  }

  /** The topic consumed. */
  get topic(): ClusterTopic {
    return this.#topic;
  }

  /** The consumer group, if one was given. */
  get consumerGroup(): string | undefined {
    return this.#o.consumerGroup;
  }

  /** The partitions this consumer owns, by id (pykafka's `partitions`). */
  get partitions(): Map<number, Partition> {
    return new Map(this.#partitions);
  }

  /**
   * The offset of the last consumed message per partition (pykafka's
   * `held_offsets`): -2 (`OffsetType.EARLIEST`) when nothing was consumed
   * and the partition is positioned at offset 0.
   */
  get heldOffsets(): Map<number, number> {
    const out = new Map<number, number>();
    for (const [id, c] of this.#byId) out.set(id, c.heldOffset);
    return out;
  }

  /**
   * The consumer id written into commit metadata (pykafka's `consumer_id`,
   * default `""`); a balanced consumer sets its member id here.
   */
  get consumerId(): string {
    return this.#identity.consumerId;
  }
  set consumerId(id: string) {
    this.#identity.consumerId = String(id);
  }

  /**
   * The group generation commits are made under (pykafka's
   * `generation_id`, default -1: a standalone commit). A managed balanced
   * consumer sets it together with `consumerId` (its member id).
   */
  get generationId(): number {
    return this.#identity.generationId;
  }
  set generationId(id: number) {
    if (!Number.isSafeInteger(id)) {
      throw new KafkaError(`generationId must be an integer, got ${id}`);
    }
    this.#identity.generationId = id;
  }

  /** True between a successful `start()` and `stop()`. */
  get running(): boolean {
    return this.#core.running;
  }

  /**
   * Starts consuming (pykafka's `start()`): positions every partition
   * (see the class doc), then begins fetching and, with
   * `autoCommitEnable`, autocommitting. Resolves when positioned; calling
   * it while starting or running returns the same promise; a stopped
   * consumer can be started again.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 1 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   await using consumer = topic.getSimpleConsumer({ autoStart: false, consumerGroup: `billing-${crypto.randomUUID()}` });
   *   await consumer.start();
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  start(): Promise<void> {
    return this.#core.start();
  }

  /**
   * Stops fetching (pykafka's `stop()`): commits the consumed offsets when
   * `autoCommitEnable` is on, ends blocked `consume()` calls (they throw
   * `ConsumerStoppedException`, and iteration ends), closes the fetch
   * connections and drops prefetched messages (a restart fetches them
   * again). A commit failure is thrown after everything is stopped.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 1 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   const consumer = topic.getSimpleConsumer({ consumerGroup: `billing-${crypto.randomUUID()}` });
   *   await consumer.stop();
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  stop(): Promise<void> {
    return this.#core.stop();
  }

  /** Same as {@linkcode SimpleConsumer.stop}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  /**
   * The next message, in round-robin order over the partitions (pykafka's
   * `consume()`).
   *
   * - A buffered message is returned without waiting for any I/O.
   * - `block: false`: `null` when nothing is buffered.
   * - Blocking: waits for a message, at most `timeoutMs` (default
   *   `consumerTimeoutMs`; 0 or less: no limit), then `null`. An aborted
   *   `signal` also ends the wait with `null`.
   * - Options are checked only when nothing is buffered (this is the hot
   *   path): a `block`, `timeoutMs` or `signal` of the wrong type rejects
   *   with a `TypeError`; unknown option names are not looked for here.
   * - Throws `ConsumerStoppedException` after `stop()` (also to calls
   *   blocked when it happens), and the errors of background work (fetch
   *   errors that retrying cannot fix, autocommit failures), each once.
   * - With a `deserializer`, value and key are deserialized here; a
   *   deserializer error is thrown, and that message counts as consumed.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 1 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   {
   *     await using producer = topic.getSyncProducer();
   *     for (let i = 0; i < 1; i++) await producer.produce(new TextEncoder().encode(`order #${i}`));
   *   }
   *   await using consumer = topic.getSimpleConsumer();
   *   const m = await consumer.consume({ block: true, timeoutMs: 10_000 });
   *   if (m) console.log(m.offset, new TextDecoder().decode(m.value!));
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  consume(options?: ConsumeOptions): Promise<Message<V, K> | null> {
    return this.#core.consume(options);
  }

  /**
   * Iterates with `consume({ block: true })` until it returns `null`
   * (`consumerTimeoutMs` > 0 passed without a message) or the consumer
   * stops. Leaving the loop early does not stop the consumer.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 1 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   {
   *     await using producer = topic.getSyncProducer();
   *     for (let i = 0; i < 2; i++) await producer.produce(new TextEncoder().encode(`order #${i}`));
   *   }
   *   await using consumer = topic.getSimpleConsumer({ consumerTimeoutMs: 10_000 });
   *   for await (const m of consumer) {
   *     console.log(m.offset);
   *     if (m.offset === 1) break; // or run until 10 s pass without a message
   *   }
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<Message<V, K>> {
    return this.#core.iterator();
  }

  /**
   * The messages as a `ReadableStream` (created on first access, the same
   * stream afterwards). It pulls one message per read, so nothing is
   * consumed (and counted in `heldOffsets`) before the reader asks for it;
   * it closes when `consume()` returns `null` or the consumer stops, and
   * errors with the error `consume()` throws. Cancelling it does not stop
   * the consumer.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 1 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   {
   *     await using producer = topic.getSyncProducer();
   *     for (let i = 0; i < 2; i++) await producer.produce(new TextEncoder().encode(`order #${i}`));
   *   }
   *   await using consumer = topic.getSimpleConsumer({ consumerTimeoutMs: 10_000 });
   *   for await (const m of consumer.readable) {
   *     console.log(m.offset);
   *     if (m.offset === 1) break; // cancels the stream, not the consumer
   *   }
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  get readable(): ReadableStream<Message<V, K>> {
    return this.#core.readable;
  }

  #cursor(id: unknown, what: string): Cursor {
    const c = typeof id === "number" ? this.#byId.get(id) : undefined;
    if (!c) {
      throw new KafkaError(
        `Unknown partition supplied to ${what}: ${
          String(id)
        } (this consumer owns ${
          [...this.#byId.keys()].join(", ") || "no partitions"
        } of ${this.#topic.name})`,
      );
    }
    return c;
  }

  /**
   * Commits offsets to the consumer group (pykafka's `commit_offsets`):
   * by default "last consumed + 1" (the next offset to read) of every
   * positioned partition; with `partitionOffsets`, the given
   * `[partitionId, offset]` pairs verbatim. Metadata is pykafka's JSON
   * (`{"consumer_id": ..., "hostname": ...}`; the host name needs
   * `--allow-sys=hostname`, else it is empty). Retried
   * `offsetsCommitMaxRetries` times (linear backoff
   * `offsetsChannelBackoffMs`, the coordinator looked up again after
   * coordinator errors); a commit that still fails throws the Kafka error
   * (pykafka only logged it). Settles within `options.timeoutMs` (default
   * the client's `retryTimeoutMs`; then `RequestTimeoutError`), or with
   * `signal.reason` when `options.signal` aborts.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 2 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   {
   *     await using producer = topic.getSyncProducer();
   *     for (let i = 0; i < 1; i++) await producer.produce(new TextEncoder().encode(`order #${i}`));
   *   }
   *   await using consumer = topic.getSimpleConsumer({ consumerGroup: `billing-${crypto.randomUUID()}`, consumerTimeoutMs: 10_000 });
   *   await consumer.consume();
   *   await consumer.commitOffsets();                 // what was consumed
   *   await consumer.commitOffsets([[0, 69], [1, 69]]); // explicit offsets
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  commitOffsets(
    partitionOffsets?: readonly [number, number][],
    options: CallOptions = {},
  ): Promise<void> {
    try {
      const targets = partitionOffsets === undefined
        ? undefined
        : this.#commitTargets(partitionOffsets);
      return this.#bounded(
        "commitOffsets",
        options,
        (signal) => this.#offsets.commit(targets, signal),
      );
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Runs a call to the cluster within its deadline (see the README's Deadlines). */
  #bounded<T>(
    what: string,
    options: CallOptions,
    fn: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return this.#topic.cluster.bounded(
      `SimpleConsumer.${what} (${this.#topic.name})`,
      options,
      fn,
    );
  }

  #commitTargets(
    partitionOffsets: readonly [number, number][],
  ): Map<Cursor, number> {
    if (!Array.isArray(partitionOffsets)) {
      throw new KafkaError(
        "commitOffsets takes an array of [partitionId, offset] pairs",
      );
    }
    const offsets = new Map<Cursor, number>();
    for (const entry of partitionOffsets) {
      if (!Array.isArray(entry) || entry.length !== 2) {
        throw new KafkaError(
          `commitOffsets takes [partitionId, offset] pairs, got ${
            JSON.stringify(entry)
          }`,
        );
      }
      const c = this.#cursor(entry[0], "commitOffsets");
      const o = entry[1];
      if (!Number.isSafeInteger(o) || o < -1) {
        throw new KafkaError(
          `commitOffsets: offset for partition ${c.id} must be an integer of -1 or more, got ${o}`,
        );
      }
      offsets.set(c, o);
    }
    return offsets;
  }

  /**
   * Reads the group's committed offsets of the owned partitions (pykafka's
   * `fetch_offsets`). With `resetOffsetOnFetch` (default) the consumer
   * also moves there: a partition with committed offset `c` resumes at
   * `c` (held offset `c - 1`), one without goes to `autoOffsetReset` (and
   * that is committed). Retried like commits; `OffsetRequestFailedError`
   * when it still fails. Bounded like `commitOffsets` (`options.timeoutMs`,
   * `options.signal`).
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 2 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   await using consumer = topic.getSimpleConsumer({ consumerGroup: `billing-${crypto.randomUUID()}` });
   *   const committed = await consumer.fetchOffsets();
   *   for (const [id, { offset }] of committed) console.log(id, offset);
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  async fetchOffsets(
    options: CallOptions = {},
  ): Promise<Map<number, FetchedOffset>> {
    const fetched = await this.#bounded(
      "fetchOffsets",
      options,
      (signal) =>
        this.#offsets.fetch(
          this.#engine.cursors,
          this.#o.resetOffsetOnFetch,
          signal,
        ),
    );
    const out = new Map<number, FetchedOffset>();
    for (const [c, s] of fetched) out.set(c.id, s);
    return out;
  }

  /**
   * Moves partitions (pykafka's `reset_offsets`); default: every owned
   * partition to `autoOffsetReset`. Each `[partitionId, target]`:
   *
   * - `OffsetType.EARLIEST` (-2) / `OffsetType.LATEST` (-1): looked up on
   *   the leader; the next message is the oldest stored / the next one
   *   produced.
   * - a `Date`: the first message at or after that time (brokers before
   *   0.10.1: the newest segment started before it); the latest offset when
   *   no message is that recent.
   * - an integer `n` ≥ 0: **the last consumed offset**: `heldOffsets`
   *   becomes `n` and the next message is `n + 1` (pykafka's semantics). An
   *   offset beyond the end makes the broker answer OFFSET_OUT_OF_RANGE,
   *   and the partition goes to `autoOffsetReset`.
   *
   * Prefetched messages of those partitions are dropped. With a group the
   * new positions are committed. Lookups are retried like commits;
   * `OffsetRequestFailedError` when one still fails. Bounded like
   * `commitOffsets` (`options.timeoutMs`, `options.signal`).
   *
   * @example
   * ```ts
   * import { KafkaClient, OffsetType } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 3 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   await using consumer = topic.getSimpleConsumer({ consumerGroup: `billing-${crypto.randomUUID()}` });
   *   await consumer.resetOffsets([[0, OffsetType.EARLIEST], [1, 41], [2, new Date("2026-01-01")]]);
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  resetOffsets(
    partitionOffsets?: readonly [number, number | OffsetType | Date][],
    options: CallOptions = {},
  ): Promise<void> {
    try {
      const targets = new Map<Cursor, ResetTarget>();
      if (partitionOffsets === undefined) {
        for (const c of this.#engine.cursors) {
          targets.set(c, this.#o.autoOffsetReset);
        }
      } else {
        if (!Array.isArray(partitionOffsets)) {
          throw new KafkaError(
            "resetOffsets takes an array of [partitionId, offset | OffsetType | Date] pairs",
          );
        }
        for (const entry of partitionOffsets) {
          if (!Array.isArray(entry) || entry.length !== 2) {
            throw new KafkaError(
              `resetOffsets takes [partitionId, offset | OffsetType | Date] pairs, got ${
                JSON.stringify(entry)
              }`,
            );
          }
          const c = this.#cursor(entry[0], "resetOffsets");
          targets.set(c, checkResetTarget(c, entry[1]));
        }
      }
      return this.#bounded(
        "resetOffsets",
        options,
        (signal) => this.#offsets.reset(targets, true, signal),
      );
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** `SimpleConsumer(orders, partitions 0,1,2, group billing)`. */
  toString(): string {
    return `SimpleConsumer(${this.#topic.name}, partitions ${
      [...this.#byId.keys()].join(",")
    }${
      this.#o.consumerGroup === undefined
        ? ""
        : `, group ${this.#o.consumerGroup}`
    })`;
  }
}
