/**
 * {@linkcode Admin}: topic, partition, config and consumer group
 * administration over a {@linkcode Cluster}.
 *
 * @module
 */

import {
  CoordinatorLoadInProgress,
  CoordinatorNotAvailable,
  errorForCode,
  KafkaError,
  NetworkException,
  NetworkPermissionError,
  NotController,
  NotCoordinator,
  RequestTimeoutError,
  SocketDisconnectedError,
} from "../errors/mod.ts";
import {
  AlterConfigs,
  ConsumerProtocolAssignmentSchema,
  ConsumerProtocolSubscriptionSchema,
  CreatePartitions,
  CreateTopics,
  type CreateTopicsRequest,
  decodeVersioned,
  DeleteGroups,
  DeleteTopics,
  type DeleteTopicsRequest,
  DescribeConfigs,
  type DescribeConfigsRequest,
  DescribeGroups,
  ListGroups,
  type ListGroupsRequest,
  type MetadataResponseTopic,
  ZERO_UUID,
} from "../protocol/mod.ts";
import type { Broker, Cluster, ClusterTopic } from "../cluster/mod.ts";
import { RETRY_POLICIES } from "../cluster/_retry_policies.ts";
import { retry, RetrySchedule } from "../util/retry.ts";
import { AdminError } from "./admin_error.ts";
import { validateOptions } from "../util/options.ts";
import {
  ALTER_CONFIGS_RULES,
  DELETE_TOPICS_RULES,
  DESCRIBE_CONFIGS_RULES,
  LIST_GROUPS_RULES,
  newPartitionsRule,
  newTopicsRule,
  SIGNAL_ONLY_RULES,
  TOPIC_OPERATION_RULES,
  topicNamesRule,
} from "./_options.ts";

/** A topic to create (see {@linkcode Admin.createTopics}). */
export interface NewTopic {
  /** Topic name. */
  name: string;
  /**
   * Number of partitions (default: the broker's `num.partitions` on Kafka
   * 2.4+, else 1). Leave out with `replicaAssignment`.
   */
  numPartitions?: number;
  /**
   * Replication factor (default: the broker's `default.replication.factor`
   * on Kafka 2.4+, else 1). Leave out with `replicaAssignment`.
   */
  replicationFactor?: number;
  /** Replica broker ids per partition (index = partition id). */
  replicaAssignment?: readonly (readonly number[])[];
  /** Topic config overrides, e.g. `{ "cleanup.policy": "compact" }`. */
  config?: Readonly<Record<string, string | null>>;
}

/** What {@linkcode Admin.createTopics} reports per topic. */
export interface CreatedTopic {
  /** Topic name. */
  name: string;
  /** Topic id (CreateTopics v7+), else `undefined`. */
  topicId: string | undefined;
  /** Partitions (CreateTopics v5+ or the request), -1 if unknown. */
  numPartitions: number;
  /** Replication factor (CreateTopics v5+ or the request), -1 if unknown. */
  replicationFactor: number;
}

/** Options of topic and partition operations. */
export interface TopicOperationOptions {
  /**
   * How long the controller may take, and how long to wait for the
   * metadata to show the result, in ms (default 30000).
   */
  timeoutMs?: number;
  /** Only check that the operation would work (create/add partitions). */
  validateOnly?: boolean;
  /**
   * Resolve only once every broker's metadata shows the result: created
   * topics with a leader (that serves it) for every partition, deleted
   * topics gone, added partitions present (default `true`; ignored with
   * `validateOnly`).
   */
  waitForMetadata?: boolean;
  /** Cancels waiting. */
  signal?: AbortSignal;
}

/** New partition count of a topic (see {@linkcode Admin.createPartitions}). */
export interface NewPartitions {
  /** Topic name. */
  topic: string;
  /** The new total number of partitions (more than now). */
  count: number;
  /** Replica broker ids of each new partition (optional). */
  assignments?: readonly (readonly number[])[];
}

/**
 * Config resource types of DescribeConfigs / AlterConfigs (Kafka's
 * `ConfigResource.Type`).
 *
 * @example
 * ```ts
 * import { ConfigResourceType } from "./admin.ts";
 * const r = { type: ConfigResourceType.TOPIC, name: "orders" };
 * ```
 */
export const ConfigResourceType: {
  /** Unknown. */
  readonly UNKNOWN: 0;
  /** A topic (name = topic name). */
  readonly TOPIC: 2;
  /** A broker (name = broker id, `""` for the cluster-wide default). */
  readonly BROKER: 4;
  /** A broker's loggers (name = broker id). */
  readonly BROKER_LOGGER: 8;
  /** Client metrics subscriptions (Kafka 3.7+). */
  readonly CLIENT_METRICS: 16;
  /** A consumer group (Kafka 4.0+). */
  readonly GROUP: 32;
} = Object.freeze(
  {
    UNKNOWN: 0,
    TOPIC: 2,
    BROKER: 4,
    BROKER_LOGGER: 8,
    CLIENT_METRICS: 16,
    GROUP: 32,
  } as const,
);

