/**
 * The client layer: {@linkcode KafkaClient} (pykafka's `KafkaClient`) and
 * the user-facing {@linkcode Topic}.
 *
 * @example
 * ```ts ignore
 * import { KafkaClient } from "./mod.ts";
 * await using client = await KafkaClient.connect({ hosts: "127.0.0.1:9092" });
 * const topic = await client.topics.get("orders");
 * console.log(topic.partitions.size, await topic.latestAvailableOffsets());
 * ```
 *
 * @module
 */
// Types of lower layers that this layer's API mentions.
export type {
  BackoffOptions,
  BrokerVersion,
  SaslConfig,
  SslConfig,
} from "../network/mod.ts";
export type {
  Broker,
  Cluster,
  ClusterTopic,
  TopicDict,
} from "../cluster/mod.ts";
export type {
  Admin,
  ConfigChange,
  ConfigDescription,
  ConfigResource,
  CreatedTopic,
  GroupDescription,
  GroupOffset,
  ListedGroup,
  NewPartitions,
  NewTopic,
  PartitionLag,
  TopicOperationOptions,
} from "../admin/mod.ts";
export { KafkaClient, type KafkaClientOptions } from "./client.ts";
export { Topic } from "./topic.ts";
