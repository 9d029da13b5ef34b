/**
 * {@linkcode Topic}: the user-facing topic of a {@linkcode KafkaClient}.
 *
 * @module
 */

import { ClusterTopic } from "../cluster/mod.ts";
import { SimpleConsumer, type SimpleConsumerOptions } from "../consumer/mod.ts";
// Producer and consumer factories (getProducer, getSyncProducer,
// getSimpleConsumer, getBalancedConsumer) are added here by the producer
// and consumer layers.

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
}
