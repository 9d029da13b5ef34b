/**
 * denokafka: a Deno-first Apache Kafka client in TypeScript, with pykafka's
 * design (`KafkaClient`, `Topic`, `Partition`, producers and consumers) and
 * the record hot path (message sets, record batches, CRC-32/CRC-32C, gzip,
 * snappy, lz4 and zstd) in WebAssembly. One client speaks to brokers from
 * 0.8.2 to Kafka 4.x: versions are negotiated with ApiVersions (or taken from
 * fixed tables for brokers older than 0.10). It runs on Deno, Node (20 and
 * later) and Bun; on Deno it needs `--allow-net` for the brokers and
 * `--allow-read` only for TLS files given as paths.
 *
 * ```ts
 * import { KafkaClient, OffsetType } from "@denokafka/kafka";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * await using client = await KafkaClient.connect({ hosts });
 * const name = `greetings-${crypto.randomUUID()}`;
 * await client.createTopics([{ name, numPartitions: 2 }]);
 * try {
 *   const topic = await client.topics.get(name);
 *   for (const [id, p] of topic.partitions) {
 *     console.log(id, "leader", p.leader.id, "latest", await p.latestAvailableOffset());
 *   }
 *   console.log(await topic.fetchOffsetLimits(OffsetType.EARLIEST));
 * } finally {
 *   await client.deleteTopics([name]);
 * }
 * ```
 *
 * @module
 */

export { VERSION } from "./src/version.ts";
export * from "./src/errors/mod.ts";
export {
  compress,
  CompressionType,
  type CompressOptions,
  crc32,
  crc32c,
  type DecodedMessages,
  type DecodedRecord,
  type DecodedRecords,
  decodeMessages,
  type DecodeMessagesOptions,
  decodeRecords,
  type DecodeRecordsOptions,
  decompress,
  DecompressionBudget,
  type DecompressOptions,
  encodeRecords,
  type EncodeRecordsInput,
  Message,
  type MessageInit,
  type RecordBatchInfo,
  type RecordInput,
  TimestampType,
} from "./src/records/mod.ts";
export type {
  BrokerVersion,
  SaslConfig,
  SaslMechanism,
  SslConfig,
} from "./src/network/mod.ts";
export {
  Broker,
  type CallOptions,
  type ChildrenWatch,
  Cluster,
  type ClusterOptions,
  ClusterTopic,
  type CommitOptions,
  type CommittedOffset,
  type CommittedOffsets,
  type ConnectionSettings,
  type CoordinatorAnswer,
  type OffsetToCommit,
  OffsetType,
  Partition,
  type PartitionOffsetRequest,
  type PartitionOffsets,
  TopicDict,
  type TopicFactory,
  type TopicGetOptions,
  type UseWorkers,
  workerMode,
  ZookeeperClient,
  type ZookeeperClientId,
  type ZookeeperClientOptions,
  type ZookeeperCreateOptions,
  type ZookeeperNode,
  type ZookeeperReadOptions,
  type ZookeeperStat,
  type ZookeeperState,
} from "./src/cluster/mod.ts";
export {
  Admin,
  AdminError,
  type ConfigChange,
  type ConfigDescription,
  type ConfigEntry,
  type ConfigResource,
  ConfigResourceType,
  type CreatedTopic,
  type GroupDescription,
  type GroupMember,
  type GroupOffset,
  type GroupOffsetCommit,
  type ListedGroup,
  type NewPartitions,
  type NewTopic,
  type PartitionLag,
  type TopicOperationOptions,
} from "./src/admin/mod.ts";
export {
  BasePartitioner,
  ClientProducer,
  type ConsumerGroupMetadata,
  type DeliveryReport,
  type FlushOptions,
  type GetDeliveryReportOptions,
  GroupHashingPartitioner,
  type HashFunction,
  HashingPartitioner,
  hashingPartitioner,
  murmur2,
  Murmur2Partitioner,
  type Partitioner,
  type PartitionerFunction,
  type PartitionLike,
  type ProduceOptions,
  Producer,
  PRODUCER_DEFAULTS,
  type ProducerOptions,
  type ProducerRecord,
  type ProducerStats,
  RandomPartitioner,
  type Serializer,
  serializeUtf8,
  sha1Hash,
  type TopicRecord,
  type TransactionCallOptions,
  type TransactionOffset,
  type TransactionState,
} from "./src/producer/mod.ts";
export {
  type AssignmentInput,
  type Assignor,
  type AssignorSubscription,
  BALANCED_CONSUMER_DEFAULTS,
  BALANCED_CONSUMER_ZOOKEEPER_DEFAULTS,
  BalancedConsumer,
  type BalancedConsumerCommonOptions,
  type BalancedConsumerOptions,
  type ConsumeOptions,
  CooperativeStickyAssignor,
  CooperativeStickyProtocol,
  createBalancedConsumer,
  type Deserializer,
  type FetchedOffset,
  type GroupMembershipProtocol,
  type GroupProtocol,
  IsolationLevel,
  MANAGED_CONSUMER_DEFAULTS,
  ManagedBalancedConsumer,
  type ManagedBalancedConsumerOptions,
  type ManagedGroupOptions,
  type MembershipProtocolLike,
  type MembershipStats,
  MultiTopicManagedBalancedConsumer,
  type MultiTopicManagedBalancedConsumerOptions,
  type MultiTopicPostRebalanceCallback,
  type PostRebalanceCallback,
  type ProtocolPartition,
  RangeAssignor,
  RangeProtocol,
  type RebalanceListener,
  type RebalanceProtocol,
  type RebalanceStats,
  RoundRobinAssignor,
  RoundRobinProtocol,
  SIMPLE_CONSUMER_DEFAULTS,
  SimpleConsumer,
  type SimpleConsumerOptions,
  type SubscriptionContext,
  type TopicPartition,
  type TopicPartitions,
} from "./src/consumer/mod.ts";
export {
  KafkaClient,
  type KafkaClientOptions,
  Topic,
} from "./src/client/mod.ts";
