/**
 * {@linkcode KafkaClient}: the entry point (pykafka's `KafkaClient`).
 *
 * @module
 */

import type { UseWorkers } from "../cluster/use_workers.ts";
import { omitRules, validateOptions } from "../util/options.ts";
import { redactedOptions } from "../util/secrets.ts";
import type { CallOptions } from "../util/deadline.ts";
import type {
  BackoffOptions,
  BrokerVersion,
  SaslConfig,
  SslConfig,
  TransportFactory,
} from "../network/mod.ts";
import { CLUSTER_OPTION_RULES } from "../cluster/_options.ts";
import {
  type Broker,
  Cluster,
  type ClusterOptions,
  formatHostPort,
  parseHosts,
  type TopicDict,
} from "../cluster/mod.ts";
import {
  Admin,
  type ConfigChange,
  type ConfigDescription,
  type ConfigResource,
  type CreatedTopic,
  type GroupDescription,
  type GroupOffset,
  type GroupOffsetCommit,
  type ListedGroup,
  type NewPartitions,
  type NewTopic,
  type PartitionLag,
  type TopicOperationOptions,
} from "../admin/mod.ts";
import { UnsupportedFeatureError } from "../errors/mod.ts";
import { ClientProducer, type ProducerOptions } from "../producer/mod.ts";
import { Topic } from "./topic.ts";
import {
  type BalancedConsumerCommonOptions,
  MultiTopicManagedBalancedConsumer,
  type MultiTopicManagedBalancedConsumerOptions,
} from "../consumer/mod.ts";
import { zookeeperBalancedConsumer } from "./_zookeeper_balanced.ts";

/**
 * Options of {@linkcode KafkaClient}: every pykafka `KafkaClient` argument
 * (camelCase, same meaning and defaults unless noted) plus `sasl`,
 * `clientId` and a few settings pykafka hard-coded.
 *
 * @example
 * ```ts
 * import type { KafkaClientOptions } from "./client.ts";
 * const options: KafkaClientOptions = {
 *   hosts: "broker1:9093,broker2:9093",
 *   sslConfig: { cafile: "/etc/kafka/ca.pem" },
 *   sasl: { mechanism: "SCRAM-SHA-512", username: "alice", password: "secret" },
 *   clientId: "billing",
 * };
 * ```
 */
