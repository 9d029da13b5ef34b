/**
 * {@linkcode Topic}: the user-facing topic of a {@linkcode KafkaClient}.
 *
 * @module
 */

import { ClusterTopic } from "../cluster/mod.ts";
import {
  type BalancedConsumer,
  type BalancedConsumerOptions,
  ManagedBalancedConsumer,
  type ManagedBalancedConsumerOptions,
  SimpleConsumer,
  type SimpleConsumerOptions,
} from "../consumer/mod.ts";
import { Producer, type ProducerOptions } from "../producer/mod.ts";
import { zookeeperBalancedConsumer } from "./_zookeeper_balanced.ts";
// The factories of the producer and consumer layers live here
// (getProducer, getSyncProducer, getSimpleConsumer, getBalancedConsumer).

/**
 * A topic of the cluster (pykafka's `Topic`), from
 * `await client.topics.get(name)`: its `name`, `partitions` (id ->
 * `Partition` with leader, replicas and ISR), `topicId`, and offset
 * lookups over every partition (`earliestAvailableOffsets()`,
 * `latestAvailableOffsets()`, `fetchOffsetLimits(before, maxOffsets)`).
 *
 * Keep a reference to topics you use: `client.topics` holds them weakly,
 * as pykafka does.
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
 *   console.log(topic.name, [...topic.partitions.keys()]); // [0, 1, 2]
 *   console.log(await topic.fetchOffsetLimits(OffsetType.LATEST));
 * } finally {
 *   await client.deleteTopics([name]);
 * }
 * ```
 */
export class Topic extends ClusterTopic {
  /**
   * A `Producer` for this topic (pykafka's `get_producer`); see
   * `ProducerOptions` for every option and its default. It starts at once
   * unless `autoStart` is `false`; stop it with `await producer.stop()` (or
   * `await using`).
   *
   * @param options producer options (`compression`, `requiredAcks`,
   *   `lingerMs`, `deliveryReports`, `partitioner`, `serializer`, ...)
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   await using producer = topic.getProducer({ lingerMs: 10 });
   *   await producer.produce(new TextEncoder().encode("order #1"));
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  getProducer<V = Uint8Array | null, K = Uint8Array | null>(
    options?: ProducerOptions<V, K>,
  ): Producer<V, K> {
    return new Producer<V, K>(this, options);
  }

  /**
   * A `Producer` whose `produce()` resolves only after delivery, with the
   * offset set, and throws the delivery error (pykafka's
   * `get_sync_producer`, i.e. `getProducer({ ...options, sync: true })`).
   *
   * @param options producer options (`sync` is forced to `true`)
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   await using producer = topic.getSyncProducer();
   *   const msg = await producer.produce(new TextEncoder().encode("v"));
   *   console.log(msg.offset); // 0
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  getSyncProducer<V = Uint8Array | null, K = Uint8Array | null>(
    options?: ProducerOptions<V, K>,
  ): Producer<V, K> {
    // Options that are not an object go through as they are, for the
    // producer's own TypeError.
    const given: unknown = options;
    return new Producer<V, K>(
      this,
      given === undefined || given === null
        ? { sync: true }
        : typeof given === "object" && !Array.isArray(given)
        ? { ...options, sync: true }
        : options,
    );
  }

  /**
   * A `SimpleConsumer` of this topic (pykafka's `get_simple_consumer`);
   * see `SimpleConsumerOptions` for every option and its default. It
   * starts in the background unless `autoStart` is `false`.
   *
   * @param options consumer options (`consumerGroup`, `autoCommitEnable`,
   *   `autoOffsetReset`, `consumerTimeoutMs`, ...)
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   {
   *     await using producer = topic.getSyncProducer();
   *     await producer.produce(new TextEncoder().encode("order #1"));
   *   }
   *   await using consumer = topic.getSimpleConsumer({
   *     consumerGroup: `billing-${crypto.randomUUID()}`,
   *     consumerTimeoutMs: 10_000,
   *   });
   *   const m = await consumer.consume(); // null after 10 s without a message
   *   console.log(m?.offset, new TextDecoder().decode(m?.value ?? undefined));
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  getSimpleConsumer<V = Uint8Array | null, K = Uint8Array | null>(
    options?: SimpleConsumerOptions<V, K>,
  ): SimpleConsumer<V, K> {
    return new SimpleConsumer<V, K>(this, options);
  }

  /**
   * A balanced consumer of this topic (pykafka's `get_balanced_consumer`).
   * With `managed: true`: a `ManagedBalancedConsumer`, coordinated by
   * Kafka's group protocol (classic, or KIP-848 with `groupProtocol:
   * "consumer"`); see `ManagedBalancedConsumerOptions`. It joins the group
   * in the background unless `autoStart` is `false`.
   *
   * @param options the group, `managed: true`, and consumer options
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
   *   await using consumer = topic.getBalancedConsumer({ consumerGroup: `billing-${crypto.randomUUID()}`, managed: true, autoCommitEnable: true });
   *   const m = await consumer.consume({ timeoutMs: 10_000 });
   *   console.log(m?.partitionId, m?.offset);
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  getBalancedConsumer<V = Uint8Array | null, K = Uint8Array | null>(
    options: ManagedBalancedConsumerOptions<V, K> & { managed: true },
  ): ManagedBalancedConsumer<V, K>;
  /**
   * With `managed: false` (the default, as in pykafka) a
   * {@linkcode BalancedConsumer}, whose group is coordinated through
   * ZooKeeper in pykafka's layout (`zookeeperHosts` defaults to the
   * client's); see `BalancedConsumerOptions` for every option. It joins the
   * group in the background unless `autoStart` is `false`.
   *
   * @param options `consumerGroup` (required), `zookeeperHosts`,
   *   `autoCommitEnable`, `membershipProtocol`, ..., and `managed`
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
   *   await using consumer = topic.getBalancedConsumer({
   *     consumerGroup: `billing-${crypto.randomUUID()}`,
   *     zookeeperHosts,
   *   });
   *   const m = await consumer.consume({ timeoutMs: 10_000 });
   *   console.log(m?.offset); // 0
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  getBalancedConsumer<V = Uint8Array | null, K = Uint8Array | null>(
    options: BalancedConsumerOptions<V, K> & { managed?: false },
  ): BalancedConsumer<V, K>;
  getBalancedConsumer<V, K>(
    options:
      | (ManagedBalancedConsumerOptions<V, K> & { managed: true })
      | (BalancedConsumerOptions<V, K> & { managed?: false }),
  ): ManagedBalancedConsumer<V, K> | BalancedConsumer<V, K> {
    const given: unknown = options;
    if (
      typeof given === "object" && given !== null &&
      (given as { managed?: unknown }).managed === true
    ) {
      return new ManagedBalancedConsumer<V, K>(
        this,
        options as ManagedBalancedConsumerOptions<V, K>,
      );
    }
    return zookeeperBalancedConsumer<V, K>(this.cluster, [this], options);
  }
}