/** A value of {@linkcode ConfigResourceType}. */
export type ConfigResourceType =
  typeof ConfigResourceType[keyof typeof ConfigResourceType];

/** A resource whose configs to describe (see {@linkcode Admin.describeConfigs}). */
export interface ConfigResource {
  /** Resource type. */
  type: ConfigResourceType;
  /** Resource name: topic name, broker id as a string, ... */
  name: string;
  /** Only these config keys (default: all). */
  keys?: readonly string[];
}

/** One config of a resource. */
export interface ConfigEntry {
  /** Config name. */
  name: string;
  /** Value (`null` for sensitive configs and unset ones). */
  value: string | null;
  /** True when the config cannot be changed. */
  readOnly: boolean;
  /** True when the value is Kafka's default. */
  isDefault: boolean;
  /** True for passwords and other secrets. */
  isSensitive: boolean;
  /**
   * Where the value comes from (DescribeConfigs v1+): 1 dynamic topic
   * config, 2 dynamic broker config, 3 dynamic default broker config, 4
   * static broker config, 5 default, 6 dynamic broker logger config; -1
   * unknown (v0).
   */
  source: number;
  /** Other values of the config by precedence (with `includeSynonyms`). */
  synonyms: { name: string; value: string | null; source: number }[];
  /** Documentation (with `includeDocumentation`, v3+), else `null`. */
  documentation: string | null;
}

/** The configs of one resource (see {@linkcode Admin.describeConfigs}). */
export interface ConfigDescription {
  /** Resource type. */
  type: ConfigResourceType;
  /** Resource name. */
  name: string;
  /** Configs by name. */
  entries: Map<string, ConfigEntry>;
}

/** Configs to set on a resource (see {@linkcode Admin.alterConfigs}). */
export interface ConfigChange {
  /** Resource type. */
  type: ConfigResourceType;
  /** Resource name. */
  name: string;
  /** The configs to set (`null`: back to the default). */
  configs: Readonly<Record<string, string | null>>;
}

/** A consumer group as ListGroups reports it. */
export interface ListedGroup {
  /** Group id. */
  groupId: string;
  /** Protocol type (`"consumer"` for consumer groups, `""` for offsets-only groups). */
  protocolType: string;
  /** State (ListGroups v4+), else `undefined`. */
  state: string | undefined;
  /** Group type, `"classic"` or `"consumer"` (ListGroups v5+), else `undefined`. */
  type: string | undefined;
  /** The broker that coordinates the group. */
  coordinatorId: number;
}

/** One member of a described group. */
export interface GroupMember {
  /** Member id. */
  memberId: string;
  /** Static member id, if any. */
  groupInstanceId: string | null;
  /** The member's client id. */
  clientId: string;
  /** The member's host. */
  clientHost: string;
  /** Raw protocol metadata. */
  metadata: Uint8Array;
  /** Raw assignment. */
  assignment: Uint8Array;
  /** For `"consumer"` groups: the subscribed topics, else `null`. */
  subscription: string[] | null;
  /** For `"consumer"` groups: the assigned partitions by topic, else `null`. */
  assignedPartitions: Map<string, number[]> | null;
}

/** A consumer group as DescribeGroups reports it. */
export interface GroupDescription {
  /** Group id. */
  groupId: string;
  /**
   * State: `"Stable"`, `"PreparingRebalance"`, `"CompletingRebalance"`,
   * `"Empty"`, or `"Dead"` (also for a group that does not exist).
   */
  state: string;
  /** Protocol type (`"consumer"`), or `""`. */
  protocolType: string;
  /** The chosen assignment protocol (`"range"`, ...), or `""`. */
  protocol: string;
  /** Members. */
  members: GroupMember[];
  /** The broker that coordinates the group. */
  coordinatorId: number;
}

/** A committed offset of a group (see {@linkcode Admin.fetchConsumerGroupOffsets}). */
export interface GroupOffset {
  /** The committed offset (the next record to consume). */
  offset: number;
  /** Metadata stored with it. */
  metadata: string | null;
  /** Leader epoch stored with it, -1 if none. */
  leaderEpoch: number;
}

/** An offset to commit for a group (see {@linkcode Admin.commitConsumerGroupOffsets}). */
export interface GroupOffsetCommit {
  /** Topic name. */
  topic: string;
  /** Partition id. */
  partition: number;
  /** The offset of the next record the group should read. */
  offset: number;
  /** Metadata stored with it (default none). */
  metadata?: string | null;
}

/** The lag of a group on one partition (see {@linkcode Admin.consumerGroupLag}). */
export interface PartitionLag {
  /** Partition id. */
  partition: number;
  /** The offset the next record will get (high watermark). */
  latest: number;
  /** The group's committed offset, -1 when it has none. */
  committed: number;
  /** `latest - committed`, or `null` when the group has no committed offset. */
  lag: number | null;
  /** Metadata stored with the committed offset. */
  metadata: string | null;
}