export interface KafkaClientOptions {
  /**
   * Bootstrap brokers, `"host:port,host:port"` (default
   * `"127.0.0.1:9092"`); IPv6 literals in brackets (`"[::1]:9092"`); a
   * missing port is 9092. Tried in turn until one answers. With
   * `sslConfig` these are TLS ports.
   */
  hosts?: string | readonly string[];
  /**
   * ZooKeeper connection string (`"zk1:2181,zk2:2181/chroot"`). When set it
   * takes precedence over `hosts` for finding brokers (read from
   * `/brokers/ids`, at the endpoint matching the client's security
   * protocol), and balanced consumers use it. ZooKeeper-mode clusters only
   * (Kafka 4 has no ZooKeeper).
   */
  zookeeperHosts?: string;
  /**
   * Connect timeout and request timeout of broker connections, in ms
   * (default 30000).
   */
  socketTimeoutMs?: number;
  /**
   * Connect timeout and request timeout of the offsets channel
   * (OffsetCommit / OffsetFetch), in ms (default 10000).
   */
  offsetsChannelSocketTimeoutMs?: number;
  /** Hide topics whose name starts with `__` (default `true`). */
  excludeInternalTopics?: boolean;
  /** Local `"host:port"` (port optional) every socket binds to. */
  sourceAddress?: string;
  /** TLS for every connection (file paths or PEM text; mTLS with a client certificate). */
  sslConfig?: SslConfig;
  /** SASL PLAIN / SCRAM-SHA-256 / SCRAM-SHA-512 for every connection (not in pykafka). */
  sasl?: SaslConfig;
  /**
   * `"auto"` (default; pykafka's default was `"0.9.0"`): ask each broker
   * with ApiVersions and use the newest versions both sides speak (a broker
   * that closes the connection on ApiVersions is taken for 0.8.x; one that
   * does not answer is a `RequestTimeoutError`, never a downgrade). Or a
   * Kafka release such as `"0.9.0"` / `"0.8.2"` for brokers without
   * ApiVersions, or to cap versions.
   */
  brokerVersion?: BrokerVersion;
  /** Client id in every request header (default `"denokafka"`; pykafka sent `"pykafka"`). */
  clientId?: string;
  /**
   * With `zookeeperHosts`: the listener whose endpoint to use when several
   * listeners speak the client's security protocol.
   */
  zookeeperListenerName?: string;
  /** Refresh metadata this often, in ms (default 300000; 0: only on demand and on errors). */
  metadataRefreshIntervalMs?: number;
  /** Let `topics.get()` have the broker create missing topics (default `true`, as in pykafka). */
  autoCreateTopics?: boolean;
  /** Longest wait of `topics.get()` for a new topic's partition leaders, in ms (default 10000). */
  autoCreateTimeoutMs?: number;
  /** Longest group coordinator lookup, in ms (default 30000). */
  coordinatorTimeoutMs?: number;
  /**
   * The longest a public operation that talks to the cluster takes,
   * retries, reconnects and backoffs included, in ms (default 60000):
   * `connect`, `updateCluster`, offset lookups, consumer offset commits and
   * fetches, admin calls. Each also takes its own `timeoutMs` and an
   * `AbortSignal`; on expiry it rejects with `RequestTimeoutError`. The
   * README's "Deadlines" table lists the bound of every operation.
   */
  retryTimeoutMs?: number;
  /**
   * Connection attempts per use of a broker connection, and bootstrap
   * rounds over the hosts (default 3, pykafka's): with 1, a refused
   * connection fails at once.
   */
  connectAttempts?: number;
  /** Backoff between connection attempts (default 100 ms doubling to 10 s, ±20 %). */
  reconnectBackoff?: BackoffOptions;
  /** Largest response frame accepted, in bytes (default 100 MiB). */
  maxFrameBytes?: number;
  /**
   * Opens every broker socket instead of the runtime's default (Deno's
   * sockets on Deno, `node:net` / `node:tls` on Node and Bun): a tunnel or
   * proxy, a custom socket, fault injection in tests. A `TransportFactory`
   * from `@denokafka/kafka/network`; it may wrap `openTransport`, the
   * default.
   */
  transport?: TransportFactory;
  /**
   * pykafka's `use_greenlets` (its choice of concurrency model) for this
   * client's consumers (Deno only):
   * - `true` / `"decode"`: the event loop reads the sockets; a Web Worker
   *   per consumer decodes the fetched records (checksums, decompression,
   *   indexing);
   * - `"sockets"`: the consumer's fetch connections, their reads and the
   *   decoding run in its Web Worker; the event loop builds requests and
   *   messages;
   * - `false` (default): everything on the event loop.
   *
   * A consumer's own `useWorkers` option overrides it. See the README
   * ("Concurrency model") for when each pays off.
   */
  useWorkers?: UseWorkers;
}

/**
 * The rules of {@linkcode KafkaClientOptions}: the cluster's (every client
 * option is forwarded to its `Cluster`), but `topicFactory`.
 */
const KAFKA_CLIENT_RULES = omitRules(
  CLUSTER_OPTION_RULES,
  "topicFactory",
  "legacyDetection",
);

/**
 * The client (pykafka's `KafkaClient`): the cluster's brokers and topics,
 * and the entry point to producers, consumers and admin operations.
 *
 * The constructor only checks the options; {@linkcode KafkaClient.connect}
 * (or the static {@linkcode KafkaClient.connect}) bootstraps: the `hosts`
 * (or ZooKeeper's brokers) are tried in turn until one answers, API
 * versions are negotiated per broker, and the metadata of every topic is
 * loaded. `NoBrokersAvailableError` names every host tried and why.
 *
 * Close it with `await client.close()` or `await using`.
 *
 * Differences from pykafka: no I/O in the constructor; `brokerVersion`
 * defaults to `"auto"`; metadata comes from live known brokers, not
 * always the seed list; a broker that moves to a new address is followed;
 * `topics.get()` waits a bounded time for an auto-created topic; SASL;
 * TLS on every connection (group connections included); IPv6 literals.
 *
 * @example
 * ```ts
 * import { KafkaClient } from "@denokafka/kafka";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * await using client = await KafkaClient.connect({ hosts });
 * console.log([...client.brokers.values()].map(String));
 * const name = `orders-${crypto.randomUUID()}`;
 * await client.createTopics([{ name, numPartitions: 3 }]);
 * try {
 *   const topic = await client.topics.get(name);
 *   console.log(await topic.latestAvailableOffsets()); // Map { 0 => 0, 1 => 0, 2 => 0 }
 * } finally {
 *   await client.deleteTopics([name]);
 * }
 * ```
 */
