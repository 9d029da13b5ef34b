/**
 * The client layer: {@linkcode KafkaClient} (pykafka's `KafkaClient`) and
 * the user-facing {@linkcode Topic}.
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
 *   console.log(topic.partitions.size, await topic.latestAvailableOffsets());
 * } finally {
 *   await client.deleteTopics([name]);
 * }
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
