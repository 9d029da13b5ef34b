/**
 * Admin operations: {@linkcode Admin} (create, delete and grow topics;
 * describe and alter configs; list, describe and delete consumer groups;
 * committed offsets and lag of a group) and {@linkcode AdminError}. The
 * client's admin methods (`client.createTopics(...)`, ...) use it.
 *
 * @example
 * ```ts
 * import { Admin, ConfigResourceType, KafkaClient } from "@denokafka/kafka";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * await using client = await KafkaClient.connect({ hosts });
 * const admin = new Admin(client.cluster); // a KafkaClient also has one: client.admin
 * const name = `orders-${crypto.randomUUID()}`;
 * await admin.createTopics([{ name, numPartitions: 6, config: { "retention.ms": "3600000" } }]);
 * try {
 *   const [d] = await admin.describeConfigs([{ type: ConfigResourceType.TOPIC, name }]);
 *   console.log(d.entries.get("retention.ms")?.value); // "3600000"
 * } finally {
 *   await admin.deleteTopics([name]);
 * }
 * ```
 *
 * @module
 */
export {
  Admin,
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
} from "./admin.ts";
export { AdminError } from "./admin_error.ts";
