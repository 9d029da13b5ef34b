/**
 * The producer layer: {@linkcode Producer} (pykafka's producer for one
 * topic, with per-leader batching by count, bytes and linger, several
 * requests in flight, retries across leader moves, idempotent delivery,
 * transactions, every codec, delivery reports, a `WritableStream`),
 * {@linkcode ClientProducer} (the same for any topic), both on a produce
 * engine shared per client configuration, their {@linkcode ProducerOptions},
 * and the partitioners: {@linkcode RandomPartitioner},
 * {@linkcode HashingPartitioner} (pykafka's SHA-1 placement),
 * {@linkcode GroupHashingPartitioner} and {@linkcode Murmur2Partitioner}
 * (the Java client's placement, the default).
 *
 * @example
 * ```ts
 * import { HashingPartitioner, KafkaClient, Producer } from "@denokafka/kafka";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * await using client = await KafkaClient.connect({ hosts });
 * const name = `events-${crypto.randomUUID()}`;
 * await client.createTopics([{ name, numPartitions: 3 }]);
 * try {
 *   const topic = await client.topics.get(name);
 *   const producer = new Producer(topic, { partitioner: new HashingPartitioner(), lingerMs: 10 });
 *   try {
 *     await producer.produce(new TextEncoder().encode("v"), { partitionKey: new TextEncoder().encode("k") });
 *   } finally {
 *     await producer.stop();
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
export type { ClusterTopic, Partition } from "../cluster/mod.ts";
export {
  type ConsumerGroupMetadata,
  type DeliveryReport,
  type FlushOptions,
  type GetDeliveryReportOptions,
  type ProduceOptions,
  Producer,
  type ProducerRecord,
  type ProducerStats,
  type TransactionCallOptions,
  type TransactionOffset,
  type TransactionState,
} from "./producer.ts";
export { ClientProducer, type TopicRecord } from "./client_producer.ts";
export {
  PRODUCER_DEFAULTS,
  type ProducerOptions,
  type Serializer,
} from "./options.ts";
export {
  BasePartitioner,
  type HashFunction,
  type Partitioner,
  type PartitionerFunction,
  type PartitionLike,
} from "./partitioner.ts";
export { RandomPartitioner } from "./random_partitioner.ts";
export {
  HashingPartitioner,
  hashingPartitioner,
  sha1Hash,
} from "./hashing_partitioner.ts";
export { GroupHashingPartitioner } from "./group_hashing_partitioner.ts";
export { Murmur2Partitioner } from "./murmur2_partitioner.ts";
export { murmur2 } from "./murmur2.ts";
export { serializeUtf8 } from "./serializers.ts";