export class KafkaClient implements AsyncDisposable {
  readonly #options: Readonly<KafkaClientOptions>;
  readonly #shownOptions: Readonly<KafkaClientOptions>;
  readonly #cluster: Cluster<Topic>;
  readonly #admin: Admin;

  /**
   * Creates the client; checks the options and does no I/O. An unknown
   * option or a wrong type throws a `TypeError`, a value out of range (or
   * options that contradict each other) a `RangeError`; the message names
   * `KafkaClient`, the option (`sasl.mechanism` for nested ones) and the
   * value.
   *
   * @param options where the brokers are and how to reach them
   */
  constructor(options: KafkaClientOptions = {}) {
    validateOptions("KafkaClient", options, KAFKA_CLIENT_RULES);
    this.#options = Object.freeze({ ...options });
    this.#shownOptions = redactedOptions(options);
    const clusterOptions: ClusterOptions<Topic> = {
      hosts: options.hosts ?? "127.0.0.1:9092",
      zookeeperHosts: options.zookeeperHosts,
      zookeeperListenerName: options.zookeeperListenerName,
      socketTimeoutMs: options.socketTimeoutMs,
      offsetsChannelSocketTimeoutMs: options.offsetsChannelSocketTimeoutMs,
      excludeInternalTopics: options.excludeInternalTopics,
      sourceAddress: options.sourceAddress,
      sslConfig: options.sslConfig,
      sasl: options.sasl,
      brokerVersion: options.brokerVersion ?? "auto",
      clientId: options.clientId,
      metadataRefreshIntervalMs: options.metadataRefreshIntervalMs,
      autoCreateTopics: options.autoCreateTopics,
      autoCreateTimeoutMs: options.autoCreateTimeoutMs,
      coordinatorTimeoutMs: options.coordinatorTimeoutMs,
      retryTimeoutMs: options.retryTimeoutMs,
      connectAttempts: options.connectAttempts,
      reconnectBackoff: options.reconnectBackoff,
      maxFrameBytes: options.maxFrameBytes,
      transport: options.transport,
      useWorkers: options.useWorkers,
      topicFactory: (cluster, metadata) =>
        new Topic(cluster as unknown as Cluster, metadata),
    };
    this.#cluster = new Cluster<Topic>(clusterOptions);
    this.#admin = new Admin(this.#cluster);
  }

  /**
   * Creates a client and connects it; `call` bounds the bootstrap (see
   * {@linkcode KafkaClient.prototype.connect}).
   *
   * @example
   * ```ts
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * ```
   */
  static async connect(
    options: KafkaClientOptions = {},
    call: CallOptions = {},
  ): Promise<KafkaClient> {
    const client = new KafkaClient(options);
    try {
      await client.connect(call);
    } catch (e) {
      await client.close();
      throw e;
    }
    return client;
  }

  /**
   * Bootstraps: finds a broker that answers, loads the metadata of every
   * topic and starts the periodic refresh. Idempotent; resolves with the
   * client. Settles within `options.timeoutMs` (default `retryTimeoutMs`;
   * `RequestTimeoutError`), or with `signal.reason` when `signal` aborts.
   *
   * @example
   * ```ts
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * const client = new KafkaClient({ hosts });
   * try {
   *   await client.connect();
   * } finally {
   *   await client.close();
   * }
   * ```
   */
  async connect(options: CallOptions = {}): Promise<this> {
    await this.#cluster.connect(options);
    return this;
  }

  /**
   * The options the client was created with, with every secret
   * (`sasl.password`, `sslConfig.password`, `sslConfig.key`) shown as
   * `"[redacted]"`: printing or serializing them shows no secret.
   */
  get options(): Readonly<KafkaClientOptions> {
    return this.#shownOptions;
  }

  /** The cluster (metadata, brokers, topics, coordinators). */
  get cluster(): Cluster<Topic> {
    return this.#cluster;
  }

  /** The brokers by id (the same map as `cluster.brokers`). */
  get brokers(): ReadonlyMap<number, Broker> {
    return this.#cluster.brokers;
  }

