/**
 * {@linkcode BalancedConsumer}: pykafka's ZooKeeper-coordinated
 * `BalancedConsumer`, in pykafka 2.8's ZooKeeper layout, so pykafka members
 * and denokafka members can share one group.
 *
 * @module
 */

import { KafkaError } from "../errors/mod.ts";
import type { CallOptions } from "../util/deadline.ts";
import {
  type Cluster,
  type ClusterTopic,
  type OffsetType,
  type Partition,
  ZookeeperClient,
  type ZookeeperState,
} from "../cluster/mod.ts";
import type { Message } from "../records/mod.ts";
import { hostname } from "../util/runtime.ts";
import type { Cursor } from "./_cursor.ts";
import { FetchEngine, type FetchEngineHooks } from "./fetch_engine.ts";
import { OffsetStore } from "./_offset_store.ts";
import {
  checkResetTarget,
  type CommitIdentity,
  type ResetTarget,
} from "./_consumer_offsets.ts";
import { ZookeeperOffsets } from "./_zk_offsets.ts";
import { type ConsumeOptions, ConsumerCore } from "./_consumer_core.ts";
import { rebalanceResetMap } from "./balanced_options.ts";
import {
  type BalancedConsumerOptions,
  type RebalanceStats,
  resolveBalancedConsumerOptions,
  type ResolvedBalancedConsumerOptions,
} from "./balanced_consumer_options.ts";
import { ZookeeperGroup } from "./_zk_group.ts";
import { Rebalancer } from "./_zk_rebalance.ts";

/**
 * A consumer that shares a topic's partitions with the other members of its
 * group, coordinated through ZooKeeper (pykafka's `BalancedConsumer`),
 * from `topic.getBalancedConsumer({ consumerGroup, zookeeperHosts })`.
 * Offsets are stored in Kafka (the group's OffsetCommit / OffsetFetch),
 * as pykafka does.
 *
 * **ZooKeeper layout** (pykafka 2.8's, so a group may mix pykafka members
 * and ours; not the Scala consumer's):
 * - `/consumers/<group>/ids/<consumer id>`: ephemeral, data = the topic's
 *   name; the consumer id is `<host name>:<uuid>` (the host name needs
 *   `--allow-sys=hostname`, else `denokafka`);
 * - `/consumers/<group>/owners/b'<topic>'/<leader id>-<partition id>`:
 *   ephemeral, data = the owner's consumer id (`b'<topic>'` is how
 *   pykafka on Python 3 writes the topic name into the path);
 * - the members split the partitions with `membershipProtocol`
 *   (`RangeProtocol` by default), in pykafka's order, so every member
 *   computes the same split.
 *
 * **Rebalances** run on `start()` and whenever brokers, topics or the
 * group's members change (ZooKeeper watches), and after a lost ZooKeeper
 * session. Each one reads the members and the owner nodes (ZooKeeper says
 * what this member holds), releases what it should not hold — committing
 * the consumed offsets first, whether or not `autoCommitEnable` — and
 * claims the rest: a partition whose previous owner has not released it
 * yet is taken as soon as it does (a watch on its node), or retried after
 * `rebalanceBackoffMs` × the attempt. Partitions kept across a rebalance
 * keep fetching with their prefetched messages. New partitions resume at
 * the group's committed offsets (`autoOffsetReset` without one; with
 * `resetOffsetOnStart`, the first rebalance resets them).
 * `postRebalanceCallback(consumer, oldHeld, newHeld)` runs after each
 * rebalance that changed the partitions; a map it returns resets offsets.
 *
 * **Failures**: when the ZooKeeper connection drops, delivery stops at
 * once and commits wait (ZooKeeper, not Kafka, says who owns a partition,
 * and the session may end, or be ended by another client, before the
 * connection returns), until a rebalance on the same session confirms
 * ownership. A lost session (its ephemeral nodes are gone, others may take
 * our partitions) releases everything uncommitted (the next owner resumes
 * at the last commit) and joins again with a new session; a commit that
 * waited then throws `RebalanceInProgressError` naming the partitions it
 * could not commit. A rebalance that fails is retried for as
 * long as the consumer runs (pykafka gave up after `rebalanceMaxRetries`
 * and left partitions unowned, #565); every `rebalanceMaxRetries` failures
 * in a row, the error is raised once by `consume()`. A member without
 * partitions waits without using CPU (#628).
 *
 * Consuming, iteration, `readable`, `heldOffsets`, `commitOffsets()` and
 * `resetOffsets()` work as on the `SimpleConsumer`, over the partitions
 * held now.
 *
 * @typeParam V the type of `message.value` (`Uint8Array | null` unless a
 *   `deserializer` says otherwise)
 * @typeParam K the type of `message.partitionKey`
 *
 * @example
 * ```ts
 * import { KafkaClient } from "@denokafka/kafka";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * const zookeeperHosts = Deno.env.get("KAFKA_ZOOKEEPER") ?? "127.0.0.1:2181"; // the cluster's, with its chroot
 * await using client = await KafkaClient.connect({ hosts });
 * const name = `orders-${crypto.randomUUID()}`;
 * await client.createTopics([{ name, numPartitions: 2 }]);
 * try {
 *   const topic = await client.topics.get(name);
 *   {
 *     await using producer = topic.getSyncProducer();
 *     for (let i = 0; i < 3; i++) await producer.produce(new TextEncoder().encode(`order #${i}`), { partition: 0 });
 *   }
 *   await using consumer = topic.getBalancedConsumer({
 *     consumerGroup: `billing-${crypto.randomUUID()}`,
 *     zookeeperHosts,
 *     autoCommitEnable: true,
 *     consumerTimeoutMs: 10_000, // iteration ends after 10 s without a message
 *   });
 *   for await (const m of consumer) {
 *     console.log(m.partitionId, m.offset);
 *     if (m.offset === 2) break;
 *   }
 * } finally {
 *   await client.deleteTopics([name]);
 * }
 * ```
 */
