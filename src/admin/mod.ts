/**
 * Admin operations: {@linkcode Admin} (create, delete and grow topics;
 * describe and alter configs; list, describe and delete consumer groups;
 * committed offsets and lag of a group) and {@linkcode AdminError}. The
 * client's admin methods (`client.createTopics(...)`, ...) use it.
 *
 * @example
 * ```ts ignore
 * import { Admin, ConfigResourceType } from "./mod.ts";
 * const admin = new Admin(client.cluster);
 * await admin.createTopics([{ name: "orders", numPartitions: 6, config: { "retention.ms": "3600000" } }]);
 * const [d] = await admin.describeConfigs([{ type: ConfigResourceType.TOPIC, name: "orders" }]);
 * await admin.deleteTopics(["orders"]);
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
