/**
 * The consumers: {@linkcode SimpleConsumer} (pykafka's `SimpleConsumer`)
 * with its options, {@linkcode IsolationLevel}, {@linkcode BalancedConsumer}
 * (pykafka's ZooKeeper-coordinated `BalancedConsumer`); the pieces the balanced
 * consumers share are the fetch engine (`fetch_engine.ts`: run-time
 * assignment over cursors of any number of topics) and private files (the
 * consumer core, offsets, offset store).
 *
 * @example
 * ```ts
 * import { KafkaClient, SimpleConsumer } from "@denokafka/kafka";
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
 *   const consumer = new SimpleConsumer(topic, { consumerTimeoutMs: 1000 });
 *   try {
 *     for await (const m of consumer) console.log(m.offset); // ends after 1 s without a message
 *   } finally {
 *     await consumer.stop();
 *   }
 * } finally {
 *   await client.deleteTopics([name]);
 * }
 * ```
 *
 * @module
 */
// Types of lower layers that this layer's API mentions.
export type {
  CompressionType,
  Message,
  TimestampType,
} from "../records/mod.ts";
export type {
  Broker,
  Cluster,
  ClusterTopic,
  MetadataResponsePartition,
  MetadataResponseTopic,
  OffsetType,
  Partition,
} from "../cluster/mod.ts";
export {
  type ConsumeOptions,
  type FetchedOffset,
  SimpleConsumer,
} from "./simple_consumer.ts";
export {
  type Deserializer,
  SIMPLE_CONSUMER_DEFAULTS,
  type SimpleConsumerOptions,
} from "./options.ts";
export { IsolationLevel } from "./isolation_level.ts";
export { ManagedBalancedConsumer } from "./managed_balanced_consumer.ts";
export { MultiTopicManagedBalancedConsumer } from "./multi_topic_managed_consumer.ts";
export {
  type GroupProtocol,
  MANAGED_CONSUMER_DEFAULTS,
  type ManagedBalancedConsumerOptions,
  type ManagedGroupOptions,
  type MultiTopicManagedBalancedConsumerOptions,
  type MultiTopicPostRebalanceCallback,
  type RebalanceListener,
} from "./managed_options.ts";
export type { MembershipStats } from "./_membership.ts";
export type { TopicPartition } from "./fetch_engine.ts";
export {
  type AssignmentInput,
  type Assignor,
  type AssignorSubscription,
  type RebalanceProtocol,
  type SubscriptionContext,
  type TopicPartitions,
} from "./assignors/assignor.ts";
export type { MembershipProtocolLike } from "./assignors/from_protocol.ts";
export { RangeAssignor } from "./assignors/range.ts";
export { RoundRobinAssignor } from "./assignors/round_robin.ts";
export {
  CooperativeStickyAssignor,
  CooperativeStickyAssignor as CooperativeStickyProtocol,
} from "./assignors/cooperative_sticky.ts";
export {
  BalancedConsumer,
  createBalancedConsumer,
} from "./balanced_consumer.ts";
export {
  BALANCED_CONSUMER_ZOOKEEPER_DEFAULTS,
  type BalancedConsumerOptions,
  type RebalanceStats,
} from "./balanced_consumer_options.ts";
export {
  BALANCED_CONSUMER_DEFAULTS,
  type BalancedConsumerCommonOptions,
  type PostRebalanceCallback,
} from "./balanced_options.ts";
export {
  type GroupMembershipProtocol,
  type ProtocolPartition,
  RangeProtocol,
  RoundRobinProtocol,
} from "./membership_protocol.ts";