export class BalancedConsumer<V = Uint8Array | null, K = Uint8Array | null>
  implements AsyncIterable<Message<V, K>>, AsyncDisposable {
  readonly #topic: ClusterTopic;
  readonly #cluster: Cluster;
  readonly #o: ResolvedBalancedConsumerOptions<V, K>;
  readonly #engine: FetchEngine;
  readonly #offsets: ZookeeperOffsets;
  readonly #core: ConsumerCore<V, K>;
  readonly #identity: CommitIdentity;
  readonly #consumerId: string;
  #zk: ZookeeperClient | undefined;
  #group: ZookeeperGroup | undefined;
  #rebalancer: Rebalancer | undefined;
  #offState: (() => void) | undefined;
  readonly #stats: RebalanceStats = { steps: 0, failures: 0, changes: 0 };

  /**
   * Creates the consumer (use `topic.getBalancedConsumer(options)`). Checks
   * every option (`TypeError` / `RangeError` naming the option); with
   * `autoStart` (default) joins the group in the background, and
   * `consume()` waits for that.
   *
   * @param topic the topic to consume
   * @param options see {@linkcode BalancedConsumerOptions}
   */
  constructor(topic: ClusterTopic, options: BalancedConsumerOptions<V, K>) {
    this.#topic = topic;
    this.#cluster = topic.cluster;
    const o = resolveBalancedConsumerOptions<V, K>(topic, options);
    this.#o = o;
    this.#consumerId = `${hostname() || "denokafka"}:${crypto.randomUUID()}`;
    this.#identity = { consumerId: this.#consumerId, generationId: -1 };
    const hooks: FetchEngineHooks = {};
    this.#engine = new FetchEngine(this.#cluster, o, hooks);
    const store = new OffsetStore(this.#cluster, o.consumerGroup, {
      retries: o.offsetsCommitMaxRetries,
      backoffMs: o.offsetsChannelBackoffMs,
    });
    this.#offsets = new ZookeeperOffsets(
      this.#engine,
      store,
      o,
      this.#identity,
    );
    const core = new ConsumerCore(
      this.#cluster,
      this.#engine,
      this.#offsets,
      o,
      {
        name: "BalancedConsumer",
        onStart: (signal) => this.#join(signal),
        onStop: () => this.#leave(),
      },
    );
    this.#core = core;
    hooks.onData = () => core.dataArrived();
    hooks.onError = (e) => core.fail(e);
    if (o.autoStart) this.start().catch(() => {});
  }

  /** Joins the group: ZooKeeper session, our id node, watches, first rebalance. */
  async #join(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted(); // stopped before it began: nothing to undo
    const zk = this.#o.zookeeper ??
      new ZookeeperClient(this.#o.zookeeperHosts, {
        sessionTimeoutMs: this.#o.zookeeperConnectionTimeoutMs,
      });
    this.#zk = zk;
    const group = new ZookeeperGroup(
      zk,
      this.#o.consumerGroup,
      this.#topic.name,
      this.#consumerId,
    );
    this.#group = group;
    const rebalancer = new Rebalancer(
      group,
      this.#engine,
      this.#offsets,
      this.#topic,
      this.#o,
      {
        signal,
        track: (t) => this.#core.track(t),
        fail: (e) => this.#core.fail(e),
        changed: (before, after, s) => this.#afterRebalance(before, after, s),
      },
    );
    this.#rebalancer = rebalancer;
    this.#offsets.gate = rebalancer;
    try {
      await zk.start(signal);
      this.#offState = zk.onStateChange((s) => this.#zkState(s));
      await group.setup(signal);
      await group.register(signal);
      await group.watch(() => rebalancer.request());
      await rebalancer.first();
    } catch (e) {
      await this.#leave().catch(() => {});
      throw e;
    }
  }

  #zkState(state: ZookeeperState): void {
    const zk = this.#zk;
    const r = this.#rebalancer;
    if (!zk || !r) return;
    if (state === "suspended") {
      // The session may end before the connection comes back (or already
      // has: another client can end it), and others then take our
      // partitions: stop delivering and committing until a step confirms.
      r.suspend();
    } else if (state === "lost") {
      r.lost();
    } else if (state === "connected") {
      // Reconnected, or a new session: check what we hold.
      r.request();
    }
  }

  /** Leaves the group: our nodes go, an owned ZooKeeper client is closed. */
  async #leave(): Promise<void> {
    this.#offsets.gate = undefined;
    this.#offState?.();
    this.#offState = undefined;
    const zk = this.#zk;
    const group = this.#group;
    const r = this.#rebalancer;
    if (r) {
      r.close();
      this.#stats.steps += r.stats.steps;
      this.#stats.failures += r.stats.failures;
      this.#stats.changes += r.stats.changes;
    }
    this.#zk = undefined;
    this.#group = undefined;
    this.#rebalancer = undefined;
    group?.unwatch();
    // A member that left holds nothing (fetching has stopped; the final
    // autocommit, if any, has run).
    await this.#engine.revoke(this.#engine.cursors);
    if (!zk) return;
    if (zk === this.#o.zookeeper) {
      // Not ours to close: delete our nodes (owners first, so that no
      // member sees us gone while our partitions still look owned).
      if (group && zk.state !== "closed") {
        const signal = AbortSignal.timeout(zk.sessionTimeoutMs);
        try {
          const session = zk.clientId?.sessionId ?? null;
          const owners = await group.owners(signal);
          await Promise.all(
            [...owners.values()].flat().filter((n) =>
              n.owner === this.#consumerId && n.session === session
            ).map((n) => group.release(n, signal)),
          );
        } finally {
          await group.unregister(signal);
        }
      }
    } else {
      // Closing our session deletes our nodes at once.
      await zk.close();
    }
  }

  /** Runs the post-rebalance callback and applies the offsets it returns. */
  async #afterRebalance(
    before: Map<number, number>,
    after: Map<number, number>,
    signal: AbortSignal,
  ): Promise<void> {
    const cb = this.#o.postRebalanceCallback;
    if (!cb) return;
    let targets: Map<Cursor, ResetTarget>;
    try {
      const map = rebalanceResetMap(await cb(this, before, after));
      if (!map || map.size === 0) return;
      targets = new Map();
      for (const [id, offset] of map) {
        const c = this.#cursor(id, "postRebalanceCallback");
        targets.set(c, checkResetTarget(c, offset));
      }
    } catch (e) {
      this.#core.fail(
        e instanceof Error ? e : new KafkaError(String(e), { cause: e }),
      );
      return;
    }
    // Part of the rebalance step: its commit does not wait for the step.
    await this.#offsets.reset(targets, true, signal, true);
  }

  /** The topic consumed. */
  get topic(): ClusterTopic {
    return this.#topic;
  }

  /** The consumer group. */
  get consumerGroup(): string {
    return this.#o.consumerGroup;
  }

  /** This member's id in the group (`<host name>:<uuid>`, pykafka's form). */
  get consumerId(): string {
    return this.#consumerId;
  }

  /**
   * The ZooKeeper client in use while running (the `zookeeper` option, or
   * the one the consumer made), `undefined` when stopped.
   */
  get zookeeper(): ZookeeperClient | undefined {
    return this.#zk;
  }

  /** The ZooKeeper connection string of the group. */
  get zookeeperHosts(): string {
    return this.#o.zookeeperHosts;
  }

  /** The partitions this member holds now, by id (pykafka's `partitions`). */
  get partitions(): Map<number, Partition> {
    const out = new Map<number, Partition>();
    for (const c of [...this.#engine.cursors].sort((a, b) => a.id - b.id)) {
      out.set(c.id, c.partition);
    }
    return out;
  }

  /**
   * The offset of the last consumed message of each partition held now
   * (pykafka's `held_offsets`; -2 when nothing was consumed and the
   * partition is positioned at offset 0).
   */
  get heldOffsets(): Map<number, number> {
    const out = new Map<number, number>();
    for (const c of [...this.#engine.cursors].sort((a, b) => a.id - b.id)) {
      out.set(c.id, c.heldOffset);
    }
    return out;
  }

  /** Rebalance steps run, failed, and those that changed the partitions, since creation. */
  get rebalanceStats(): Readonly<RebalanceStats> {
    const r = this.#rebalancer?.stats;
    return {
      steps: this.#stats.steps + (r?.steps ?? 0),
      failures: this.#stats.failures + (r?.failures ?? 0),
      changes: this.#stats.changes + (r?.changes ?? 0),
    };
  }

  /** True between a successful `start()` and `stop()`. */
  get running(): boolean {
    return this.#core.running;
  }

  /**
   * Joins the group (pykafka's `start()`): connects to ZooKeeper (unless
   * `zookeeper` was given), registers this member, sets the watches and
   * runs the first rebalance; then fetching (and autocommitting) begins.
   * Resolves when the first rebalance ran (partitions still held by others
   * are claimed in the background); an error fails the start and leaves
   * the group again (pykafka stopped the consumer and logged it). Calling
   * it while starting or running returns the same promise.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * const zookeeperHosts = Deno.env.get("KAFKA_ZOOKEEPER") ?? "127.0.0.1:2181"; // the cluster's, with its chroot
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 2 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   await using consumer = topic.getBalancedConsumer({ consumerGroup: `billing-${crypto.randomUUID()}`, zookeeperHosts, autoStart: false });
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
   * Leaves the group (pykafka's `stop()`): stops fetching, commits with
   * `autoCommitEnable`, ends blocked `consume()` calls, then removes this
   * member's nodes (closing the ZooKeeper session it made; with a given
   * `zookeeper` client, deleting its owner nodes and id node from it). The
   * other members then take its partitions.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * const zookeeperHosts = Deno.env.get("KAFKA_ZOOKEEPER") ?? "127.0.0.1:2181"; // the cluster's, with its chroot
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 2 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   const consumer = topic.getBalancedConsumer({ consumerGroup: `billing-${crypto.randomUUID()}`, zookeeperHosts });
   *   await consumer.start(); // the start autoStart began: joined
   *   await consumer.stop();
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  stop(): Promise<void> {
    return this.#core.stop();
  }

  /** Same as {@linkcode BalancedConsumer.stop}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  /**
   * The next message of the partitions held now (pykafka's `consume()`);
   * see `SimpleConsumer.consume`. A member without partitions waits
   * (`consumerTimeoutMs`, or the `timeoutMs` given) and returns `null`.
   * Throws `ConsumerStoppedException` after `stop()`, and, once each, the
   * errors of background work (a failed start, rebalances that keep
   * failing, commits before a release that failed, a throwing
   * `postRebalanceCallback`).
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * const zookeeperHosts = Deno.env.get("KAFKA_ZOOKEEPER") ?? "127.0.0.1:2181"; // the cluster's, with its chroot
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 2 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   {
   *     await using producer = topic.getSyncProducer();
   *     for (let i = 0; i < 1; i++) await producer.produce(new TextEncoder().encode(`order #${i}`), { partition: 0 });
   *   }
   *   await using consumer = topic.getBalancedConsumer({ consumerGroup: `billing-${crypto.randomUUID()}`, zookeeperHosts });
   *   const m = await consumer.consume({ timeoutMs: 10_000 });
   *   console.log(m?.offset); // 0
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  consume(options?: ConsumeOptions): Promise<Message<V, K> | null> {
    return this.#core.consume(options);
  }

  /**
   * Iterates with `consume({ block: true })` until it returns `null` or the
   * consumer stops (see `SimpleConsumer[Symbol.asyncIterator]`).
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * const zookeeperHosts = Deno.env.get("KAFKA_ZOOKEEPER") ?? "127.0.0.1:2181"; // the cluster's, with its chroot
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 2 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   {
   *     await using producer = topic.getSyncProducer();
   *     for (let i = 0; i < 2; i++) await producer.produce(new TextEncoder().encode(`order #${i}`), { partition: 0 });
   *   }
   *   await using consumer = topic.getBalancedConsumer({ consumerGroup: `billing-${crypto.randomUUID()}`, zookeeperHosts, consumerTimeoutMs: 10_000 });
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
   * The messages as a `ReadableStream` (see `SimpleConsumer.readable`).
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * const zookeeperHosts = Deno.env.get("KAFKA_ZOOKEEPER") ?? "127.0.0.1:2181"; // the cluster's, with its chroot
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 2 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   {
   *     await using producer = topic.getSyncProducer();
   *     for (let i = 0; i < 2; i++) await producer.produce(new TextEncoder().encode(`order #${i}`), { partition: 0 });
   *   }
   *   await using consumer = topic.getBalancedConsumer({ consumerGroup: `billing-${crypto.randomUUID()}`, zookeeperHosts, consumerTimeoutMs: 10_000 });
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
    const c = typeof id === "number"
      ? this.#engine.cursor(this.#topic.name, id)
      : undefined;
    if (!c) {
      throw new KafkaError(
        `Unknown partition supplied to ${what}: ${
          String(id)
        } (this member holds ${
          this.#engine.cursors.map((x) => x.id).sort((a, b) => a - b)
            .join(", ") || "no partitions"
        } of ${this.#topic.name})`,
      );
    }
    return c;
  }

  /**
   * Commits offsets of the partitions held now (pykafka's
   * `commit_offsets`; see `SimpleConsumer.commitOffsets`): by default
   * "last consumed + 1" of each; with `partitionOffsets`, those
   * `[partitionId, offset]` pairs. A partition not held is an error.
   * While the ZooKeeper connection is down the commit waits for a
   * rebalance to confirm ownership; partitions released meanwhile are named
   * in the `RebalanceInProgressError` it throws (the rest are committed).
   * Bounded like the `SimpleConsumer`'s (`options.timeoutMs`, default
   * `retryTimeoutMs`; `options.signal` rejects with its reason).
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * const zookeeperHosts = Deno.env.get("KAFKA_ZOOKEEPER") ?? "127.0.0.1:2181"; // the cluster's, with its chroot
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 2 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   {
   *     await using producer = topic.getSyncProducer();
   *     for (let i = 0; i < 1; i++) await producer.produce(new TextEncoder().encode(`order #${i}`), { partition: 0 });
   *   }
   *   await using consumer = topic.getBalancedConsumer({ consumerGroup: `billing-${crypto.randomUUID()}`, zookeeperHosts });
   *   await consumer.consume({ timeoutMs: 10_000 });
   *   await consumer.commitOffsets();
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
      let targets: Map<Cursor, number> | undefined;
      if (partitionOffsets !== undefined) {
        if (!Array.isArray(partitionOffsets)) {
          throw new KafkaError(
            "commitOffsets takes an array of [partitionId, offset] pairs",
          );
        }
        targets = new Map();
        for (const entry of partitionOffsets) {
          if (!Array.isArray(entry) || entry.length !== 2) {
            throw new KafkaError(
              `commitOffsets takes [partitionId, offset] pairs, got ${
                JSON.stringify(entry)
              }`,
            );
          }
          const c = this.#cursor(entry[0], "commitOffsets");
          if (!Number.isSafeInteger(entry[1]) || entry[1] < -1) {
            throw new KafkaError(
              `commitOffsets: offset for partition ${c.id} must be an integer of -1 or more, got ${
                entry[1]
              }`,
            );
          }
          targets.set(c, entry[1]);
        }
      }
      return this.#topic.cluster.bounded(
        `BalancedConsumer.commitOffsets (${this.#topic.name})`,
        options,
        (signal) => this.#offsets.commit(targets, signal),
      );
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Moves partitions held now (pykafka's `reset_offsets`; see
   * `SimpleConsumer.resetOffsets`: `OffsetType.EARLIEST` / `LATEST`, a
   * `Date`, or `n` = the last consumed offset, so the next message is
   * `n + 1`); default: every held partition to `autoOffsetReset`. The new
   * positions are committed. Bounded like `commitOffsets`.
   *
   * @example
   * ```ts
   * import { KafkaClient, OffsetType } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * const zookeeperHosts = Deno.env.get("KAFKA_ZOOKEEPER") ?? "127.0.0.1:2181"; // the cluster's, with its chroot
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 2 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   await using consumer = topic.getBalancedConsumer({ consumerGroup: `billing-${crypto.randomUUID()}`, zookeeperHosts });
   *   await consumer.start(); // joined: a single member holds every partition
   *   await consumer.resetOffsets([[0, OffsetType.EARLIEST], [1, 41]]);
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
      return this.#topic.cluster.bounded(
        `BalancedConsumer.resetOffsets (${this.#topic.name})`,
        options,
        (signal) => this.#offsets.reset(targets, true, signal),
      );
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** `BalancedConsumer(orders, group billing, partitions 0,1)`. */
  toString(): string {
    return `BalancedConsumer(${this.#topic.name}, group ${this.#o.consumerGroup}, partitions ${
      [...this.partitions.keys()].join(",") || "none"
    })`;
  }
}

/**
 * Makes a {@linkcode BalancedConsumer} of `topic` (what
 * `topic.getBalancedConsumer({ managed: false, ... })` returns).
 *
 * @param topic the topic to consume
 * @param options see {@linkcode BalancedConsumerOptions}
 *
 * @example
 * ```ts
 * import { KafkaClient } from "@denokafka/kafka";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * const zookeeperHosts = Deno.env.get("KAFKA_ZOOKEEPER") ?? "127.0.0.1:2181"; // the cluster's, with its chroot
 * await using client = await KafkaClient.connect({ hosts });
 * const name = `orders-${crypto.randomUUID()}`;
 * await client.createTopics([{ name, numPartitions: 2 }]);
 * try {
 *   const topic = await client.topics.get(name);
 *   const consumer = createBalancedConsumer(topic, { consumerGroup: `billing-${crypto.randomUUID()}`, zookeeperHosts });
 *   await consumer.start(); // the start autoStart began: joined
 *   await consumer.stop();
 * } finally {
 *   await client.deleteTopics([name]);
 * }
 * ```
 */
export function createBalancedConsumer<
  V = Uint8Array | null,
  K = Uint8Array | null,
>(
  topic: ClusterTopic,
  options: BalancedConsumerOptions<V, K>,
): BalancedConsumer<V, K> {
  return new BalancedConsumer<V, K>(topic, options);
}
