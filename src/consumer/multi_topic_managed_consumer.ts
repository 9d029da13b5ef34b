/**
 * {@linkcode MultiTopicManagedBalancedConsumer}: a managed balanced
 * consumer of several topics (`client.getBalancedConsumer({ topics,
 * consumerGroup, managed: true })`), with offsets keyed by topic.
 *
 * @module
 */

import type { Cluster, OffsetType, Partition } from "../cluster/mod.ts";
import type { CallOptions } from "../util/deadline.ts";
import type { Message } from "../records/mod.ts";
import { rules } from "../util/options.ts";
import type { ConsumeOptions } from "./_consumer_core.ts";
import type { FetchedOffset } from "./simple_consumer.ts";
import {
  commitTargets,
  GroupConsumer,
  resetTargets,
  type TopicOffsets,
} from "./_group_consumer.ts";
import {
  type GroupProtocol,
  type MultiTopicManagedBalancedConsumerOptions,
  type MultiTopicPostRebalanceCallback,
  resolveManagedOptions,
} from "./managed_options.ts";
import type { TopicPartition } from "./fetch_engine.ts";
import type { MembershipStats } from "./_membership.ts";

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * A post-rebalance callback's result as topic → partition → offset (a
 * `Map` of `Map`s, or an object `{ topic: { partitionId: offset } }`).
 */
function topicResets(result: unknown): TopicOffsets | undefined {
  if (result === undefined || result === null) return undefined;
  const out: TopicOffsets = new Map();
  const entries = result instanceof Map
    ? [...result]
    : typeof result === "object"
    ? Object.entries(result)
    : undefined;
  if (entries === undefined) {
    throw new TypeError(
      "postRebalanceCallback must return a Map of topic to Map of partition id to offset, an object { topic: { partitionId: offset } }, or nothing",
    );
  }
  for (const [topic, m] of entries) {
    const inner = m instanceof Map
      ? [...m]
      : typeof m === "object" && m !== null
      ? Object.entries(m)
      : undefined;
    if (typeof topic !== "string" || inner === undefined) {
      throw new TypeError(
        `postRebalanceCallback's result for ${
          String(topic)
        } must map partition ids to offsets`,
      );
    }
    out.set(topic, new Map(inner.map(([k, v]) => [Number(k), v as number])));
  }
  return out;
}

/**
 * Consumes several topics as one member of a Kafka-coordinated consumer
 * group, from `client.getBalancedConsumer({ topics, consumerGroup,
 * managed: true, ... })`. Everything works as in
 * {@linkcode ManagedBalancedConsumer} (the same options, group protocols,
 * assignors, listeners and failure handling); only the shapes that name
 * partitions carry the topic:
 *
 * - `heldOffsets` and `partitions`: topic name → partition id → value
 *   (every subscribed topic present, possibly empty);
 * - `commitOffsets([[topic, partitionId, offset], ...])`,
 *   `resetOffsets([[topic, partitionId, target], ...])`;
 * - `fetchOffsets()`: topic name → partition id → committed offset;
 * - `postRebalanceCallback(consumer, oldOffsets, newOffsets)`: offsets as
 *   topic name → partition id → held offset; it may return the same shape
 *   (a `Map` of `Map`s or `{ topic: { partitionId: offset } }`) to reset.
 *
 * Each message names its topic (`message.topic`).
 *
 * @typeParam V the type of `message.value`
 * @typeParam K the type of `message.partitionKey`
 *
 * @example
 * ```ts
 * import { KafkaClient } from "@denokafka/kafka";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * await using client = await KafkaClient.connect({ hosts });
 * const [orders, refunds] = [`orders-${crypto.randomUUID()}`, `refunds-${crypto.randomUUID()}`];
 * await client.createTopics([{ name: orders, numPartitions: 2 }, { name: refunds, numPartitions: 2 }]);
 * try {
 *   {
 *     await using producer = client.getSyncProducer();
 *     await producer.produce(orders, new TextEncoder().encode("order #1"), { partition: 0 });
 *   }
 *   await using consumer = client.getBalancedConsumer({
 *     topics: [orders, refunds],
 *     consumerGroup: `billing-${crypto.randomUUID()}`,
 *     managed: true,
 *     consumerTimeoutMs: 10_000,
 *   });
 *   for await (const m of consumer) {
 *     console.log(m.topic, m.partitionId, m.offset);
 *     break; // or run on: iteration ends after consumerTimeoutMs without a message
 *   }
 *   console.log(consumer.heldOffsets.get(orders));
 * } finally {
 *   await client.deleteTopics([orders, refunds]);
 * }
 * ```
 */
export class MultiTopicManagedBalancedConsumer<
  V = Uint8Array | null,
  K = Uint8Array | null,
