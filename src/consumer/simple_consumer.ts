/**
 * {@linkcode SimpleConsumer}: pykafka's `SimpleConsumer` (consume a topic's
 * partitions, with offsets optionally stored in a consumer group).
 *
 * @module
 */

import {
  ConsumerStoppedException,
  KafkaError,
  OffsetRequestFailedError,
} from "../errors/mod.ts";
import { errorText } from "../util/error_text.ts";
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
import {
  type ByteBudget,
  OwnedPartition,
  ReadyRing,
} from "./_owned_partition.ts";
import { Fetcher, type FetcherHost } from "./_fetcher.ts";
import { rules } from "../util/options.ts";
import { hostname } from "../util/runtime.ts";
import { lookupPositions } from "./_offset_lookup.ts";
import {
  type Membership,
  OffsetStore,
  type StoredOffset,
} from "./_offset_store.ts";

/**
 * Options of {@linkcode SimpleConsumer.consume}.
 *
 * @example
 * ```ts ignore
 * const controller = new AbortController();
 * const m = await consumer.consume({ block: true, timeoutMs: 5_000, signal: controller.signal });
 * ```
 */
export interface ConsumeOptions {
  /**
   * Wait for a message (default `true`). `false`: return a buffered
   * message or `null` at once.
   */
  block?: boolean;
  /**
   * Longest wait in ms (default: the consumer's `consumerTimeoutMs`; 0 or
   * less: no limit). `null` is returned when it passes.
   */
  timeoutMs?: number;
  /**
   * Ends the wait: a blocked `consume()` returns `null` when it aborts
   * (pykafka's `unblock_event`).
   */
  signal?: AbortSignal;
}

const CONSUME = "SimpleConsumer.consume";
const CONSUME_RULES = {
  block: rules.bool(),
  timeoutMs: rules.check<number>(
    "a number (ms; 0 or less: no limit)",
    (v) => typeof v === "number" && !Number.isNaN(v),
  ),
  signal: rules.signal(),
};

/**
 * The types of `consume()`'s options, checked only when it waits (not on
 * the path that returns a buffered message): no unknown-name check there.
 */
function checkConsumeOptions(o: ConsumeOptions): void {
  if (o.block !== undefined) CONSUME_RULES.block(o.block, CONSUME, "block");
  if (o.timeoutMs !== undefined) {
    CONSUME_RULES.timeoutMs(o.timeoutMs, CONSUME, "timeoutMs");
  }
  if (o.signal !== undefined) {
    CONSUME_RULES.signal(o.signal, CONSUME, "signal");
  }
}

/** A committed offset as {@linkcode SimpleConsumer.fetchOffsets} reports it. */
export interface FetchedOffset {
  /** The committed offset (the next message to consume), -1 when the group has none. */
  offset: number;
  /** The metadata stored with it (pykafka writes JSON with `consumer_id` and `hostname`). */
  metadata: string | null;
}

const STOPPED = 0;
const STARTING = 1;
const RUNNING = 2;
const STOPPING = 3;

const DONE: IteratorReturnResult<undefined> = Object.freeze({
  value: undefined,
  done: true,
});

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
 * - **Fetching**: one pipelined loop per leader broker (see
 *   `numConsumerFetchers`), on connections of its own, many partitions per
 *   request, a next fetch in flight while the application consumes,
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
 * ```ts ignore
 * import { KafkaClient, OffsetType } from "../../mod.ts";
 * await using client = await KafkaClient.connect({ hosts: "127.0.0.1:9092" });
 * const topic = await client.topics.get("orders");
 * await using consumer = topic.getSimpleConsumer({
 *   consumerGroup: "billing",
 *   autoCommitEnable: true,
 *   autoOffsetReset: OffsetType.EARLIEST,
 *   consumerTimeoutMs: 5_000,
 * });
 * for await (const m of consumer) {
 *   console.log(m.partitionId, m.offset, m.value);
 * }
 * ```
 */
