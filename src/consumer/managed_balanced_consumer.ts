/**
 * {@linkcode ManagedBalancedConsumer}: pykafka's `ManagedBalancedConsumer`
 * (a consumer group of one topic coordinated by Kafka's group protocol, no
 * ZooKeeper), compatible with Java and librdkafka members of the same
 * group.
 *
 * @module
 */

import type { ClusterTopic, OffsetType, Partition } from "../cluster/mod.ts";
import type { Message } from "../records/mod.ts";
import type { CallOptions } from "../util/deadline.ts";
import type { ConsumeOptions } from "./_consumer_core.ts";
import type { FetchedOffset } from "./simple_consumer.ts";
import {
  type PostRebalanceCallback,
  rebalanceResetMap,
} from "./balanced_options.ts";
import {
  commitTargets,
  GroupConsumer,
  resetTargets,
} from "./_group_consumer.ts";
import {
  type GroupProtocol,
  type ManagedBalancedConsumerOptions,
  resolveManagedOptions,
} from "./managed_options.ts";
import type { TopicPartition } from "./fetch_engine.ts";
import type { MembershipStats } from "./_membership.ts";

/**
 * Consumes one topic as a member of a consumer group that Kafka
 * coordinates (pykafka's `ManagedBalancedConsumer`), from
 * `topic.getBalancedConsumer({ consumerGroup, managed: true, ... })`.
 *
 * - **Group protocol.** `groupProtocol: "classic"` (default): JoinGroup /
 *   SyncGroup / Heartbeat / LeaveGroup at the highest versions the
 *   coordinator serves; the leader member assigns with Java's assignors
 *   (`range` by default, `roundrobin`, `cooperative-sticky`, or your own
 *   `Assignor`), and subscriptions and assignments use the consumer
 *   protocol's standard bytes, so Java and librdkafka members share the
 *   group. `"consumer"` (KIP-848, Kafka 4.0+): ConsumerGroupHeartbeat, the
 *   broker assigns.
 * - **Heartbeats** run on their own timer and connection, however slowly
 *   the application consumes (a `consume()` blocked for an hour keeps the
 *   membership alive). A coordinator that stays unreachable past the
 *   session timeout is reported by `consume()` (the partitions are lost;
 *   the member rejoins when it can).
 * - **Rebalances** happen in the background: `consume()` never blocks one.
 *   Eager assignors (range, roundrobin) give up every partition before
 *   rejoining; `cooperative-sticky` and KIP-848 keep consuming the
 *   partitions that stay. Prefetched messages of partitions that stay are
 *   kept. Revoked partitions are committed first with `autoCommitEnable`;
 *   the `rebalanceListener` hears of every change; the
 *   `postRebalanceCallback(consumer, oldOffsets, newOffsets)` (pykafka's)
 *   may return offsets to reset to.
 * - **Failures**: UNKNOWN_MEMBER_ID (new member id), ILLEGAL_GENERATION,
 *   REBALANCE_IN_PROGRESS and MEMBER_ID_REQUIRED rejoin; a coordinator that
 *   moves or loads is found again; FENCED_INSTANCE_ID and the other fatal
 *   errors stop the consumer, and `consume()` throws that error. A commit
 *   that races a rebalance is retried after the rejoin for the partitions
 *   still assigned, and throws naming those that moved.
 * - **Offsets** follow pykafka: `heldOffsets` (partition id → last consumed
 *   offset), `commitOffsets()` stores "last consumed + 1" under the current
 *   generation, `resetOffsets()` as the SimpleConsumer's.
 *
 * Starts in the background unless `autoStart` is `false`; `consume()` waits
 * for the first assignment.
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
 * await using client = await KafkaClient.connect({ hosts });
 * const name = `orders-${crypto.randomUUID()}`;
 * await client.createTopics([{ name, numPartitions: 2 }]);
 * try {
 *   const topic = await client.topics.get(name);
 *   {
 *     await using producer = topic.getSyncProducer();
 *     await producer.produce(new TextEncoder().encode("order #1"), { partition: 0 });
 *   }
 *   await using consumer = topic.getBalancedConsumer({
 *     consumerGroup: `billing-${crypto.randomUUID()}`,
 *     managed: true,
 *     autoCommitEnable: true,
 *     consumerTimeoutMs: 10_000,
 *   });
 *   for await (const m of consumer) {
 *     console.log(m.partitionId, m.offset);
 *     break; // or run on: iteration ends after consumerTimeoutMs without a message
 *   }
 * } finally {
 *   await client.deleteTopics([name]);
 * }
 * ```
 */