  /** The topics (the same `TopicDict` as `cluster.topics`). */
  get topics(): TopicDict<Topic> {
    return this.#cluster.topics;
  }

  /** The ZooKeeper connection string, if given (balanced consumers use it). */
  get zookeeperHosts(): string | undefined {
    return this.#options.zookeeperHosts;
  }

  /**
   * Refreshes the metadata now (pykafka's `update_cluster()`), within
   * `options.timeoutMs` (default `retryTimeoutMs`); `signal` ends it.
   *
   * @example
   * ```ts
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * await client.updateCluster();
   * console.log([...client.topics]);
   * ```
   */
  updateCluster(options: CallOptions = {}): Promise<void> {
    return this.#cluster.update(options);
  }

  /**
   * A producer for any topic (`producer.produce(topic, value, options)`):
   * the options and semantics of `topic.getProducer()`, the topic named
   * per record; records of every topic share the client's produce engine
   * (one Produce request per broker for all topics, one producer id). With
   * a `transactionalId`, one transaction may span topics.
   *
   * @param options producer options (see `ProducerOptions`)
   *
   * @example
   * ```ts ignore a fragment: uses a connected client
   * await using producer = client.getProducer({ lingerMs: 10 });
   * await producer.produce("orders", new TextEncoder().encode("order #1"));
   * await producer.produce("audit", new TextEncoder().encode("order #1 placed"));
   * ```
   *
   * @example Bad options throw before anything is sent
   * ```ts
   * import assert from "node:assert/strict";
   * import { KafkaClient } from "../../mod.ts";
   * const client = new KafkaClient({ hosts: "127.0.0.1:9092" }); // not connected
   * assert.throws(() => client.getProducer({ lingerMs: -1 }), RangeError);
   * assert.throws(() => client.getProducer({ transactionalId: "" }), RangeError);
   * assert.throws(() => client.getProducer({ lingerMs: "5" as unknown as number }), TypeError);
   * await client.close();
   * ```
   */
  getProducer<V = Uint8Array | null, K = Uint8Array | null>(
    options?: ProducerOptions<V, K>,
  ): ClientProducer<V, K> {
    return new ClientProducer<V, K>(
      this.#cluster as unknown as Cluster,
      options,
    );
  }

  /**
   * A producer for any topic whose `produce()` resolves after delivery
   * (`getProducer({ ...options, sync: true })`).
   *
   * @param options producer options (`sync` is forced to `true`)
   *
   * @example
   * ```ts ignore a fragment: uses a connected client
   * await using producer = client.getSyncProducer();
   * const msg = await producer.produce("orders", new TextEncoder().encode("v"));
   * console.log(msg.offset);
   * ```
   */
  getSyncProducer<V = Uint8Array | null, K = Uint8Array | null>(
    options?: ProducerOptions<V, K>,
  ): ClientProducer<V, K> {
    const given: unknown = options;
    return this.getProducer<V, K>(
      given === undefined || given === null
        ? { sync: true }
        : typeof given === "object" && !Array.isArray(given)
        ? { ...options, sync: true }
        : options,
    );
  }

  /** The admin operations (the methods below delegate to it). */
  get admin(): Admin {
    return this.#admin;
  }

  /**
   * Creates topics (see `Admin.createTopics`): resolves once every new
   * partition has a leader; `AdminError` names the topics that failed.
   *
   * @example
   * ```ts
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 6, config: { "retention.ms": "3600000" } }]);
   * await client.deleteTopics([name]);
   * ```
   */
  createTopics(
    topics: readonly NewTopic[],
    options?: TopicOperationOptions,
  ): Promise<CreatedTopic[]> {
    return this.#admin.createTopics(topics, options);
  }

  /**
   * Deletes topics (see `Admin.deleteTopics`): resolves once the metadata
   * no longer lists them.
   *
   * @example
   * ```ts
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name }]);
   * await client.deleteTopics([name]);
   * ```
   */
  deleteTopics(
    names: readonly string[],
    options?: Omit<TopicOperationOptions, "validateOnly">,
  ): Promise<void> {
    return this.#admin.deleteTopics(names, options);
  }