function coordinatorError(e: unknown): boolean {
  return e instanceof NotCoordinator || e instanceof CoordinatorNotAvailable ||
    e instanceof CoordinatorLoadInProgress || e instanceof NetworkException ||
    e instanceof SocketDisconnectedError || e instanceof RequestTimeoutError;
}

function configsOf(
  c: Readonly<Record<string, string | null>> | undefined,
): { name: string; value: string | null }[] {
  return Object.entries(c ?? {}).map(([name, value]) => ({ name, value }));
}

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
 * @example
 * ```ts ignore
 * import { Admin } from "./admin.ts";
 * const admin = new Admin(client.cluster);
 * await admin.createTopics([{ name: "orders", numPartitions: 6, config: { "retention.ms": "3600000" } }]);
 * await admin.createPartitions([{ topic: "orders", count: 8 }]);
 * await admin.deleteTopics(["orders"]);
 * ```
 */
export class Admin {
  readonly #cluster: Cluster<ClusterTopic>;

  /**
   * Creates the admin over a cluster (no I/O).
   *
   * @param cluster the cluster to administer
   */
  constructor(cluster: Cluster<ClusterTopic>) {
    this.#cluster = cluster;
  }

  /** The controller, or any live broker when it is unknown. */
  async #controller(): Promise<Broker> {
    await this.#cluster.ready();
    const c = this.#cluster.controller;
    if (c && !c.closed) return c;
    await this.#cluster.update();
    const again = this.#cluster.controller;
    if (again && !again.closed) return again;
    const any = [...this.#cluster.brokers.values()].find((b) => !b.closed);
    if (!any) throw new KafkaError("no broker is known");
    return any;
  }

