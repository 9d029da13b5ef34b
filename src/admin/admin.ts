/**
 * {@linkcode Admin}: topic, partition, config and consumer group
 * administration over a {@linkcode Cluster}.
 *
 * The operations live by concern: `_topic_operations.ts` (create, delete,
 * grow topics), `_config_operations.ts`, `_group_operations.ts` (list,
 * describe, delete groups) and `_group_offsets.ts` (committed offsets and
 * lag); `_routing.ts` routes and retries every request (controller,
 * coordinator, a given broker).
 *
 * @module
 */

import type { Cluster, ClusterTopic } from "../cluster/mod.ts";
import { AdminRouter } from "./_routing.ts";
import type { CallOptions } from "../util/deadline.ts";
import { type OptionRule, validateOptions } from "../util/options.ts";
import {
  ALTER_CONFIGS_RULES,
  DELETE_TOPICS_RULES,
  DESCRIBE_CONFIGS_RULES,
  LIST_GROUPS_RULES,
  SIGNAL_ONLY_RULES,
  TOPIC_OPERATION_RULES,
} from "./_options.ts";
import {
  type CreatedTopic,
  createPartitions,
  createTopics,
  deleteTopics,
  type NewPartitions,
  type NewTopic,
  type TopicOperationOptions,
} from "./_topic_operations.ts";
import {
  alterConfigs,
  type ConfigChange,
  type ConfigDescription,
  type ConfigResource,
  describeConfigs,
} from "./_config_operations.ts";
import {
  deleteGroups,
  describeGroups,
  type GroupDescription,
  type ListedGroup,
  listGroups,
} from "./_group_operations.ts";
import {
  commitConsumerGroupOffsets,
  consumerGroupLag,
  fetchConsumerGroupOffsets,
  type GroupOffset,
  type GroupOffsetCommit,
  type PartitionLag,
} from "./_group_offsets.ts";

export type {
  CreatedTopic,
  NewPartitions,
  NewTopic,
  TopicOperationOptions,
} from "./_topic_operations.ts";
export {
  type ConfigChange,
  type ConfigDescription,
  type ConfigEntry,
  type ConfigResource,
  ConfigResourceType,
} from "./_config_operations.ts";
export type {
  GroupDescription,
  GroupMember,
  ListedGroup,
} from "./_group_operations.ts";
export type {
  GroupOffset,
  GroupOffsetCommit,
  PartitionLag,
} from "./_group_offsets.ts";

/**
 * Admin operations over a cluster (the client's admin methods use one):
 * topics (`createTopics`, `deleteTopics`, `createPartitions`), configs
 * (`describeConfigs`, `alterConfigs`), consumer groups (`listGroups`,
 * `describeGroups`, `deleteGroups`) and committed offsets and lag
 * (`fetchConsumerGroupOffsets`, `commitConsumerGroupOffsets`,
 * `consumerGroupLag`).
 *
 * Topic operations go to the controller (retried after a metadata refresh
 * on NOT_CONTROLLER); group operations to the group's coordinator
 * (retried, with a new lookup, on NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE,
 * COORDINATOR_LOAD_IN_PROGRESS or a dropped connection). An operation that
 * fails for some items throws an {@linkcode AdminError} naming each one.
 * Options and the entries of `createTopics` / `createPartitions` are
 * checked before any request: an unknown option or a wrong type rejects
 * with a `TypeError`, a value out of range (or `replicaAssignment` with
 * `numPartitions`) with a `RangeError`, naming the method and the option
 * (`Admin.createTopics option topics[0].numPartitions ...`).
 *
 * Deadlines: every operation takes a `signal` (an aborted call rejects
 * with `signal.reason`) and settles within its bound, else rejects with
 * `RequestTimeoutError`: the call's `timeoutMs` (default the cluster's
 * `retryTimeoutMs`, 60000), or for the topic operations, whose
 * `timeoutMs` is the controller's, 2 × `timeoutMs` + `retryTimeoutMs`.
 *
 * @example
 * ```ts
 * import { Admin, KafkaClient } from "@denokafka/kafka";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * await using client = await KafkaClient.connect({ hosts });
 * const admin = new Admin(client.cluster); // a KafkaClient also has one: client.admin
 * const name = `orders-${crypto.randomUUID()}`;
 * await admin.createTopics([{ name, numPartitions: 6, config: { "retention.ms": "3600000" } }]);
 * await admin.createPartitions([{ topic: name, count: 8 }]);
 * await admin.deleteTopics([name]);
 * ```
 */