export class ManagedBalancedConsumer<
  V = Uint8Array | null,
  K = Uint8Array | null,
> implements AsyncIterable<Message<V, K>>, AsyncDisposable {
  readonly #topic: ClusterTopic;
  readonly #g: GroupConsumer<V, K>;

  /**
   * Creates the consumer (use `topic.getBalancedConsumer({ ..., managed:
   * true })`). Checks every option: unknown option or wrong type →
   * `TypeError`, out of range → `RangeError`, naming the option. With
   * `autoStart` (default) it joins the group in the background.
   *
   * @param topic the topic to consume
   * @param options see {@linkcode ManagedBalancedConsumerOptions}
   */
  constructor(
    topic: ClusterTopic,
    options: ManagedBalancedConsumerOptions<V, K>,
  ) {
    this.#topic = topic;
    const { resolved } = resolveManagedOptions<V, K>(
      "ManagedBalancedConsumer",
      options,
    );
    const callback = resolved.postRebalanceCallback as
      | PostRebalanceCallback<ManagedBalancedConsumer<V, K>>
      | undefined;
    const name = topic.name;
    this.#g = new GroupConsumer<V, K>(topic.cluster, [topic], resolved, {
      name: "ManagedBalancedConsumer",
      postRebalance: callback === undefined ? undefined : async (old, now) => {
        const reset = rebalanceResetMap(
          await callback(
            this,
            old.get(name) ?? new Map(),
            now.get(name) ?? new Map(),
          ),
        );
        return reset === undefined ? undefined : new Map([[name, reset]]);
      },
    });
    if (resolved.autoStart) this.start().catch(() => {});
  }

  /** The topic consumed. */
  get topic(): ClusterTopic {
    return this.#topic;
  }

  /** The consumer group. */
  get consumerGroup(): string {
    return this.#g.o.consumerGroup;
  }

  /**
   * The member id the coordinator gave this member (pykafka's
   * `consumer_id`; `""` before joining), written into commits.
   */
  get consumerId(): string {
    return this.#g.membership?.memberId ?? "";
  }

  /**
   * The group generation (classic) or member epoch (KIP-848) this member
   * holds; -1 while it holds none (joining, or after losing its membership).
   */
  get generationId(): number {
    return this.#g.membership?.generationId ?? -1;
  }

  /** The static member id (`groupInstanceId` option), or `null`. */
  get groupInstanceId(): string | null {
    return this.#g.o.groupInstanceId;
  }

  /** `"classic"` or `"consumer"` (KIP-848). */
  get groupProtocol(): GroupProtocol {
    return this.#g.o.groupProtocol;
  }

  /**
   * The protocol the group chose (classic: the assignor's name, such as
   * `"range"`) or the server assignor asked for (KIP-848; `null`: the
   * broker's default).
   */
  get protocolName(): string | null {
    return this.#g.membership?.protocolName ?? null;
  }

  /** True when this member leads the group (classic: it assigns). */
  get isLeader(): boolean {
    return this.#g.membership?.isLeader ?? false;
  }

  /** Membership counters: rebalances, joins, heartbeats, rejoins by cause. */
  get membershipStats(): Readonly<MembershipStats> | undefined {
    return this.#g.membership?.stats;
  }

  /** The partitions assigned to this member now, by id (pykafka's `partitions`). */
  get partitions(): Map<number, Partition> {
    const out = new Map<number, Partition>();
    const cursors = [...this.#g.engine.cursors].sort((a, b) => a.id - b.id);
    for (const c of cursors) out.set(c.id, c.partition);
    return out;
  }

  /** The assigned partitions as `{ topic, partition }`, sorted. */
  get assignment(): TopicPartition[] {
    return [...this.partitions.keys()].map((partition) => ({
      topic: this.#topic.name,
      partition,
    }));
  }

  /**
   * The offset of the last consumed message per assigned partition
   * (pykafka's `held_offsets`; -2 when nothing was consumed and the
   * partition is positioned at offset 0).
   */
  get heldOffsets(): Map<number, number> {
    return this.#g.heldOffsets().get(this.#topic.name) ?? new Map();
  }

  /** True between a successful `start()` and `stop()`. */
  get running(): boolean {
    return this.#g.core.running;
  }

  /**
   * Joins the group (pykafka's `start()`): finds the coordinator, joins,
   * takes the first assignment and positions it (committed offsets;
   * `autoOffsetReset` where none, or everything with
   * `resetOffsetOnStart`), then fetches. Resolves once the first
   * assignment is applied (an idle member too); rejects when joining fails
   * `rebalanceMaxRetries` times or fatally. Calling it while starting or
   * running returns the same promise; a stopped consumer can start again.
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
   *   await using consumer = topic.getBalancedConsumer({ consumerGroup: `billing-${crypto.randomUUID()}`, managed: true, autoStart: false });
   *   await consumer.start(); // resolves once the first assignment is applied
   *   console.assert(consumer.running);
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  start(): Promise<void> {
    return this.#g.core.start();
  }

  /**
   * Stops (pykafka's `stop()`): commits with `autoCommitEnable`, calls the
   * revoked listener for the assigned partitions, leaves the group (a
   * static member does not leave: its partitions wait for it for the
   * session timeout), ends blocked `consume()` calls
   * (`ConsumerStoppedException`) and closes the connections. A commit
   * failure is thrown after everything is stopped.
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
   *   const consumer = topic.getBalancedConsumer({ consumerGroup: `billing-${crypto.randomUUID()}`, managed: true });
   *   await consumer.start();
   *   await consumer.stop(); // leaves the group; its partitions go to the other members
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  stop(): Promise<void> {
    return this.#g.stop();
  }

  /** Same as {@linkcode ManagedBalancedConsumer.stop}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  /**
   * The next message (round-robin over the assigned partitions), as
   * `SimpleConsumer.consume()`: a buffered message at once; otherwise waits
   * up to `timeoutMs` (default `consumerTimeoutMs`) and returns `null`.
   * Throws the errors of background work once each (failed commits, a
   * throwing listener or post-rebalance callback, a lost membership), and
   * the fatal error after the group fenced this member.
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
   *     await producer.produce(new TextEncoder().encode("order #1"), { partition: 0 });
   *   }
   *   await using consumer = topic.getBalancedConsumer({ consumerGroup: `billing-${crypto.randomUUID()}`, managed: true });
   *   const m = await consumer.consume({ timeoutMs: 10_000 }); // null after 10 s without a message
   *   console.log(m?.partitionId, m?.offset);
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  consume(options?: ConsumeOptions): Promise<Message<V, K> | null> {
    return this.#g.core.consume(options);
  }

  /**
   * Iterates with `consume()` until it returns `null` or the consumer
   * stops.
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
   *     await producer.produce(new TextEncoder().encode("order #1"), { partition: 0 });
   *   }
   *   await using consumer = topic.getBalancedConsumer({ consumerGroup: `billing-${crypto.randomUUID()}`, managed: true, consumerTimeoutMs: 10_000 });
   *   for await (const m of consumer) {
   *     console.log(m.offset);
   *     break;
   *   }
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<Message<V, K>> {
    return this.#g.core.iterator();
  }

  /**
   * The messages as a `ReadableStream` (see `SimpleConsumer.readable`).
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
   *     await producer.produce(new TextEncoder().encode("order #1"), { partition: 0 });
   *   }
   *   await using consumer = topic.getBalancedConsumer({ consumerGroup: `billing-${crypto.randomUUID()}`, managed: true, consumerTimeoutMs: 10_000 });
   *   for await (const m of consumer.readable) {
   *     console.log(m.offset);
   *     break;
   *   }
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  get readable(): ReadableStream<Message<V, K>> {
    return this.#g.core.readable;
  }

  /**
   * Commits offsets to the group under this member's generation (pykafka's
   * `commit_offsets`): by default "last consumed + 1" of every assigned,
   * positioned partition; with `partitionOffsets`, the given
   * `[partitionId, offset]` pairs verbatim. During a rebalance the commit
   * waits for the rejoin (at most `rebalanceTimeoutMs`) and is retried for
   * the partitions still assigned; it throws naming the partitions that
   * moved to another member meanwhile.
   *
   * Bounded like the `SimpleConsumer`'s (`options.timeoutMs`, default the
   * client's `retryTimeoutMs`; `options.signal` rejects with its reason).
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
   *     await producer.produce(new TextEncoder().encode("order #1"), { partition: 0 });
   *   }
   *   await using consumer = topic.getBalancedConsumer({ consumerGroup: `billing-${crypto.randomUUID()}`, managed: true });
   *   const m = await consumer.consume({ timeoutMs: 10_000 });
   *   console.assert(m?.offset === 0);
   *   await consumer.commitOffsets(); // partition 0 at 1: the next message to read
   *   await consumer.commitOffsets([[1, 0]]);
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
      const t = this.#topic.name;
      const cluster = this.#topic.cluster;
      return cluster.bounded(
        `ManagedBalancedConsumer.commitOffsets`,
        options,
        (signal) =>
          this.#g.offsets.commit(
            partitionOffsets === undefined ? undefined : commitTargets(
              this.#g as GroupConsumer<unknown, unknown>,
              Array.isArray(partitionOffsets)
                ? partitionOffsets.map((e) =>
                  Array.isArray(e) && e.length === 2 ? [t, e[0], e[1]] : e
                )
                : partitionOffsets,
              "[partitionId, offset] pairs",
            ),
            signal,
          ),
      );
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * The group's committed offsets of the assigned partitions; with
   * `resetOffsetOnFetch` (default) the consumer moves there (see
   * `SimpleConsumer.fetchOffsets`).
   *
   * Bounded like the `SimpleConsumer`'s (`options.timeoutMs`, default the
   * client's `retryTimeoutMs`; `options.signal` rejects with its reason).
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
   *   await using consumer = topic.getBalancedConsumer({ consumerGroup: `billing-${crypto.randomUUID()}`, managed: true });
   *   await consumer.start();
   *   for (const [id, { offset }] of await consumer.fetchOffsets()) console.log(id, offset);
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  async fetchOffsets(
    options: CallOptions = {},
  ): Promise<Map<number, FetchedOffset>> {
    const fetched = await this.#topic.cluster.bounded(
      `ManagedBalancedConsumer.fetchOffsets`,
      options,
      (signal) =>
        this.#g.offsets.fetch(
          this.#g.engine.cursors,
          this.#g.o.resetOffsetOnFetch,
          signal,
        ),
    );
    const out = new Map<number, FetchedOffset>();
    for (const [c, s] of fetched) out.set(c.id, s);
    return out;
  }

  /**
   * Moves assigned partitions (pykafka's `reset_offsets`); default: every
   * assigned partition to `autoOffsetReset`. Each `[partitionId, target]`:
   * `OffsetType.EARLIEST` / `LATEST`, a `Date`, or an offset `n` ≥ 0 that
   * becomes the last consumed one (the next message is `n + 1`). The new
   * positions are committed.
   *
   * Bounded like the `SimpleConsumer`'s (`options.timeoutMs`, default the
   * client's `retryTimeoutMs`; `options.signal` rejects with its reason).
   *
   * @example
   * ```ts
   * import { KafkaClient, OffsetType } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 2 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   await using consumer = topic.getBalancedConsumer({ consumerGroup: `billing-${crypto.randomUUID()}`, managed: true });
   *   await consumer.start();
   *   await consumer.resetOffsets([[0, OffsetType.EARLIEST], [1, OffsetType.LATEST]]);
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
      const t = this.#topic.name;
      const targets = resetTargets(
        this.#g as GroupConsumer<unknown, unknown>,
        partitionOffsets === undefined || !Array.isArray(partitionOffsets)
          ? partitionOffsets
          : partitionOffsets.map((e) =>
            Array.isArray(e) && e.length === 2 ? [t, e[0], e[1]] : e
          ),
        "[partitionId, offset | OffsetType | Date] pairs",
      );
      return this.#topic.cluster.bounded(
        `ManagedBalancedConsumer.resetOffsets`,
        options,
        (signal) => this.#g.offsets.reset(targets, true, signal),
      );
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** `ManagedBalancedConsumer(orders, group billing, member m-1, generation 3, partitions 0,2)`. */
  toString(): string {
    return `ManagedBalancedConsumer(${this.#topic.name}, group ${this.consumerGroup}, member ${
      this.consumerId || "-"
    }, generation ${this.generationId}, partitions ${
      [...this.partitions.keys()].join(",") || "none"
    })`;
  }
}
