/**
 * The consumers: {@linkcode SimpleConsumer} (pykafka's `SimpleConsumer`)
 * with its options, {@linkcode IsolationLevel}, and the pieces the balanced
 * consumers share (fetcher, offset store, partition state) in private files.
 *
 * @example
 * ```ts ignore
 * import { SimpleConsumer } from "./mod.ts";
 * const consumer = new SimpleConsumer(topic, { consumerGroup: "g", consumerTimeoutMs: 1000 });
 * for await (const m of consumer) console.log(m.offset);
 * await consumer.stop();
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
export {
  type GroupMembershipProtocol,
  type ProtocolPartition,
  RangeProtocol,
  RoundRobinProtocol,
} from "./membership_protocol.ts";