  /**
   * Raises partition counts (see `Admin.createPartitions`).
   *
   * @example
   * ```ts
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 2 }]);
   * try {
   *   await client.createPartitions([{ topic: name, count: 4 }]);
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  createPartitions(
    partitions: readonly NewPartitions[],
    options?: TopicOperationOptions,
  ): Promise<void> {
    return this.#admin.createPartitions(partitions, options);
  }

  /**
   * Describes configs of topics, brokers, ... (see `Admin.describeConfigs`).
   *
   * @example
   * ```ts
   * import { ConfigResourceType } from "@denokafka/kafka";
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name }]);
   * try {
   *   const [d] = await client.describeConfigs([{ type: ConfigResourceType.TOPIC, name }]);
   *   console.log(d.entries.get("retention.ms")?.value);
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  describeConfigs(
    resources: readonly ConfigResource[],
    options?: {
      includeSynonyms?: boolean;
      includeDocumentation?: boolean;
      signal?: AbortSignal;
      timeoutMs?: number;
    },
  ): Promise<ConfigDescription[]> {
    return this.#admin.describeConfigs(resources, options);
  }

  /**
   * Sets configs (see `Admin.alterConfigs`; replaces every dynamic config
   * of each resource).
   *
   * @example
   * ```ts
   * import { ConfigResourceType } from "@denokafka/kafka";
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name }]);
   * try {
   *   await client.alterConfigs([{ type: ConfigResourceType.TOPIC, name, configs: { "retention.ms": "86400000" } }]);
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  alterConfigs(
    changes: readonly ConfigChange[],
    options?: CallOptions & { validateOnly?: boolean },
  ): Promise<void> {
    return this.#admin.alterConfigs(changes, options);
  }

  /**
   * Lists consumer groups on every broker (see `Admin.listGroups`).
   *
   * @example
   * ```ts
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const groups = await client.listGroups();
   * console.log(groups.map((g) => g.groupId));
   * ```
   */
  listGroups(
    options?: CallOptions & { states?: readonly string[] },
  ): Promise<ListedGroup[]> {
    return this.#admin.listGroups(options);
  }

  /**
   * Describes consumer groups (see `Admin.describeGroups`).
   *
   * @example
   * ```ts
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const [g] = await client.describeGroups([`billing-${crypto.randomUUID()}`]);
   * console.log(g.state); // "Dead": no such group
   * ```
   */
  describeGroups(
    groupIds: readonly string[],
    options?: CallOptions,
  ): Promise<GroupDescription[]> {
    return this.#admin.describeGroups(groupIds, options);
  }

  /**
   * Deletes consumer groups (see `Admin.deleteGroups`).
   *
   * @example
   * ```ts
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * const group = `old-group-${crypto.randomUUID()}`;
   * await client.createTopics([{ name }]);
   * try {
   *   await client.commitConsumerGroupOffsets(group, [{ topic: name, partition: 0, offset: 0 }]);
   *   await client.deleteGroups([group]);
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  deleteGroups(
    groupIds: readonly string[],
    options?: CallOptions,
  ): Promise<void> {
    return this.#admin.deleteGroups(groupIds, options);
  }

  /**
   * Committed offsets of a group (see `Admin.fetchConsumerGroupOffsets`).
   *
   * @example
   * ```ts
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const offsets = await client.fetchConsumerGroupOffsets(`billing-${crypto.randomUUID()}`);
   * console.log(offsets.size); // 0: nothing committed yet
   * ```
   */
  fetchConsumerGroupOffsets(
    groupId: string,
    topics?: readonly string[],
    options?: CallOptions,
  ): Promise<Map<string, Map<number, GroupOffset>>> {
    return this.#admin.fetchConsumerGroupOffsets(groupId, topics, options);
  }