export class SimpleConsumer<V = Uint8Array | null, K = Uint8Array | null>
  implements AsyncIterable<Message<V, K>>, AsyncDisposable {
  readonly #topic: ClusterTopic;
  readonly #cluster: Cluster;
  readonly #o: ResolvedConsumerOptions<V, K>;
  readonly #owned: OwnedPartition[];
  readonly #byId = new Map<number, OwnedPartition>();
  readonly #partitions = new Map<number, Partition>();
  readonly #budget: ByteBudget = { bytes: 0 };
  readonly #ring = new ReadyRing();
  readonly #fetcher: Fetcher;
  readonly #store: OffsetStore | undefined;
  #state = STOPPED;
  #starting: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;
  #startError: unknown;
  #abort = new AbortController();
  #errors: Error[] = [];
  readonly #waiters = new Set<() => void>();
  readonly #tasks = new Set<Promise<unknown>>();
  #autocommitTimer: ReturnType<typeof setTimeout> | undefined;
  #consumerId = "";
  #generationId = -1;
  #readable: ReadableStream<Message<V, K>> | undefined;

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
    this.#owned = chosen.map((p, i) =>
      new OwnedPartition(
        p,
        i % o.numConsumerFetchers,
        o.fetchMessageMaxBytes,
        this.#budget,
      )
    );
    for (const p of this.#owned) {
      this.#byId.set(p.id, p);
      this.#partitions.set(p.id, p.partition);
    }
    if (o.consumerGroup !== undefined) {
      this.#store = new OffsetStore(this.#cluster, o.consumerGroup, {
        retries: o.offsetsCommitMaxRetries,
        backoffMs: o.offsetsChannelBackoffMs,
      });
    }
    this.#fetcher = new Fetcher(topic, this.#host(), {
      fetchMessageMaxBytes: o.fetchMessageMaxBytes,
      fetchMaxBytes: o.fetchMaxBytes,
      fetchMinBytes: o.fetchMinBytes,
      fetchWaitMaxMs: o.fetchWaitMaxMs,
      fetchErrorBackoffMs: o.fetchErrorBackoffMs,
      queuedMaxMessages: o.queuedMaxMessages,
      queuedMaxBytes: o.queuedMaxBytes,
      numConsumerFetchers: o.numConsumerFetchers,
      isolationLevel: o.isolationLevel,
      checkCrcs: o.checkCrcs,
    });
    if (o.autoStart) this.start().catch(() => {});
  }

  #host(): FetcherHost {
    return {
      owned: this.#owned,
      queuedBytes: () => this.#budget.bytes,
      deliver: (p, messages, bytes) => {
        p.push(messages, bytes);
        this.#ring.add(p);
        if (this.#waiters.size > 0) this.#wakeConsumers();
      },
      fail: (e) => this.#fail(e),
      outOfRange: (ps) => this.#outOfRange(ps),
    };
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
    for (const p of this.#owned) out.set(p.id, p.heldOffset);
    return out;
  }

  /**
   * The consumer id written into commit metadata (pykafka's `consumer_id`,
   * default `""`); a balanced consumer sets its member id here.
   */
  get consumerId(): string {
    return this.#consumerId;
  }
  set consumerId(id: string) {
    this.#consumerId = String(id);
  }

  /**
   * The group generation commits are made under (pykafka's
   * `generation_id`, default -1: a standalone commit). A managed balanced
   * consumer sets it together with `consumerId` (its member id).
   */
  get generationId(): number {
    return this.#generationId;
  }
  set generationId(id: number) {
    if (!Number.isSafeInteger(id)) {
      throw new KafkaError(`generationId must be an integer, got ${id}`);
    }
    this.#generationId = id;
  }

  /** True between a successful `start()` and `stop()`. */
  get running(): boolean {
    return this.#state === RUNNING;
  }

  /**
   * Starts consuming (pykafka's `start()`): positions every partition
   * (see the class doc), then begins fetching and, with
   * `autoCommitEnable`, autocommitting. Resolves when positioned; calling
   * it while starting or running returns the same promise; a stopped
   * consumer can be started again.
   *
   * @example
   * ```ts ignore
   * const consumer = topic.getSimpleConsumer({ autoStart: false, consumerGroup: "g" });
   * await consumer.start();
   * ```
   */
  start(): Promise<void> {
    if (this.#state === RUNNING) return Promise.resolve();
    if (this.#starting) return this.#starting;
    if (this.#stopping) {
      return this.#stopping.catch(() => {}).then(() => this.start());
    }
    this.#state = STARTING;
    this.#startError = undefined;
    this.#abort = new AbortController();
    const signal = this.#abort.signal;
    const p = this.#doStart().then(
      () => {
        if (signal.aborted) {
          throw new ConsumerStoppedException(
            "the consumer was stopped while starting",
          );
        }
        this.#state = RUNNING;
        this.#fetcher.start();
        this.#scheduleAutocommit();
        this.#wakeConsumers();
      },
      (e) => {
        if (signal.aborted) {
          throw new ConsumerStoppedException(
            "the consumer was stopped while starting",
            { cause: e },
          );
        }
        this.#state = STOPPED;
        this.#startError = e;
        this.#wakeConsumers();
        throw e;
      },
    ).finally(() => {
      if (this.#starting === p) this.#starting = undefined;
    });
    this.#starting = p;
    return p;
  }

  async #doStart(): Promise<void> {
    await this.#cluster.ready();
    const signal = this.#abort.signal;
    if (this.#o.resetOffsetOnStart) {
      await this.#reset(
        this.#owned.map((p) => [p.id, this.#o.autoOffsetReset]),
        true,
        signal,
      );
    } else if (this.#store) {
      await this.#fetchOffsets(true, signal);
    } else {
      const fresh = this.#owned.filter((p) => !p.positioned);
      if (fresh.length > 0) {
        await this.#reset(
          fresh.map((p) => [p.id, this.#o.autoOffsetReset]),
          false,
          signal,
        );
      }
    }
  }

  /**
   * Stops fetching (pykafka's `stop()`): commits the consumed offsets when
   * `autoCommitEnable` is on, ends blocked `consume()` calls (they throw
   * `ConsumerStoppedException`, and iteration ends), closes the fetch
   * connections and drops prefetched messages (a restart fetches them
   * again). A commit failure is thrown after everything is stopped.
   *
   * @example
   * ```ts ignore
   * await consumer.stop();
   * ```
   */
  stop(): Promise<void> {
    if (this.#stopping) return this.#stopping;
    if (this.#state === STOPPED && !this.#starting) return Promise.resolve();
    const p = this.#doStop().finally(() => {
      if (this.#stopping === p) this.#stopping = undefined;
    });
    this.#stopping = p;
    return p;
  }

  async #doStop(): Promise<void> {
    const wasRunning = this.#state === RUNNING;
    this.#abort.abort(new ConsumerStoppedException("the consumer was stopped"));
    const starting = this.#starting;
    this.#state = STOPPING;
    this.#wakeConsumers();
    if (starting) await starting.catch(() => {});
    if (this.#autocommitTimer !== undefined) {
      clearTimeout(this.#autocommitTimer);
      this.#autocommitTimer = undefined;
    }
    await this.#fetcher.stop();
    while (this.#tasks.size > 0) {
      await Promise.all([...this.#tasks].map((t) => t.catch(() => {})));
    }
    let commitError: unknown;
    if (wasRunning && this.#o.autoCommitEnable && this.#store) {
      try {
        await this.#commit(undefined, undefined);
      } catch (e) {
        commitError = e;
      }
    }
    // Prefetched messages are dropped; a restart fetches them again.
    this.#ring.clear();
    for (const p of this.#owned) {
      if (p.positioned) p.setNext(p.lastOffsetConsumed + 1);
      else p.flush();
    }
    this.#state = STOPPED;
    this.#wakeConsumers();
    if (commitError !== undefined) throw commitError;
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
   * ```ts ignore
   * const m = await consumer.consume({ block: true, timeoutMs: 1000 });
   * if (m) console.log(m.offset, new TextDecoder().decode(m.value!));
   * ```
   */
  consume(options?: ConsumeOptions): Promise<Message<V, K> | null> {
    if (this.#state === RUNNING && this.#errors.length === 0) {
      const m = this.#take();
      if (m !== undefined) return Promise.resolve(m);
      if (options?.block === false) return Promise.resolve(null);
    }
    return this.#consumeSlow(options ?? {});
  }

  /** Takes one buffered message (round-robin), or `undefined`. */
  #take(): Message<V, K> | undefined {
    const before = this.#budget.bytes;
    const raw = this.#ring.take();
    if (raw === undefined) return undefined;
    const p = this.#ring.last!;
    const max = this.#o.queuedMaxBytes;
    if (
      p.count === this.#o.queuedMaxMessages - 1 ||
      (before >= max && this.#budget.bytes < max)
    ) {
      this.#fetcher.wake();
    }
    const des = this.#o.deserializer;
    if (des !== undefined) {
      const [v, k] = des(raw.value, raw.partitionKey);
      const m = raw as unknown as Message<V, K>;
      m.value = v;
      m.partitionKey = k;
      return m;
    }
    return raw as unknown as Message<V, K>;
  }

  async #consumeSlow(options: ConsumeOptions): Promise<Message<V, K> | null> {
    checkConsumeOptions(options);
    const block = options.block ?? true;
    const timeoutMs = options.timeoutMs ?? this.#o.consumerTimeoutMs;
    const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
    const signal = options.signal;
    for (;;) {
      if (this.#state === STARTING && this.#starting) {
        if (!block) return null;
        await this.#waitForData(deadline - Date.now(), signal);
        if (signal?.aborted || Date.now() >= deadline) {
          if (this.#state === STARTING) return null;
        }
        continue;
      }
      if (this.#state !== RUNNING) {
        if (this.#state === STOPPED && this.#startError !== undefined) {
          throw this.#startError;
        }
        throw new ConsumerStoppedException(
          "consume() on a stopped consumer; call start() first",
        );
      }
      const err = this.#errors.shift();
      if (err !== undefined) throw err;
      const m = this.#take();
      if (m !== undefined) return m;
      if (!block || signal?.aborted) return null;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await this.#waitForData(left, signal);
    }
  }

  #waitForData(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        this.#waiters.delete(done);
        resolve();
      };
      if (signal?.aborted) return resolve();
      this.#waiters.add(done);
      signal?.addEventListener("abort", done, { once: true });
      if (Number.isFinite(ms)) timer = setTimeout(done, Math.max(0, ms));
    });
  }

  #wakeConsumers(): void {
    if (this.#waiters.size === 0) return;
    for (const w of [...this.#waiters]) w();
  }

  #fail(e: Error): void {
    this.#errors.push(e);
    this.#wakeConsumers();
  }

  /**
   * Iterates with `consume({ block: true })` until it returns `null`
   * (`consumerTimeoutMs` > 0 passed without a message) or the consumer
   * stops. Leaving the loop early does not stop the consumer.
   *
   * @example
   * ```ts ignore
   * for await (const m of consumer) console.log(m.offset);
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<Message<V, K>> {
    const it: AsyncIterableIterator<Message<V, K>> = {
      next: (): Promise<IteratorResult<Message<V, K>>> => {
        if (this.#state === RUNNING && this.#errors.length === 0) {
          const m = this.#take();
          if (m !== undefined) {
            return Promise.resolve({ value: m, done: false });
          }
        }
        return this.#consumeSlow({ block: true }).then(
          (m): IteratorResult<Message<V, K>> =>
            m === null ? DONE : { value: m, done: false },
          (e) => {
            if (e instanceof ConsumerStoppedException) return DONE;
            throw e;
          },
        );
      },
      return: (): Promise<IteratorResult<Message<V, K>>> =>
        Promise.resolve(DONE),
      [Symbol.asyncIterator]: () => it,
    };
    return it;
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
   * ```ts ignore
   * for await (const m of consumer.readable) console.log(m.offset);
   * ```
   */
  get readable(): ReadableStream<Message<V, K>> {
    this.#readable ??= new ReadableStream<Message<V, K>>({
      pull: async (controller) => {
        try {
          const m = await this.consume({ block: true });
          if (m === null) controller.close();
          else controller.enqueue(m);
        } catch (e) {
          if (e instanceof ConsumerStoppedException) controller.close();
          else controller.error(e);
        }
      },
    }, { highWaterMark: 0 });
    return this.#readable;
  }

  #ownedPartition(id: unknown, what: string): OwnedPartition {
    const p = typeof id === "number" ? this.#byId.get(id) : undefined;
    if (!p) {
      throw new KafkaError(
        `Unknown partition supplied to ${what}: ${
          String(id)
        } (this consumer owns ${
          [...this.#byId.keys()].join(", ") || "no partitions"
        } of ${this.#topic.name})`,
      );
    }
    return p;
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
   * (pykafka only logged it).
   *
   * @example
   * ```ts ignore
   * await consumer.commitOffsets();                 // what was consumed
   * await consumer.commitOffsets([[0, 69], [1, 69]]); // explicit offsets
   * ```
   */
  commitOffsets(partitionOffsets?: readonly [number, number][]): Promise<void> {
    try {
      return this.#commit(partitionOffsets, undefined);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  #commit(
    partitionOffsets: readonly [number, number][] | undefined,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const store = this.#store;
    if (!store) {
      throw new KafkaError(
        "commitOffsets needs a consumer group: set the consumerGroup option",
      );
    }
    const offsets = new Map<number, number>();
    if (partitionOffsets === undefined) {
      for (const p of this.#owned) {
        if (p.positioned) offsets.set(p.id, p.lastOffsetConsumed + 1);
      }
    } else {
      if (!Array.isArray(partitionOffsets)) {
        throw new KafkaError(
          "commitOffsets takes an array of [partitionId, offset] pairs",
        );
      }
      for (const entry of partitionOffsets) {
        if (!Array.isArray(entry) || entry.length !== 2) {
          throw new KafkaError(
            `commitOffsets takes [partitionId, offset] pairs, got ${
              JSON.stringify(entry)
            }`,
          );
        }
        const p = this.#ownedPartition(entry[0], "commitOffsets");
        const o = entry[1];
        if (!Number.isSafeInteger(o) || o < -1) {
          throw new KafkaError(
            `commitOffsets: offset for partition ${p.id} must be an integer of -1 or more, got ${o}`,
          );
        }
        offsets.set(p.id, o);
      }
    }
    if (offsets.size === 0) return Promise.resolve();
    const metadata = JSON.stringify({
      consumer_id: this.#consumerId,
      hostname: hostname(),
    });
    const membership: Membership | undefined = this.#generationId >= 0
      ? { generationId: this.#generationId, memberId: this.#consumerId }
      : undefined;
    return store.commit(
      this.#topic.name,
      offsets,
      metadata,
      membership,
      signal,
    ).then(() => {
      for (const [id, o] of offsets) this.#byId.get(id)!.lastCommitted = o;
    });
  }

  /**
   * Reads the group's committed offsets of the owned partitions (pykafka's
   * `fetch_offsets`). With `resetOffsetOnFetch` (default) the consumer
   * also moves there: a partition with committed offset `c` resumes at
   * `c` (held offset `c - 1`), one without goes to `autoOffsetReset` (and
   * that is committed). Retried like commits; `OffsetRequestFailedError`
   * when it still fails.
   *
   * @example
   * ```ts ignore
   * const committed = await consumer.fetchOffsets();
   * for (const [id, { offset }] of committed) console.log(id, offset);
   * ```
   */
  fetchOffsets(): Promise<Map<number, FetchedOffset>> {
    return this.#fetchOffsets(this.#o.resetOffsetOnFetch, undefined);
  }

  async #fetchOffsets(
    apply: boolean,
    signal: AbortSignal | undefined,
  ): Promise<Map<number, FetchedOffset>> {
    const store = this.#store;
    if (!store) {
      throw new KafkaError(
        "fetchOffsets needs a consumer group: set the consumerGroup option",
      );
    }
    const ids = this.#owned.map((p) => p.id);
    if (ids.length === 0) return new Map();
    const stored: Map<number, StoredOffset> = await store.fetch(
      this.#topic.name,
      ids,
      signal,
    );
    const out = new Map<number, FetchedOffset>();
    for (const id of ids) {
      const s = stored.get(id) ?? { offset: -1, metadata: null };
      out.set(id, { offset: s.offset, metadata: s.metadata });
    }
    if (apply) {
      const missing: [number, OffsetType][] = [];
      for (const [id, s] of out) {
        if (s.offset < 0) missing.push([id, this.#o.autoOffsetReset]);
        else this.#byId.get(id)!.setNext(s.offset);
      }
      this.#fetcher.wake();
      if (missing.length > 0) await this.#reset(missing, true, signal);
    }
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
   * `OffsetRequestFailedError` when one still fails.
   *
   * @example
   * ```ts ignore
   * import { OffsetType } from "../../mod.ts";
   * await consumer.resetOffsets([[0, OffsetType.EARLIEST], [1, 41], [2, new Date("2026-01-01")]]);
   * ```
   */
  resetOffsets(
    partitionOffsets?: readonly [number, number | OffsetType | Date][],
  ): Promise<void> {
    try {
      const entries = partitionOffsets ??
        this.#owned.map((p) => [p.id, this.#o.autoOffsetReset]);
      return this.#reset(entries, true, undefined);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  async #reset(
    entries: readonly (readonly [number, number | OffsetType | Date])[],
    commit: boolean,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    if (!Array.isArray(entries)) {
      throw new KafkaError(
        "resetOffsets takes an array of [partitionId, offset | OffsetType | Date] pairs",
      );
    }
    const targets = new Map<OwnedPartition, number | Date>();
    for (const entry of entries) {
      if (!Array.isArray(entry) || entry.length !== 2) {
        throw new KafkaError(
          `resetOffsets takes [partitionId, offset | OffsetType | Date] pairs, got ${
            JSON.stringify(entry)
          }`,
        );
      }
      const p = this.#ownedPartition(entry[0], "resetOffsets");
      const v = entry[1];
      if (v instanceof Date) {
        const t = v.getTime();
        if (!Number.isSafeInteger(t) || t < 0) {
          throw new KafkaError(
            `resetOffsets: the date for partition ${p.id} is not a valid date after 1970: ${
              String(v)
            }`,
          );
        }
      } else if (!Number.isSafeInteger(v) || v < -2) {
        throw new KafkaError(
          `resetOffsets: the target for partition ${p.id} must be OffsetType.EARLIEST (-2), OffsetType.LATEST (-1), an offset (an integer of 0 or more: the last consumed offset) or a Date, got ${
            String(v)
          }`,
        );
      }
      targets.set(p, v);
    }
    if (targets.size === 0) return;
    const lookups = new Map<number, number>();
    for (const [p, v] of targets) {
      if (v instanceof Date) lookups.set(p.id, v.getTime());
      else if (v < 0) lookups.set(p.id, v);
    }
    for (const p of targets.keys()) p.resetting++;
    let positions: Map<number, number>;
    try {
      positions = lookups.size === 0
        ? new Map()
        : await lookupPositions(this.#topic, lookups, {
          isolationLevel: this.#o.isolationLevel,
          retries: this.#o.offsetsCommitMaxRetries,
          backoffMs: this.#o.offsetsChannelBackoffMs,
          signal,
        });
    } finally {
      for (const p of targets.keys()) p.resetting--;
    }
    for (const [p, v] of targets) {
      const next = typeof v === "number" && v >= 0
        ? v + 1
        : positions.get(p.id);
      if (next === undefined) {
        throw new OffsetRequestFailedError(
          `no offset found for ${this.#topic.name}/${p.id}`,
        );
      }
      p.setNext(next);
    }
    this.#fetcher.wake();
    if (commit && this.#store) {
      await this.#commit(
        [...targets.keys()].map((p) => [p.id, p.lastOffsetConsumed + 1]),
        signal,
      );
    }
  }

  /** OFFSET_OUT_OF_RANGE from a fetch: move the partitions to autoOffsetReset. */
  #outOfRange(ps: OwnedPartition[]): void {
    const todo = ps.filter((p) => p.resetting === 0);
    if (todo.length === 0) return;
    const epochs = new Map<OwnedPartition, number>();
    for (const p of todo) {
      epochs.set(p, p.epoch);
      p.resetting++;
    }
    const target = this.#o.autoOffsetReset;
    const task = lookupPositions(
      this.#topic,
      new Map(todo.map((p) => [p.id, target])),
      {
        isolationLevel: this.#o.isolationLevel,
        retries: this.#o.offsetsCommitMaxRetries,
        backoffMs: this.#o.offsetsChannelBackoffMs,
        signal: this.#abort.signal,
      },
    ).then((positions) => {
      for (const p of todo) {
        const o = positions.get(p.id);
        // A reset from the application meanwhile wins.
        if (o !== undefined && p.epoch === epochs.get(p)) p.setNext(o);
      }
    }, (e) => {
      if (this.#abort.signal.aborted) return;
      const retryAt = Date.now() + this.#o.fetchErrorBackoffMs;
      for (const p of todo) p.retryAt = retryAt;
      this.#fail(
        e instanceof Error
          ? e
          : new OffsetRequestFailedError(errorText(e), { cause: e }),
      );
    }).finally(() => {
      for (const p of todo) p.resetting--;
      this.#tasks.delete(task);
      this.#fetcher.wake();
    });
    this.#tasks.add(task);
  }

  #scheduleAutocommit(): void {
    if (!this.#o.autoCommitEnable || !this.#store) return;
    if (this.#autocommitTimer !== undefined) return;
    this.#autocommitTimer = setTimeout(() => {
      this.#autocommitTimer = undefined;
      if (this.#state !== RUNNING) return;
      const signal = this.#abort.signal;
      const task = this.#commit(undefined, signal).catch((e) => {
        if (!signal.aborted) {
          this.#fail(
            e instanceof Error ? e : new KafkaError(errorText(e), { cause: e }),
          );
        }
      }).finally(() => {
        this.#tasks.delete(task);
        if (this.#state === RUNNING) this.#scheduleAutocommit();
      });
      this.#tasks.add(task);
    }, this.#o.autoCommitIntervalMs);
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