> implements AsyncIterable<Message<V, K>>, AsyncDisposable {
  readonly #g: GroupConsumer<V, K>;

  /**
   * Creates the consumer (use `client.getBalancedConsumer({ topics, ...,
   * managed: true })`). Checks every option (`topics` must be a non-empty
   * array of topic names); the topics are looked up (and created when the
   * client allows) on `start()`.
   *
   * @param cluster the client's cluster (`client.cluster`)
   * @param options see {@linkcode MultiTopicManagedBalancedConsumerOptions}
   */
  constructor(
    cluster: Cluster,
    options: MultiTopicManagedBalancedConsumerOptions<V, K>,
  ) {
    const { resolved, extra } = resolveManagedOptions<V, K>(
      "MultiTopicManagedBalancedConsumer",
      options,
      {
        topics: rules.required(
          rules.array(
            rules.check<string>(
              "a topic name (1-249 characters of [a-zA-Z0-9._-])",
              (v) => typeof v === "string" && TOPIC_NAME.test(v),
            ),
            "a non-empty array of topic names",
            1,
          ),
          "a non-empty array of topic names",
        ),
      },
    );
    const callback = resolved.postRebalanceCallback as
      | MultiTopicPostRebalanceCallback<MultiTopicManagedBalancedConsumer<V, K>>
      | undefined;
    this.#g = new GroupConsumer<V, K>(
      cluster,
      extra.topics as string[],
      resolved,
      {
        name: "MultiTopicManagedBalancedConsumer",
        postRebalance: callback === undefined
          ? undefined
          : async (old, now) => topicResets(await callback(this, old, now)),
      },
    );
    if (resolved.autoStart) this.start().catch(() => {});
  }

  /** The subscribed topic names. */
  get topics(): string[] {
    return this.#g.subscription;
  }

  /** The consumer group. */
  get consumerGroup(): string {
    return this.#g.o.consumerGroup;
  }

  /** The member id (`""` before joining); see `ManagedBalancedConsumer.consumerId`. */
  get consumerId(): string {
    return this.#g.membership?.memberId ?? "";
  }

  /** The generation (classic) or member epoch (KIP-848); -1 while none is held. */
  get generationId(): number {
    return this.#g.membership?.generationId ?? -1;
  }

  /** The static member id, or `null`. */
  get groupInstanceId(): string | null {
    return this.#g.o.groupInstanceId;
  }

  /** `"classic"` or `"consumer"`. */
  get groupProtocol(): GroupProtocol {
    return this.#g.o.groupProtocol;
  }

  /** The assignor the group chose (classic) or the server assignor asked for (KIP-848). */
  get protocolName(): string | null {
    return this.#g.membership?.protocolName ?? null;
  }

  /** True when this member leads the group (classic). */
  get isLeader(): boolean {
    return this.#g.membership?.isLeader ?? false;
  }

  /** Membership counters. */
  get membershipStats(): Readonly<MembershipStats> | undefined {
    return this.#g.membership?.stats;
  }

  /** The assigned partitions: topic name → partition id → `Partition`. */
  get partitions(): Map<string, Map<number, Partition>> {
    const out = new Map<string, Map<number, Partition>>();
    for (const t of this.#g.subscription) out.set(t, new Map());
    const cursors = [...this.#g.engine.cursors].sort((a, b) => a.id - b.id);
    for (const c of cursors) out.get(c.topic.name)?.set(c.id, c.partition);
    return out;
  }

  /** The assigned partitions as `{ topic, partition }`, sorted by topic and id. */
  get assignment(): TopicPartition[] {
    return this.#g.owned().sort((a, b) =>
      a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition
    );
  }

  /** Last consumed offset per assigned partition: topic name → partition id → offset (-2: none). */
  get heldOffsets(): Map<string, Map<number, number>> {
    return this.#g.heldOffsets();
  }

  /** True between a successful `start()` and `stop()`. */
  get running(): boolean {
    return this.#g.core.running;
  }

  /**
   * Looks the topics up, joins the group and applies the first assignment
   * (see `ManagedBalancedConsumer.start`).
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const [orders, refunds] = [`orders-${crypto.randomUUID()}`, `refunds-${crypto.randomUUID()}`];
   * await client.createTopics([{ name: orders, numPartitions: 2 }, { name: refunds, numPartitions: 2 }]);
   * try {
   *   await using consumer = client.getBalancedConsumer({
   *     topics: [orders, refunds],
   *     consumerGroup: `billing-${crypto.randomUUID()}`,
   *     managed: true,
   *     autoStart: false,
   *   });
   *   await consumer.start(); // resolves once the first assignment is applied
   * } finally {
   *   await client.deleteTopics([orders, refunds]);
   * }
   * ```
   */
  start(): Promise<void> {
    return this.#g.core.start();
  }

  /**
   * Commits (autocommit), calls the revoked listener, leaves the group and
   * closes (see `ManagedBalancedConsumer.stop`).
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const [orders, refunds] = [`orders-${crypto.randomUUID()}`, `refunds-${crypto.randomUUID()}`];
   * await client.createTopics([{ name: orders, numPartitions: 2 }, { name: refunds, numPartitions: 2 }]);
   * try {
   *   const consumer = client.getBalancedConsumer({
   *     topics: [orders, refunds],
   *     consumerGroup: `billing-${crypto.randomUUID()}`,
   *     managed: true,
   *   });
   *   await consumer.start();
   *   await consumer.stop();
   * } finally {
   *   await client.deleteTopics([orders, refunds]);
   * }
   * ```
   */
  stop(): Promise<void> {
    return this.#g.stop();
  }

  /** Same as {@linkcode MultiTopicManagedBalancedConsumer.stop}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  /**
   * The next message of any subscribed topic (round-robin over the
   * assigned partitions); see `ManagedBalancedConsumer.consume`.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const [orders, refunds] = [`orders-${crypto.randomUUID()}`, `refunds-${crypto.randomUUID()}`];
   * await client.createTopics([{ name: orders, numPartitions: 2 }, { name: refunds, numPartitions: 2 }]);
   * try {
   *   {
   *     await using producer = client.getSyncProducer();
   *     await producer.produce(orders, new TextEncoder().encode("order #1"), { partition: 0 });
   *   }
   *   await using consumer = client.getBalancedConsumer({
   *     topics: [orders, refunds],
   *     consumerGroup: `billing-${crypto.randomUUID()}`,
   *     managed: true,
   *   });
   *   const m = await consumer.consume({ timeoutMs: 10_000 }); // null after 10 s without a message
   *   if (m) console.log(m.topic, m.partitionId, m.offset);
   * } finally {
   *   await client.deleteTopics([orders, refunds]);
   * }
   * ```
   */
  consume(options?: ConsumeOptions): Promise<Message<V, K> | null> {
    return this.#g.core.consume(options);
  }

  /**
   * Iterates with `consume()` until it returns `null` or the consumer stops.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const [orders, refunds] = [`orders-${crypto.randomUUID()}`, `refunds-${crypto.randomUUID()}`];
   * await client.createTopics([{ name: orders, numPartitions: 2 }, { name: refunds, numPartitions: 2 }]);
   * try {
   *   {
   *     await using producer = client.getSyncProducer();
   *     await producer.produce(orders, new TextEncoder().encode("order #1"), { partition: 0 });
   *   }
   *   await using consumer = client.getBalancedConsumer({
   *     topics: [orders, refunds],
   *     consumerGroup: `billing-${crypto.randomUUID()}`,
   *     managed: true,
   *     consumerTimeoutMs: 10_000,
   *   });
   *   for await (const m of consumer) {
   *     console.log(m.offset);
   *     break;
   *   }
   * } finally {
   *   await client.deleteTopics([orders, refunds]);
   * }
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<Message<V, K>> {
    return this.#g.core.iterator();
  }

  /**
   * The messages as a `ReadableStream`.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const [orders, refunds] = [`orders-${crypto.randomUUID()}`, `refunds-${crypto.randomUUID()}`];
   * await client.createTopics([{ name: orders, numPartitions: 2 }, { name: refunds, numPartitions: 2 }]);
   * try {
   *   {
   *     await using producer = client.getSyncProducer();
   *     await producer.produce(orders, new TextEncoder().encode("order #1"), { partition: 0 });
   *   }
   *   await using consumer = client.getBalancedConsumer({
   *     topics: [orders, refunds],
   *     consumerGroup: `billing-${crypto.randomUUID()}`,
   *     managed: true,
   *     consumerTimeoutMs: 10_000,
   *   });
   *   for await (const m of consumer.readable) {
   *     console.log(m.offset);
   *     break;
   *   }
   * } finally {
   *   await client.deleteTopics([orders, refunds]);
   * }
   * ```
   */
  get readable(): ReadableStream<Message<V, K>> {
    return this.#g.core.readable;
  }

  /**
   * Commits under this member's generation: by default "last consumed + 1"
   * of every assigned, positioned partition; or the given
   * `[topic, partitionId, offset]` triples verbatim. Rides out a rebalance
   * as `ManagedBalancedConsumer.commitOffsets` does.
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
   * const [orders, refunds] = [`orders-${crypto.randomUUID()}`, `refunds-${crypto.randomUUID()}`];
   * await client.createTopics([{ name: orders, numPartitions: 2 }, { name: refunds, numPartitions: 2 }]);
   * try {
   *   {
   *     await using producer = client.getSyncProducer();
   *     await producer.produce(orders, new TextEncoder().encode("order #1"), { partition: 0 });
   *   }
   *   await using consumer = client.getBalancedConsumer({
   *     topics: [orders, refunds],
   *     consumerGroup: `billing-${crypto.randomUUID()}`,
   *     managed: true,
   *   });
   *   await consumer.start();
   *   await consumer.commitOffsets([[orders, 0, 1], [refunds, 1, 0]]);
   * } finally {
   *   await client.deleteTopics([orders, refunds]);
   * }
   * ```
   */
  commitOffsets(
    offsets?: readonly [string, number, number][],
    options: CallOptions = {},
  ): Promise<void> {
    try {
      const cluster = this.#g.cluster;
      return cluster.bounded(
        `MultiTopicManagedBalancedConsumer.commitOffsets`,
        options,
        (signal) =>
          this.#g.offsets.commit(
            offsets === undefined ? undefined : commitTargets(
              this.#g as GroupConsumer<unknown, unknown>,
              offsets,
              "[topic, partitionId, offset] triples",
            ),
            signal,
          ),
      );
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * The group's committed offsets of the assigned partitions, per topic
   * (moving there with `resetOffsetOnFetch`).
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
   * const [orders, refunds] = [`orders-${crypto.randomUUID()}`, `refunds-${crypto.randomUUID()}`];
   * await client.createTopics([{ name: orders, numPartitions: 2 }, { name: refunds, numPartitions: 2 }]);
   * try {
   *   await using consumer = client.getBalancedConsumer({
   *     topics: [orders, refunds],
   *     consumerGroup: `billing-${crypto.randomUUID()}`,
   *     managed: true,
   *   });
   *   await consumer.start();
   *   const committed = await consumer.fetchOffsets();
   *   console.log(committed.get(orders)?.get(0)?.offset);
   * } finally {
   *   await client.deleteTopics([orders, refunds]);
   * }
   * ```
   */
  async fetchOffsets(
    options: CallOptions = {},
  ): Promise<Map<string, Map<number, FetchedOffset>>> {
    const fetched = await this.#g.cluster.bounded(
      `MultiTopicManagedBalancedConsumer.fetchOffsets`,
      options,
      (signal) =>
        this.#g.offsets.fetch(
          this.#g.engine.cursors,
          this.#g.o.resetOffsetOnFetch,
          signal,
        ),
    );
    const out = new Map<string, Map<number, FetchedOffset>>();
    for (const t of this.#g.subscription) out.set(t, new Map());
    for (const [c, s] of fetched) out.get(c.topic.name)?.set(c.id, s);
    return out;
  }

  /**
   * Moves assigned partitions: `[topic, partitionId, target]` triples
   * (targets as `ManagedBalancedConsumer.resetOffsets`); default: every
   * assigned partition to `autoOffsetReset`. The new positions are
   * committed.
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
   * const [orders, refunds] = [`orders-${crypto.randomUUID()}`, `refunds-${crypto.randomUUID()}`];
   * await client.createTopics([{ name: orders, numPartitions: 2 }, { name: refunds, numPartitions: 2 }]);
   * try {
   *   await using consumer = client.getBalancedConsumer({
   *     topics: [orders, refunds],
   *     consumerGroup: `billing-${crypto.randomUUID()}`,
   *     managed: true,
   *   });
   *   await consumer.start();
   *   await consumer.resetOffsets([[orders, 0, OffsetType.EARLIEST], [refunds, 1, OffsetType.LATEST]]);
   * } finally {
   *   await client.deleteTopics([orders, refunds]);
   * }
   * ```
   */
  resetOffsets(
    offsets?: readonly [string, number, number | OffsetType | Date][],
    options: CallOptions = {},
  ): Promise<void> {
    try {
      const targets = resetTargets(
        this.#g as GroupConsumer<unknown, unknown>,
        offsets,
        "[topic, partitionId, offset | OffsetType | Date] triples",
      );
      return this.#g.cluster.bounded(
        `MultiTopicManagedBalancedConsumer.resetOffsets`,
        options,
        (signal) => this.#g.offsets.reset(targets, true, signal),
      );
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** `MultiTopicManagedBalancedConsumer(orders,refunds, group billing, member m-1, generation 3, 4 partitions)`. */
  toString(): string {
    return `MultiTopicManagedBalancedConsumer(${
      this.topics.join(",")
    }, group ${this.consumerGroup}, member ${
      this.consumerId || "-"
    }, generation ${this.generationId}, ${this.#g.engine.cursors.length} partitions)`;
  }
}