  /**
   * Stores offsets for a group with no active members (see
   * `Admin.commitConsumerGroupOffsets`).
   *
   * @example
   * ```ts
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * const group = `billing-${crypto.randomUUID()}`;
   * await client.createTopics([{ name }]);
   * try {
   *   await client.commitConsumerGroupOffsets(group, [{ topic: name, partition: 0, offset: 0 }]);
   *   console.log(await client.fetchConsumerGroupOffsets(group, [name]));
   *   await client.deleteGroups([group]);
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  commitConsumerGroupOffsets(
    groupId: string,
    offsets: readonly GroupOffsetCommit[],
    options?: CallOptions,
  ): Promise<void> {
    return this.#admin.commitConsumerGroupOffsets(groupId, offsets, options);
  }

  /**
   * The lag of a group per partition of a topic (see
   * `Admin.consumerGroupLag`).
   *
   * @example
   * ```ts
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 2 }]);
   * try {
   *   const lag = await client.consumerGroupLag(`billing-${crypto.randomUUID()}`, name);
   *   for (const [partition, p] of lag) console.log(partition, p.lag);
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  consumerGroupLag(
    groupId: string,
    topic: string,
    options?: CallOptions,
  ): Promise<Map<number, PartitionLag>> {
    return this.#admin.consumerGroupLag(groupId, topic, options);
  }

  /**
   * A balanced consumer of several topics in one consumer group. With
   * `managed: true`: a `MultiTopicManagedBalancedConsumer` (Kafka's group
   * protocol; offsets keyed by topic, see
   * `MultiTopicManagedBalancedConsumerOptions`). It looks its topics up and
   * joins in the background unless `autoStart` is `false`.
   *
   * @param options `topics`, the group, `managed: true`, consumer options
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const [orders, refunds] = [`orders-${crypto.randomUUID()}`, `refunds-${crypto.randomUUID()}`];
   * await client.createTopics([{ name: orders, numPartitions: 2 }, { name: refunds, numPartitions: 2 }]);
   * try {
   *   {
   *     await using producer = client.getSyncProducer();
   *     await producer.produce(orders, new TextEncoder().encode("order #1"), { partition: 0 });
   *   }
   *   await using consumer = client.getBalancedConsumer({
   *     topics: [orders, refunds],
   *     consumerGroup: `billing-${crypto.randomUUID()}`,
   *     managed: true,
   *   });
   *   const m = await consumer.consume({ timeoutMs: 10_000 });
   *   console.log(m?.topic, m?.partitionId, m?.offset);
   * } finally {
   *   await client.deleteTopics([orders, refunds]);
   * }
   * ```
   */
  getBalancedConsumer<V = Uint8Array | null, K = Uint8Array | null>(
    options: MultiTopicManagedBalancedConsumerOptions<V, K> & { managed: true },
  ): MultiTopicManagedBalancedConsumer<V, K>;
  /**
   * With `managed` false or absent (pykafka's default): the ZooKeeper
   * `BalancedConsumer` consumes one topic, as pykafka's, so this form
   * throws `UnsupportedFeatureError` (use `topic.getBalancedConsumer`, or
   * `managed: true` for several topics).
   *
   * @param options `topics`, the group and consumer options
   */
  getBalancedConsumer(
    options: BalancedConsumerCommonOptions<unknown> & {
      topics: readonly string[];
      managed?: false;
    },
  ): never;
  getBalancedConsumer<V, K>(
    options:
      | (MultiTopicManagedBalancedConsumerOptions<V, K> & { managed: true })
      | (BalancedConsumerCommonOptions<unknown> & {
        topics: readonly string[];
        managed?: false;
      }),
  ): MultiTopicManagedBalancedConsumer<V, K> {
    const given: unknown = options;
    if (
      typeof given === "object" && given !== null &&
      (given as { managed?: unknown }).managed === true
    ) {
      return new MultiTopicManagedBalancedConsumer<V, K>(
        this.#cluster as unknown as Cluster,
        options as MultiTopicManagedBalancedConsumerOptions<V, K>,
      );
    }
    const topics = (given as { topics?: unknown } | null)?.topics;
    // Throws for a `topics` list (names): the ZooKeeper consumer takes one
    // ClusterTopic, through topic.getBalancedConsumer.
    zookeeperBalancedConsumer(
      this.#cluster as unknown as Cluster,
      Array.isArray(topics) ? topics : [],
      options,
    );
    throw new UnsupportedFeatureError(
      "client.getBalancedConsumer without managed: true: use topic.getBalancedConsumer for the ZooKeeper BalancedConsumer",
    );
  }

  /**
   * Closes every connection and stops the periodic refresh.
   *
   * @example
   * ```ts
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * const client = await KafkaClient.connect({ hosts });
   * await client.close();
   * ```
   */
  close(): Promise<void> {
    return this.#cluster.close();
  }

  /** Same as {@linkcode KafkaClient.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** `KafkaClient(127.0.0.1:9092,127.0.0.1:9093)`. */
  toString(): string {
    const hosts = this.#options.zookeeperHosts ??
      parseHosts(this.#options.hosts ?? "127.0.0.1:9092").map(formatHostPort)
        .join(",");
    return `KafkaClient(${hosts})`;
  }
}