export class Admin {
  readonly #router: AdminRouter;
  readonly #cluster: Cluster<ClusterTopic>;

  /**
   * Creates the admin over a cluster (no I/O).
   *
   * @param cluster the cluster to administer
   */
  constructor(cluster: Cluster<ClusterTopic>) {
    this.#router = new AdminRouter(cluster);
    this.#cluster = cluster;
  }

  /**
   * Runs one operation within its deadline: the options are checked
   * first, then `fn` runs with the deadline's signal; the call settles
   * within `timeoutMs` (default `retryTimeoutMs`) plus `extraMs`, or with
   * `signal.reason`.
   */
  #bounded<O extends CallOptions, T>(
    name: string,
    rules: Record<string, OptionRule<unknown>>,
    options: O,
    fn: (options: O) => Promise<T>,
    timeoutMs: number = options.timeoutMs ?? this.#cluster.retryTimeoutMs,
  ): Promise<T> {
    try {
      validateOptions(`Admin.${name}`, options, rules);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#cluster.bounded(
      `Admin.${name}`,
      options,
      (signal) => fn({ ...options, signal }),
      timeoutMs,
    );
  }

  /**
   * The bound of a topic operation: its own `timeoutMs` (default 30000)
   * for the controller and again for the metadata wait, plus
   * `retryTimeoutMs` for routing and retries.
   */
  #topicBound(options: TopicOperationOptions): number {
    return 2 * (options.timeoutMs ?? 30_000) + this.#cluster.retryTimeoutMs;
  }

  /**
   * Creates topics (CreateTopics, on the controller). With
   * `waitForMetadata` (default) resolves once every partition of every new
   * topic has a leader. `AdminError` names the topics that failed (e.g.
   * with `TopicAlreadyExists`, `InvalidReplicationFactor`,
   * `InvalidConfig`).
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const admin = client.admin;
   * const name = `orders-${crypto.randomUUID()}`;
   * const [created] = await admin.createTopics([
   *   { name, numPartitions: 6, config: { "cleanup.policy": "compact" } },
   * ]);
   * console.log(created);
   * await admin.deleteTopics([name]);
   * ```
   */
  createTopics(
    topics: readonly NewTopic[],
    options: TopicOperationOptions = {},
  ): Promise<CreatedTopic[]> {
    return this.#bounded(
      "createTopics",
      TOPIC_OPERATION_RULES,
      options,
      (o) => createTopics(this.#router, topics, o),
      this.#topicBound(options),
    );
  }

  /**
   * Deletes topics (DeleteTopics, on the controller); with
   * `waitForMetadata` (default) resolves once no broker's metadata lists
   * them any more. `AdminError` names the topics that failed (e.g.
   * `UnknownTopicOrPartition`).
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.admin.createTopics([{ name }]);
   * await client.admin.deleteTopics([name]);
   * ```
   */
  deleteTopics(
    names: readonly string[],
    options: Omit<TopicOperationOptions, "validateOnly"> = {},
  ): Promise<void> {
    return this.#bounded(
      "deleteTopics",
      DELETE_TOPICS_RULES,
      options,
      (o) => deleteTopics(this.#router, names, o),
      this.#topicBound(options),
    );
  }

  /**
   * Raises the partition count of topics (CreatePartitions, Kafka 1.0+, on
   * the controller); with `waitForMetadata` (default) resolves once the
   * metadata shows the new partitions with leaders.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const admin = client.admin;
   * const name = `orders-${crypto.randomUUID()}`;
   * await admin.createTopics([{ name, numPartitions: 2 }]);
   * try {
   *   await admin.createPartitions([{ topic: name, count: 12 }]);
   * } finally {
   *   await admin.deleteTopics([name]);
   * }
   * ```
   */
  createPartitions(
    partitions: readonly NewPartitions[],
    options: TopicOperationOptions = {},
  ): Promise<void> {
    return this.#bounded(
      "createPartitions",
      TOPIC_OPERATION_RULES,
      options,
      (o) => createPartitions(this.#router, partitions, o),
      this.#topicBound(options),
    );
  }

  /**
   * Describes the configs of topics, brokers, ... (DescribeConfigs). Broker
   * resources are asked at that broker, the others at the controller.
   *
   * @example
   * ```ts
   * import { ConfigResourceType, KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const admin = client.admin;
   * const name = `orders-${crypto.randomUUID()}`;
   * await admin.createTopics([{ name }]);
   * try {
   *   const [d] = await admin.describeConfigs([{ type: ConfigResourceType.TOPIC, name }]);
   *   console.log(d.entries.get("retention.ms")?.value);
   * } finally {
   *   await admin.deleteTopics([name]);
   * }
   * ```
   */
  describeConfigs(
    resources: readonly ConfigResource[],
    options: {
      includeSynonyms?: boolean;
      includeDocumentation?: boolean;
      signal?: AbortSignal;
      timeoutMs?: number;
    } = {},
  ): Promise<ConfigDescription[]> {
    return this.#bounded(
      "describeConfigs",
      DESCRIBE_CONFIGS_RULES,
      options,
      (o) => describeConfigs(this.#router, resources, o),
    );
  }

  /**
   * Sets configs (AlterConfigs). Note that AlterConfigs **replaces** every
   * dynamic config of a resource: configs not named are reset to their
   * defaults. Describe first and pass the full set to keep others.
   *
   * @example
   * ```ts
   * import { ConfigResourceType, KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const admin = client.admin;
   * const name = `orders-${crypto.randomUUID()}`;
   * await admin.createTopics([{ name }]);
   * try {
   *   await admin.alterConfigs([
   *     { type: ConfigResourceType.TOPIC, name, configs: { "retention.ms": "86400000" } },
   *   ]);
   * } finally {
   *   await admin.deleteTopics([name]);
   * }
   * ```
   */
  alterConfigs(
    changes: readonly ConfigChange[],
    options: CallOptions & { validateOnly?: boolean } = {},
  ): Promise<void> {
    return this.#bounded(
      "alterConfigs",
      ALTER_CONFIGS_RULES,
      options,
      (o) => alterConfigs(this.#router, changes, o),
    );
  }

  /**
   * Lists the consumer groups of the cluster (ListGroups on every broker).
   * `states` filters by state (ListGroups v4+, Kafka 2.6+).
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const groups = await client.admin.listGroups();
   * console.log(groups.map((g) => g.groupId));
   * ```
   */
  listGroups(
    options: CallOptions & { states?: readonly string[] } = {},
  ): Promise<ListedGroup[]> {
    return this.#bounded(
      "listGroups",
      LIST_GROUPS_RULES,
      options,
      (o) => listGroups(this.#router, o),
    );
  }

  /**
   * Describes consumer groups (DescribeGroups at each group's coordinator),
   * in the order asked. A group that does not exist is reported with state
   * `"Dead"` and no members, on every broker version. For `"consumer"`
   * groups the members' subscriptions and assignments are decoded.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const [g] = await client.admin.describeGroups([`billing-${crypto.randomUUID()}`]);
   * console.log(g.state, g.members.map((m) => m.clientId)); // "Dead" [] (no such group)
   * ```
   */
  describeGroups(
    groupIds: readonly string[],
    options: CallOptions = {},
  ): Promise<GroupDescription[]> {
    return this.#bounded(
      "describeGroups",
      SIGNAL_ONLY_RULES,
      options,
      (o) => describeGroups(this.#router, groupIds, o),
    );
  }

  /**
   * Deletes consumer groups and their committed offsets (DeleteGroups,
   * Kafka 1.1+, at each group's coordinator). A group with active members
   * fails with `NonEmptyGroup`, an unknown one with `GroupIdNotFound`.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const admin = client.admin;
   * const name = `orders-${crypto.randomUUID()}`;
   * const group = `old-group-${crypto.randomUUID()}`;
   * await admin.createTopics([{ name }]);
   * try {
   *   await admin.commitConsumerGroupOffsets(group, [{ topic: name, partition: 0, offset: 0 }]);
   *   await admin.deleteGroups([group]);
   * } finally {
   *   await admin.deleteTopics([name]);
   * }
   * ```
   */
  deleteGroups(
    groupIds: readonly string[],
    options: CallOptions = {},
  ): Promise<void> {
    return this.#bounded(
      "deleteGroups",
      SIGNAL_ONLY_RULES,
      options,
      (o) => deleteGroups(this.#router, groupIds, o),
    );
  }

  /**
   * The committed offsets of a group (OffsetFetch at its coordinator), by
   * topic and partition: for the named topics' partitions, or (no
   * `topics`) for every partition the group has offsets for. Partitions
   * without a committed offset are left out.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const admin = client.admin;
   * const name = `orders-${crypto.randomUUID()}`;
   * const group = `billing-${crypto.randomUUID()}`;
   * await admin.createTopics([{ name }]);
   * try {
   *   await admin.commitConsumerGroupOffsets(group, [{ topic: name, partition: 0, offset: 7 }]);
   *   const offsets = await admin.fetchConsumerGroupOffsets(group, [name]);
   *   console.log(offsets.get(name)?.get(0)?.offset); // 7
   *   await admin.deleteGroups([group]);
   * } finally {
   *   await admin.deleteTopics([name]);
   * }
   * ```
   */
  fetchConsumerGroupOffsets(
    groupId: string,
    topics?: readonly string[],
    options: CallOptions = {},
  ): Promise<Map<string, Map<number, GroupOffset>>> {
    return this.#bounded(
      "fetchConsumerGroupOffsets",
      SIGNAL_ONLY_RULES,
      options,
      (o) => fetchConsumerGroupOffsets(this.#router, groupId, topics, o),
    );
  }

  /**
   * Stores committed offsets for a group (OffsetCommit at its coordinator)
   * without being a member: works for groups with no active members (what
   * pykafka's `kafka-tools reset_offsets` did). `offset` is the next record
   * to consume.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const admin = client.admin;
   * const name = `orders-${crypto.randomUUID()}`;
   * const group = `billing-${crypto.randomUUID()}`;
   * await admin.createTopics([{ name }]);
   * try {
   *   await admin.commitConsumerGroupOffsets(group, [
   *     { topic: name, partition: 0, offset: 1200 },
   *   ]);
   *   await admin.deleteGroups([group]);
   * } finally {
   *   await admin.deleteTopics([name]);
   * }
   * ```
   */
  commitConsumerGroupOffsets(
    groupId: string,
    offsets: readonly GroupOffsetCommit[],
    options: CallOptions = {},
  ): Promise<void> {
    return this.#bounded(
      "commitConsumerGroupOffsets",
      SIGNAL_ONLY_RULES,
      options,
      (o) => commitConsumerGroupOffsets(this.#router, groupId, offsets, o),
    );
  }

  /**
   * The lag of a group on every partition of a topic: latest offset,
   * committed offset and their difference (pykafka's
   * `kafka-tools print_consumer_lag`).
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const admin = client.admin;
   * const name = `orders-${crypto.randomUUID()}`;
   * const group = `billing-${crypto.randomUUID()}`;
   * await admin.createTopics([{ name, numPartitions: 2 }]);
   * try {
   *   await admin.commitConsumerGroupOffsets(group, [{ topic: name, partition: 0, offset: 0 }]);
   *   const lag = await admin.consumerGroupLag(group, name);
   *   const total = [...lag.values()].reduce((s, p) => s + (p.lag ?? 0), 0);
   *   console.log(total); // 0: nothing produced yet
   *   await admin.deleteGroups([group]);
   * } finally {
   *   await admin.deleteTopics([name]);
   * }
   * ```
   */
  consumerGroupLag(
    groupId: string,
    topic: string,
    options: CallOptions = {},
  ): Promise<Map<number, PartitionLag>> {
    return this.#bounded(
      "consumerGroupLag",
      SIGNAL_ONLY_RULES,
      options,
      (o) => consumerGroupLag(this.#router, groupId, topic, o),
    );
  }
}
