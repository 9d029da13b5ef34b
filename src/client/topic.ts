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
 * ```ts ignore
 * import { KafkaClient, OffsetType } from "../../mod.ts";
 * await using client = await KafkaClient.connect({ hosts: "127.0.0.1:9092" });
 * const topic = await client.topics.get("orders");
 * console.log(topic.name, [...topic.partitions.keys()]);
 * console.log(await topic.fetchOffsetLimits(OffsetType.LATEST));
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
   * ```ts ignore
   * const topic = await client.topics.get("orders");
   * await using producer = topic.getProducer({ lingerMs: 10 });
   * await producer.produce(new TextEncoder().encode("order #1"));
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
   * ```ts ignore
   * await using producer = topic.getSyncProducer();
   * const msg = await producer.produce(new TextEncoder().encode("v"));
   * console.log(msg.offset);
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
   * ```ts ignore
   * const topic = await client.topics.get("orders");
   * await using consumer = topic.getSimpleConsumer({ consumerGroup: "billing" });
   * const m = await consumer.consume();
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
   * ```ts ignore
   * await using consumer = topic.getBalancedConsumer({
   *   consumerGroup: "billing",
   *   managed: true,
   *   autoCommitEnable: true,
   * });
   * const m = await consumer.consume();
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
   * ```ts ignore
   * const topic = await client.topics.get("orders");
   * await using consumer = topic.getBalancedConsumer({
   *   consumerGroup: "billing",
   *   zookeeperHosts: "127.0.0.1:2181",
   * });
   * const m = await consumer.consume();
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