  /** Runs `fn` on the controller, again after a refresh on NOT_CONTROLLER. */
  async #onController<R>(
    fn: (b: Broker) => Promise<R>,
    signal?: AbortSignal,
  ): Promise<R> {
    return await retry(async (attempt) => {
      // After the backoff: a refresh to find the new controller.
      if (attempt > 0) await this.#cluster.update().catch(() => {});
      return await fn(await this.#controller());
    }, {
      ...RETRY_POLICIES.adminController,
      retriable: (e) =>
        e instanceof NotController || e instanceof SocketDisconnectedError,
      signal,
    });
  }

  /** Runs `fn` on a group's coordinator, again with a new lookup when it moved. */
  async #onCoordinator<R>(
    groupId: string,
    fn: (b: Broker) => Promise<R>,
    signal?: AbortSignal,
  ): Promise<R> {
    const schedule = new RetrySchedule({
      ...RETRY_POLICIES.adminCoordinator,
      retriable: coordinatorError,
      signal,
    });
    for (;;) {
      // A failed lookup is not retried here: it has its own deadline.
      const broker = await this.#cluster.getGroupCoordinator(groupId, {
        signal,
      });
      try {
        return await fn(broker);
      } catch (e) {
        if (coordinatorError(e)) this.#cluster.invalidateCoordinator(groupId);
        await schedule.wait(e);
      }
    }
  }

  /**
   * Creates topics (CreateTopics, on the controller). With
   * `waitForMetadata` (default) resolves once every partition of every new
   * topic has a leader. `AdminError` names the topics that failed (e.g.
   * with `TopicAlreadyExists`, `InvalidReplicationFactor`,
   * `InvalidConfig`).
   *
   * @example
   * ```ts ignore
   * await admin.createTopics([
   *   { name: "orders", numPartitions: 6, replicationFactor: 2, config: { "cleanup.policy": "compact" } },
   * ]);
   * ```
   */
  async createTopics(
    topics: readonly NewTopic[],
    options: TopicOperationOptions = {},
  ): Promise<CreatedTopic[]> {
    validateOptions("Admin.createTopics", options, TOPIC_OPERATION_RULES);
    newTopicsRule(topics, "Admin.createTopics", "topics");
    const timeoutMs = options.timeoutMs ?? 30_000;
    const started = Date.now();
    const res = await this.#onController(async (broker) => {
      const version = await broker.apiVersion(CreateTopics, options.signal);
      const request: CreateTopicsRequest = {
        timeoutMs,
        topics: topics.map((t) => {
          const assigned = t.replicaAssignment !== undefined;
          const dflt = assigned || version >= 4 ? -1 : 1;
          return {
            name: t.name,
            numPartitions: t.numPartitions ?? dflt,
            replicationFactor: t.replicationFactor ?? dflt,
            assignments: (t.replicaAssignment ?? []).map((ids, i) => ({
              partitionIndex: i,
              brokerIds: [...ids],
            })),
            configs: configsOf(t.config),
          };
        }),
      };
      if (options.validateOnly) {
        if (version < 1) {
          throw new KafkaError(
            "validateOnly needs CreateTopics v1 (Kafka 0.10.2+)",
          );
        }
        request.validateOnly = true;
      }
      const res = await broker.send(CreateTopics, request, {
        version,
        timeoutMs: timeoutMs + 5000,
        signal: options.signal,
      });
      if (res.topics.some((t) => t.errorCode === 41)) {
        throw errorForCode(41, `broker ${broker.id} is not the controller`);
      }
      return res;
    }, options.signal);
    const failures = new Map<string, KafkaError>();
    const out: CreatedTopic[] = [];
    for (const t of res.topics) {
      if (t.errorCode !== 0) {
        failures.set(t.name, errorForCode(t.errorCode, t.errorMessage));
        continue;
      }
      const asked = topics.find((x) => x.name === t.name);
      const numPartitions = (t.numPartitions ?? -1) >= 0
        ? t.numPartitions!
        : asked?.numPartitions ?? asked?.replicaAssignment?.length ?? -1;
      out.push({
        name: t.name,
        topicId: t.topicId && t.topicId !== ZERO_UUID ? t.topicId : undefined,
        numPartitions,
        replicationFactor: (t.replicationFactor ?? -1) >= 0
          ? t.replicationFactor!
          : asked?.replicationFactor ?? asked?.replicaAssignment?.[0]?.length ??
            -1,
      });
    }
    if (failures.size > 0) throw new AdminError("createTopics", failures);
    if (!options.validateOnly && (options.waitForMetadata ?? true)) {
      await this.#waitForTopics(
        out.map((t) => t.name),
        (md, i) =>
          md.errorCode === 0 && md.partitions.length > 0 &&
          (out[i].numPartitions < 0 ||
            md.partitions.length >= out[i].numPartitions) &&
          md.partitions.every((p) =>
            p.leaderId >= 0 && this.#cluster.brokers.has(p.leaderId)
          ),
        started + timeoutMs,
        "created",
        options.signal,
        true,
      );
    }
    return out;
  }

  /** Polls topic metadata until `ok` holds for every name, or the deadline. */
  async #waitForTopics(
    names: string[],
    ok: (md: MetadataResponseTopic, index: number) => boolean,
    deadline: number,
    what: string,
    signal?: AbortSignal,
    probe = false,
  ): Promise<void> {
    if (names.length === 0) return;
    const schedule = new RetrySchedule({
      ...RETRY_POLICIES.adminTopicMetadata,
      timeoutMs: deadline - Date.now(),
      retriable: () => true,
      signal,
    });
    for (;;) {
      // Every broker must show it (each has its own metadata cache); the
      // answers also update the cluster's view.
      const mds = await this.#cluster.requestTopicMetadata(names, { signal });
      const pending = names.filter((_, j) => !ok(mds[j], j));
      if (pending.length === 0) {
        for (const b of this.#cluster.brokers.values()) {
          try {
            const md = await b.requestMetadata(names, { signal });
            names.forEach((n, j) => {
              const t = md.topics.find((x) => x.name === n) ??
                { errorCode: 3, name: n, partitions: [] };
              if (!ok(t, j) && !pending.includes(n)) pending.push(n);
            });
          } catch {
            // A broker that cannot be reached does not hold anyone up.
          }
        }
      }
      if (pending.length === 0 && probe) {
        // A KRaft broker may list itself as leader a moment before it
        // serves the partition: ask every leader for an offset.
        try {
          for (const name of names) {
            const t = await this.#cluster.topics.get(name, {
              autoCreate: false,
              signal,
            });
            await t.latestAvailableOffsets();
          }
          return;
        } catch (e) {
          if (schedule.remainingMs() === 0 || NetworkPermissionError.in(e)) {
            throw e;
          }
          pending.push(...names);
        }
      }
      if (pending.length === 0) return;
      if (!(await schedule.pause())) {
        throw new RequestTimeoutError(
          `the metadata does not show topic(s) ${
            pending.join(", ")
          } ${what} yet (waitForMetadata)`,
        );
      }
    }
  }

  /**
   * Deletes topics (DeleteTopics, on the controller); with
   * `waitForMetadata` (default) resolves once no broker's metadata lists
   * them any more. `AdminError` names the topics that failed (e.g.
   * `UnknownTopicOrPartition`).
   *
   * @example
   * ```ts ignore
   * await admin.deleteTopics(["orders"]);
   * ```
   */
  async deleteTopics(
    names: readonly string[],
    options: Omit<TopicOperationOptions, "validateOnly"> = {},
  ): Promise<void> {
    validateOptions("Admin.deleteTopics", options, DELETE_TOPICS_RULES);
    topicNamesRule(names, "Admin.deleteTopics", "names");
    const timeoutMs = options.timeoutMs ?? 30_000;
    const started = Date.now();
    const res = await this.#onController(async (broker) => {
      const version = await broker.apiVersion(DeleteTopics, options.signal);
      const request: DeleteTopicsRequest = version >= 6
        ? {
          timeoutMs,
          topics: names.map((name) => ({ name, topicId: ZERO_UUID })),
        }
        : { timeoutMs, topicNames: [...names] };
      const res = await broker.send(DeleteTopics, request, {
        version,
        timeoutMs: timeoutMs + 5000,
        signal: options.signal,
      });
      if (res.responses.some((t) => t.errorCode === 41)) {
        throw errorForCode(41, `broker ${broker.id} is not the controller`);
      }
      return res;
    }, options.signal);
    const failures = new Map<string, KafkaError>();
    for (const t of res.responses) {
      if (t.errorCode !== 0) {
        failures.set(
          t.name ?? t.topicId ?? "?",
          errorForCode(t.errorCode, t.errorMessage),
        );
      }
    }
    if (failures.size > 0) throw new AdminError("deleteTopics", failures);
    if (options.waitForMetadata ?? true) {
      await this.#waitForTopics(
        [...names],
        (md) => md.errorCode === 3,
        started + timeoutMs,
        "deleted",
        options.signal,
      );
    }
  }

  /**
   * Raises the partition count of topics (CreatePartitions, Kafka 1.0+, on
   * the controller); with `waitForMetadata` (default) resolves once the
   * metadata shows the new partitions with leaders.
   *
   * @example
   * ```ts ignore
   * await admin.createPartitions([{ topic: "orders", count: 12 }]);
   * ```
   */
  async createPartitions(
    partitions: readonly NewPartitions[],
    options: TopicOperationOptions = {},
  ): Promise<void> {
    validateOptions("Admin.createPartitions", options, TOPIC_OPERATION_RULES);
    newPartitionsRule(partitions, "Admin.createPartitions", "partitions");
    const timeoutMs = options.timeoutMs ?? 30_000;
    const started = Date.now();
    const res = await this.#onController(async (broker) => {
      const res = await broker.send(CreatePartitions, {
        topics: partitions.map((p) => ({
          name: p.topic,
          count: p.count,
          assignments: p.assignments
            ? p.assignments.map((ids) => ({ brokerIds: [...ids] }))
            : null,
        })),
        timeoutMs,
        validateOnly: options.validateOnly ?? false,
      }, { timeoutMs: timeoutMs + 5000, signal: options.signal });
      if (res.results.some((t) => t.errorCode === 41)) {
        throw errorForCode(41, `broker ${broker.id} is not the controller`);
      }
      return res;
    }, options.signal);
    const failures = new Map<string, KafkaError>();
    for (const t of res.results) {
      if (t.errorCode !== 0) {
        failures.set(t.name, errorForCode(t.errorCode, t.errorMessage));
      }
    }
    if (failures.size > 0) throw new AdminError("createPartitions", failures);
    if (!options.validateOnly && (options.waitForMetadata ?? true)) {
      await this.#waitForTopics(
        partitions.map((p) => p.topic),
        (md, i) =>
          md.errorCode === 0 && md.partitions.length >= partitions[i].count &&
          md.partitions.every((p) =>
            p.leaderId >= 0 && this.#cluster.brokers.has(p.leaderId)
          ),
        started + timeoutMs,
        "with the new partitions",
        options.signal,
        true,
      );
      await this.#cluster.update().catch(() => {});
    }
  }

  /** The broker a config resource must be asked at. */
  async #configBroker(r: { type: number; name: string }): Promise<Broker> {
    await this.#cluster.ready();
    if (
      (r.type === ConfigResourceType.BROKER ||
        r.type === ConfigResourceType.BROKER_LOGGER) && r.name !== ""
    ) {
      const id = Number(r.name);
      const b = this.#cluster.brokers.get(id);
      if (!b) {
        throw new KafkaError(
          `config resource broker ${r.name}: no such broker`,
        );
      }
      return b;
    }
    return await this.#controller();
  }

  /**
   * Describes the configs of topics, brokers, ... (DescribeConfigs). Broker
   * resources are asked at that broker, the others at the controller.
   *
   * @example
   * ```ts ignore
   * import { ConfigResourceType } from "./admin.ts";
   * const [d] = await admin.describeConfigs([{ type: ConfigResourceType.TOPIC, name: "orders" }]);
   * console.log(d.entries.get("retention.ms")?.value);
   * ```
   */
  async describeConfigs(
    resources: readonly ConfigResource[],
    options: {
      includeSynonyms?: boolean;
      includeDocumentation?: boolean;
      signal?: AbortSignal;
    } = {},
  ): Promise<ConfigDescription[]> {
    validateOptions("Admin.describeConfigs", options, DESCRIBE_CONFIGS_RULES);
    const byBroker = new Map<Broker, ConfigResource[]>();
    for (const r of resources) {
      const b = await this.#configBroker(r);
      let l = byBroker.get(b);
      if (!l) byBroker.set(b, l = []);
      l.push(r);
    }
    const found = new Map<string, ConfigDescription>();
    const failures = new Map<string, KafkaError>();
    await Promise.all([...byBroker].map(async ([broker, rs]) => {
      const version = await broker.apiVersion(DescribeConfigs, options.signal);
      const request: DescribeConfigsRequest = {
        resources: rs.map((r) => ({
          resourceType: r.type,
          resourceName: r.name,
          configurationKeys: r.keys ? [...r.keys] : null,
        })),
      };
      if (version >= 1) {
        request.includeSynonyms = options.includeSynonyms ?? false;
      }
      if (version >= 3) {
        request.includeDocumentation = options.includeDocumentation ?? false;
      }
      const res = await broker.send(DescribeConfigs, request, {
        version,
        signal: options.signal,
      });
      for (const r of res.results) {
        const key = `${r.resourceType}:${r.resourceName}`;
        if (r.errorCode !== 0) {
          failures.set(key, errorForCode(r.errorCode, r.errorMessage));
          continue;
        }
        const entries = new Map<string, ConfigEntry>();
        for (const c of r.configs) {
          const source = c.configSource ?? -1;
          entries.set(c.name, {
            name: c.name,
            value: c.value,
            readOnly: c.readOnly,
            isDefault: version === 0 ? (c.isDefault ?? false) : source === 5,
            isSensitive: c.isSensitive,
            source,
            synonyms: (c.synonyms ?? []).map((s) => ({
              name: s.name,
              value: s.value,
              source: s.source,
            })),
            documentation: c.documentation ?? null,
          });
        }
        found.set(key, {
          type: r.resourceType as ConfigResourceType,
          name: r.resourceName,
          entries,
        });
      }
    }));
    if (failures.size > 0) throw new AdminError("describeConfigs", failures);
    return resources.map((r) => {
      const d = found.get(`${r.type}:${r.name}`);
      if (!d) {
        throw new KafkaError(
          `describeConfigs: the broker left ${r.type}:${r.name} out of its answer`,
        );
      }
      return d;
    });
  }

  /**
   * Sets configs (AlterConfigs). Note that AlterConfigs **replaces** every
   * dynamic config of a resource: configs not named are reset to their
   * defaults. Describe first and pass the full set to keep others.
   *
   * @example
   * ```ts ignore
   * import { ConfigResourceType } from "./admin.ts";
   * await admin.alterConfigs([
   *   { type: ConfigResourceType.TOPIC, name: "orders", configs: { "retention.ms": "86400000" } },
   * ]);
   * ```
   */
  async alterConfigs(
    changes: readonly ConfigChange[],
    options: { validateOnly?: boolean; signal?: AbortSignal } = {},
  ): Promise<void> {
    validateOptions("Admin.alterConfigs", options, ALTER_CONFIGS_RULES);
    const byBroker = new Map<Broker, ConfigChange[]>();
    for (const c of changes) {
      const b = await this.#configBroker(c);
      let l = byBroker.get(b);
      if (!l) byBroker.set(b, l = []);
      l.push(c);
    }
    const failures = new Map<string, KafkaError>();
    await Promise.all([...byBroker].map(async ([broker, cs]) => {
      const res = await broker.send(AlterConfigs, {
        resources: cs.map((c) => ({
          resourceType: c.type,
          resourceName: c.name,
          configs: configsOf(c.configs),
        })),
        validateOnly: options.validateOnly ?? false,
      }, { signal: options.signal });
      for (const r of res.responses) {
        if (r.errorCode !== 0) {
          failures.set(
            `${r.resourceType}:${r.resourceName}`,
            errorForCode(r.errorCode, r.errorMessage),
          );
        }
      }
    }));
    if (failures.size > 0) throw new AdminError("alterConfigs", failures);
  }

  /**
   * Lists the consumer groups of the cluster (ListGroups on every broker).
   * `states` filters by state (ListGroups v4+, Kafka 2.6+).
   *
   * @example
   * ```ts ignore
   * const groups = await admin.listGroups();
   * console.log(groups.map((g) => g.groupId));
   * ```
   */
  async listGroups(
    options: { states?: readonly string[]; signal?: AbortSignal } = {},
  ): Promise<ListedGroup[]> {
    validateOptions("Admin.listGroups", options, LIST_GROUPS_RULES);
    await this.#cluster.ready();
    const failures = new Map<string, KafkaError>();
    const out: ListedGroup[] = [];
    await Promise.all(
      [...this.#cluster.brokers.values()].map(async (broker) => {
        try {
          const version = await broker.apiVersion(ListGroups, options.signal);
          const request: ListGroupsRequest = {};
          if (options.states && options.states.length > 0) {
            if (version < 4) {
              throw new KafkaError(
                "filtering groups by state needs ListGroups v4 (Kafka 2.6+)",
              );
            }
            request.statesFilter = [...options.states];
          }
          const res = await broker.send(ListGroups, request, {
            version,
            signal: options.signal,
          });
          if (res.errorCode !== 0) throw errorForCode(res.errorCode);
          for (const g of res.groups) {
            out.push({
              groupId: g.groupId,
              protocolType: g.protocolType,
              state: version >= 4 ? g.groupState : undefined,
              type: version >= 5 ? g.groupType : undefined,
              coordinatorId: broker.id,
            });
          }
        } catch (e) {
          failures.set(
            `broker ${broker.id}`,
            e instanceof KafkaError
              ? e
              : new KafkaError(String(e), { cause: e }),
          );
        }
      }),
    );
    if (failures.size > 0) throw new AdminError("listGroups", failures);
    return out.sort((a, b) => a.groupId.localeCompare(b.groupId));
  }

  /**
   * Describes consumer groups (DescribeGroups at each group's coordinator),
   * in the order asked. A group that does not exist is reported with state
   * `"Dead"` and no members, on every broker version. For `"consumer"`
   * groups the members' subscriptions and assignments are decoded.
   *
   * @example
   * ```ts ignore
   * const [g] = await admin.describeGroups(["billing"]);
   * console.log(g.state, g.members.map((m) => m.clientId));
   * ```
   */
  async describeGroups(
    groupIds: readonly string[],
    options: { signal?: AbortSignal } = {},
  ): Promise<GroupDescription[]> {
    validateOptions("Admin.describeGroups", options, SIGNAL_ONLY_RULES);
    const failures = new Map<string, KafkaError>();
    const out = await Promise.all(groupIds.map(async (groupId) => {
      try {
        return await this.#onCoordinator(groupId, async (broker) => {
          const res = await broker.send(DescribeGroups, { groups: [groupId] }, {
            signal: options.signal,
          });
          const g = res.groups.find((x) => x.groupId === groupId);
          if (!g) {
            throw new KafkaError(
              `broker ${broker.id} left group ${groupId} out of DescribeGroups`,
            );
          }
          if (g.errorCode === 69) { // GROUP_ID_NOT_FOUND (Kafka 4 DescribeGroups v6)
            return {
              groupId,
              state: "Dead",
              protocolType: "",
              protocol: "",
              members: [],
              coordinatorId: broker.id,
            };
          }
          if (g.errorCode !== 0) {
            throw errorForCode(g.errorCode, g.errorMessage ?? null);
          }
          const consumer = g.protocolType === "consumer";
          return {
            groupId,
            state: g.groupState,
            protocolType: g.protocolType,
            protocol: g.protocolData,
            coordinatorId: broker.id,
            members: g.members.map((m) => ({
              memberId: m.memberId,
              groupInstanceId: m.groupInstanceId ?? null,
              clientId: m.clientId,
              clientHost: m.clientHost,
              metadata: m.memberMetadata,
              assignment: m.memberAssignment,
              subscription: consumer ? subscriptionOf(m.memberMetadata) : null,
              assignedPartitions: consumer
                ? assignmentOf(m.memberAssignment)
                : null,
            })),
          };
        }, options.signal);
      } catch (e) {
        failures.set(
          groupId,
          e instanceof KafkaError ? e : new KafkaError(String(e), { cause: e }),
        );
        return undefined;
      }
    }));
    if (failures.size > 0) throw new AdminError("describeGroups", failures);
    return out as GroupDescription[];
  }

  /**
   * Deletes consumer groups and their committed offsets (DeleteGroups,
   * Kafka 1.1+, at each group's coordinator). A group with active members
   * fails with `NonEmptyGroup`, an unknown one with `GroupIdNotFound`.
   *
   * @example
   * ```ts ignore
   * await admin.deleteGroups(["old-group"]);
   * ```
   */
  async deleteGroups(
    groupIds: readonly string[],
    options: { signal?: AbortSignal } = {},
  ): Promise<void> {
    validateOptions("Admin.deleteGroups", options, SIGNAL_ONLY_RULES);
    const failures = new Map<string, KafkaError>();
    await Promise.all(groupIds.map(async (groupId) => {
      try {
        await this.#onCoordinator(groupId, async (broker) => {
          const res = await broker.send(DeleteGroups, {
            groupsNames: [groupId],
          }, { signal: options.signal });
          const r = res.results.find((x) => x.groupId === groupId);
          if (r && r.errorCode !== 0) throw errorForCode(r.errorCode);
        }, options.signal);
      } catch (e) {
        failures.set(
          groupId,
          e instanceof KafkaError ? e : new KafkaError(String(e), { cause: e }),
        );
      }
    }));
    if (failures.size > 0) throw new AdminError("deleteGroups", failures);
  }

  /**
   * The committed offsets of a group (OffsetFetch at its coordinator), by
   * topic and partition: for the named topics' partitions, or (no
   * `topics`) for every partition the group has offsets for. Partitions
   * without a committed offset are left out.
   *
   * @example
   * ```ts ignore
   * const offsets = await admin.fetchConsumerGroupOffsets("billing", ["orders"]);
   * console.log(offsets.get("orders")?.get(0)?.offset);
   * ```
   */
  async fetchConsumerGroupOffsets(
    groupId: string,
    topics?: readonly string[],
    options: { signal?: AbortSignal } = {},
  ): Promise<Map<string, Map<number, GroupOffset>>> {
    validateOptions(
      "Admin.fetchConsumerGroupOffsets",
      options,
      SIGNAL_ONLY_RULES,
    );
    let request: { topic: string; partitions: number[] }[] | null = null;
    if (topics) {
      const mds = await this.#cluster.requestTopicMetadata(topics, options);
      request = mds.map((md, i) => {
        if (md.errorCode !== 0) {
          throw errorForCode(md.errorCode, `topic ${topics[i]}`);
        }
        return {
          topic: topics[i],
          partitions: md.partitions.map((p) => p.partitionIndex).sort((a, b) =>
            a - b
          ),
        };
      });
    }
    const res = await this.#onCoordinator(groupId, async (broker) => {
      const res = await broker.fetchConsumerGroupOffsets(groupId, request, {
        signal: options.signal,
      });
      if (res.errorCode !== 0) throw errorForCode(res.errorCode);
      for (const p of res.partitions) {
        if (p.errorCode === 16 || p.errorCode === 15 || p.errorCode === 14) {
          throw errorForCode(p.errorCode);
        }
      }
      return res;
    }, options.signal);
    const out = new Map<string, Map<number, GroupOffset>>();
    const failures = new Map<string, KafkaError>();
    for (const p of res.partitions) {
      if (p.errorCode !== 0) {
        failures.set(`${p.topic}/${p.partition}`, errorForCode(p.errorCode));
        continue;
      }
      if (p.offset < 0) continue;
      let m = out.get(p.topic);
      if (!m) out.set(p.topic, m = new Map());
      m.set(p.partition, {
        offset: p.offset,
        metadata: p.metadata,
        leaderEpoch: p.leaderEpoch,
      });
    }
    if (failures.size > 0) {
      throw new AdminError("fetchConsumerGroupOffsets", failures);
    }
    for (const m of out.values()) {
      const sorted = [...m].sort((a, b) => a[0] - b[0]);
      m.clear();
      for (const [k, v] of sorted) m.set(k, v);
    }
    return out;
  }

  /**
   * Stores committed offsets for a group (OffsetCommit at its coordinator)
   * without being a member: works for groups with no active members (what
   * pykafka's `kafka-tools reset_offsets` did). `offset` is the next record
   * to consume.
   *
   * @example
   * ```ts ignore
   * await admin.commitConsumerGroupOffsets("billing", [
   *   { topic: "orders", partition: 0, offset: 1200 },
   * ]);
   * ```
   */
  async commitConsumerGroupOffsets(
    groupId: string,
    offsets: readonly GroupOffsetCommit[],
    options: { signal?: AbortSignal } = {},
  ): Promise<void> {
    validateOptions(
      "Admin.commitConsumerGroupOffsets",
      options,
      SIGNAL_ONLY_RULES,
    );
    const res = await this.#onCoordinator(groupId, async (broker) => {
      const res = await broker.commitConsumerGroupOffsets(groupId, offsets, {
        signal: options.signal,
      });
      for (const p of res) {
        if (p.errorCode === 16 || p.errorCode === 15 || p.errorCode === 14) {
          throw errorForCode(p.errorCode);
        }
      }
      return res;
    }, options.signal);
    const failures = new Map<string, KafkaError>();
    for (const p of res) {
      if (p.errorCode !== 0) {
        failures.set(`${p.topic}/${p.partition}`, errorForCode(p.errorCode));
      }
    }
    if (failures.size > 0) {
      throw new AdminError("commitConsumerGroupOffsets", failures);
    }
  }

  /**
   * The lag of a group on every partition of a topic: latest offset,
   * committed offset and their difference (pykafka's
   * `kafka-tools print_consumer_lag`).
   *
   * @example
   * ```ts ignore
   * const lag = await admin.consumerGroupLag("billing", "orders");
   * const total = [...lag.values()].reduce((s, p) => s + (p.lag ?? 0), 0);
   * ```
   */
  async consumerGroupLag(
    groupId: string,
    topic: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<Map<number, PartitionLag>> {
    validateOptions("Admin.consumerGroupLag", options, SIGNAL_ONLY_RULES);
    const t = await this.#cluster.topics.get(topic, {
      autoCreate: false,
      signal: options.signal,
    });
    const [latest, committed] = await Promise.all([
      t.latestAvailableOffsets(),
      this.fetchConsumerGroupOffsets(groupId, [topic], options),
    ]);
    const mine = committed.get(topic) ?? new Map<number, GroupOffset>();
    const out = new Map<number, PartitionLag>();
    for (const [partition, hw] of latest) {
      const c = mine.get(partition);
      out.set(partition, {
        partition,
        latest: hw,
        committed: c?.offset ?? -1,
        lag: c ? Math.max(0, hw - c.offset) : null,
        metadata: c?.metadata ?? null,
      });
    }
    return out;
  }
}

function subscriptionOf(bytes: Uint8Array): string[] | null {
  try {
    return decodeVersioned(ConsumerProtocolSubscriptionSchema, bytes).value
      .topics;
  } catch {
    return null;
  }
}

function assignmentOf(bytes: Uint8Array): Map<string, number[]> | null {
  if (bytes.length === 0) return new Map();
  try {
    const a = decodeVersioned(ConsumerProtocolAssignmentSchema, bytes).value;
    return new Map(a.assignedPartitions.map((p) => [p.topic, p.partitions]));
  } catch {
    return null;
  }
}
