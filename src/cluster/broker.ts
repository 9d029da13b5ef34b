/**
 * {@linkcode Broker}: one Kafka broker of the cluster and the connections
 * the client keeps to it. The requests of its API helpers (Metadata,
 * ListOffsets, FindCoordinator, OffsetCommit, OffsetFetch) are shaped per
 * version in `_api_requests.ts`.
 *
 * @module
 */

import { SocketDisconnectedError } from "../errors/mod.ts";
import {
  type ApiMessage,
  DescribeGroups,
  type DescribeGroupsResponse,
  ListGroups,
  type ListGroupsResponse,
  type MetadataResponse,
} from "../protocol/mod.ts";
import {
  type ApiVersionTable,
  type BackoffOptions,
  type BrokerConnection,
  type BrokerVersion,
  ManagedConnection,
  type ManagedConnectionOptions,
  type SaslConfig,
  type SendOptions,
  type SslConfig,
  type TransportFactory,
  type VersionedApi,
} from "../network/mod.ts";
import { formatHostPort } from "./hosts.ts";
import { validateOptions } from "../util/options.ts";
import { CONNECTION_SETTINGS_RULES } from "./_options.ts";
import {
  callApi,
  type CommitOptions,
  type CommittedOffsets,
  type CoordinatorAnswer,
  FIND_COORDINATOR,
  LIST_OFFSETS,
  METADATA,
  OFFSET_COMMIT,
  OFFSET_FETCH,
  type OffsetToCommit,
  type PartitionOffsetRequest,
  type PartitionOffsets,
} from "./_api_requests.ts";

export type {
  CommitOptions,
  CommittedOffset,
  CommittedOffsets,
  CoordinatorAnswer,
  OffsetToCommit,
  PartitionOffsetRequest,
  PartitionOffsets,
} from "./_api_requests.ts";

/**
 * How the client connects to brokers: the settings every connection of a
 * {@linkcode Broker} shares. `KafkaClient` fills them from its options.
 *
 * @example
 * ```ts
 * import type { ConnectionSettings } from "./broker.ts";
 * const settings: ConnectionSettings = {
 *   clientId: "my-app",
 *   socketTimeoutMs: 30_000,
 *   offsetsChannelSocketTimeoutMs: 10_000,
 *   sslConfig: { cafile: "ca.pem" },
 * };
 * ```
 */
export interface ConnectionSettings {
  /** Client id sent in every request header (default `"denokafka"`). */
  clientId?: string;
  /**
   * Connect timeout and per-request timeout of the main and group
   * connections, in ms (pykafka's `socket_timeout_ms`, default 30000).
   */
  socketTimeoutMs?: number;
  /**
   * Connect timeout and per-request timeout of the offsets channel
   * (OffsetCommit / OffsetFetch), in ms (default 10000).
   */
  offsetsChannelSocketTimeoutMs?: number;
  /** TLS for every connection. */
  sslConfig?: SslConfig;
  /** SASL for every connection. */
  sasl?: SaslConfig;
  /** `"auto"` (default) or a Kafka release such as `"0.9.0"`. */
  brokerVersion?: BrokerVersion;
  /** Local `host:port` every socket binds to. */
  sourceAddress?: string;
  /** Connection attempts per use before a request fails (default 3). */
  connectAttempts?: number;
  /** Backoff between connection attempts. */
  reconnectBackoff?: BackoffOptions;
  /** Largest response frame accepted, in bytes (default 100 MiB). */
  maxFrameBytes?: number;
  /** Opens sockets instead of the runtime's default (see `TransportFactory`). */
  transport?: TransportFactory;
  /**
   * With `brokerVersion: "auto"`: take a broker that closes the connection
   * on ApiVersions for Kafka 0.8.x (default `true`). The `Cluster` turns
   * it off once a bootstrap broker answered ApiVersions: in a modern
   * cluster a dropped connection is an error, never a downgrade.
   */
  legacyDetection?: boolean;
}

/**
 * One broker of the cluster (pykafka's `Broker`), with the connections the
 * client keeps to it, each opened on first use, reconnected on the next use
 * after a drop, and each honouring TLS and SASL:
 *
 * - the **main** connection: metadata, produce, fetch, offset lookups,
 *   admin requests ({@linkcode Broker.send});
 * - the **offsets channel**: OffsetCommit / OffsetFetch, with its own
 *   timeout `offsetsChannelSocketTimeoutMs` ({@linkcode Broker.sendOffsets});
 * - **group connections**, one per `connectionId`, for group membership
 *   requests that block for a long time (JoinGroup waits for the whole
 *   rebalance, and a broker handles one request per connection at a time)
 *   ({@linkcode Broker.groupConnection}). pykafka opened these without TLS;
 *   here they use the same TLS and SASL settings as every other connection.
 *
 * Brokers are made by the `Cluster` from metadata; the same `Broker` object
 * stays in `cluster.brokers` for as long as the broker id is in the
 * metadata, and follows the broker to a new address if it moves.
 *
 * @example
 * ```ts
 * import { KafkaClient } from "@denokafka/kafka";
 * import { Metadata } from "@denokafka/kafka/protocol";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * await using client = await KafkaClient.connect({ hosts });
 * const broker = [...client.brokers.values()][0];
 * const version = await broker.apiVersion(Metadata);
 * const md = await broker.send(Metadata, { topics: null, allowAutoTopicCreation: false });
 * console.log(`Metadata v${version}: ${md.brokers.length} brokers`);
 * ```
 */
export class Broker implements AsyncDisposable {
  /** The broker id (`broker.id` / `node.id`). */
  readonly id: number;
  #host: string;
  #port: number;
  #rack: string | null;
  readonly #settings: ConnectionSettings;
  #main: ManagedConnection;
  #offsets: ManagedConnection | undefined;
  readonly #groups = new Map<string, ManagedConnection>();
  #closed = false;

  /**
   * Creates the broker; nothing connects until the first request. Bad
   * `settings` throw a `TypeError` (unknown option, wrong type) or
   * `RangeError` (out of range) naming the option.
   *
   * @param id broker id
   * @param host host name or IP address (IPv6 without brackets)
   * @param port port of the listener matching the client's security protocol
   * @param settings connection settings shared by every connection
   * @param rack the broker's rack, if it has one
   */
  constructor(
    id: number,
    host: string,
    port: number,
    settings: ConnectionSettings = {},
    rack: string | null = null,
  ) {
    this.id = id;
    this.#host = host;
    this.#port = port;
    this.#rack = rack;
    validateOptions("Broker", settings, CONNECTION_SETTINGS_RULES);
    this.#settings = settings;
    this.#main = this.#managed(settings.socketTimeoutMs ?? 30_000);
  }

  #managed(timeoutMs: number): ManagedConnection {
    return new ManagedConnection(this.#managedOptions(timeoutMs));
  }

  /**
   * The options of this broker's connections (the socket timeout of its
   * main and group connections): what a fetch worker (`useWorkers`) opens
   * its own connections with.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const broker = [...client.brokers.values()][0];
   * console.log(broker.connectionOptions().port === broker.port); // true
   * ```
   */
  connectionOptions(): ManagedConnectionOptions {
    return this.#managedOptions(this.#settings.socketTimeoutMs ?? 30_000);
  }

  #managedOptions(timeoutMs: number): ManagedConnectionOptions {
    const s = this.#settings;
    return {
      host: this.#host,
      port: this.#port,
      nodeId: this.id,
      clientId: s.clientId,
      socketTimeoutMs: timeoutMs,
      connectTimeoutMs: timeoutMs,
      sslConfig: s.sslConfig,
      sasl: s.sasl,
      brokerVersion: s.brokerVersion,
      sourceAddress: s.sourceAddress,
      connectAttempts: s.connectAttempts,
      reconnectBackoff: s.reconnectBackoff,
      maxFrameBytes: s.maxFrameBytes,
      transport: s.transport,
      legacyDetection: s.legacyDetection,
    };
  }

  /** Host name or IP address. */
  get host(): string {
    return this.#host;
  }

  /** Port. */
  get port(): number {
    return this.#port;
  }

  /** The broker's rack (Metadata v1+), or `null`. */
  get rack(): string | null {
    return this.#rack;
  }

  /** `host:port` (IPv6 in brackets). */
  get address(): string {
    return formatHostPort({ host: this.#host, port: this.#port });
  }

  /** True while the main connection is open (pykafka's `connected`). */
  get connected(): boolean {
    return this.#main.current !== undefined;
  }

  /** True while the offsets channel is open. */
  get offsetsChannelConnected(): boolean {
    return this.#offsets?.current !== undefined;
  }

  /** True once {@linkcode Broker.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * The API versions the broker serves, once the main connection has
   * negotiated them (`undefined` before the first connection).
   */
  get versions(): ApiVersionTable | undefined {
    return this.#main.current?.versions;
  }

  /**
   * Opens the main connection now (it opens by itself on first use).
   * Rejects after `connectAttempts` failed tries.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const broker = [...client.brokers.values()][0];
   * await broker.connect();
   * console.log(broker.connected); // true
   * ```
   */
  connect(signal?: AbortSignal): Promise<BrokerConnection> {
    if (this.#closed) return Promise.reject(this.#closedError());
    return this.#main.connection(signal);
  }

  /** Opens the offsets channel now (it opens by itself on first use). */
  connectOffsetsChannel(signal?: AbortSignal): Promise<BrokerConnection> {
    if (this.#closed) return Promise.reject(this.#closedError());
    return this.#offsetsChannel().connection(signal);
  }

  #offsetsChannel(): ManagedConnection {
    this.#offsets ??= this.#managed(
      this.#settings.offsetsChannelSocketTimeoutMs ?? 10_000,
    );
    return this.#offsets;
  }

  #closedError(): SocketDisconnectedError {
    return new SocketDisconnectedError(
      `broker ${this.id} (${this.address}) was closed by the client`,
    );
  }

  /**
   * The version of an API to speak to this broker: the highest both sides
   * support (connecting first if needed). Throws `UnsupportedVersionError`
   * when there is none.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   * import { Produce } from "@denokafka/kafka/protocol";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const broker = [...client.brokers.values()][0];
   * const v = await broker.apiVersion(Produce); // e.g. 11 on Kafka 3.9
   * ```
   */
  async apiVersion(api: VersionedApi, signal?: AbortSignal): Promise<number> {
    const conn = await this.connect(signal);
    return conn.versions.pick(api);
  }

  /**
   * True when the broker serves the API at all, at `minVersion` or later
   * (connecting first if needed).
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   * import { DeleteGroups } from "@denokafka/kafka/protocol";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const broker = [...client.brokers.values()][0];
   * if (await broker.supports(DeleteGroups)) {
   *   console.log("DeleteGroups is served (Kafka 1.1+)");
   * }
   * ```
   */
  async supports(
    api: VersionedApi,
    minVersion = 0,
    signal?: AbortSignal,
  ): Promise<boolean> {
    const conn = await this.connect(signal);
    const c = conn.versions.common(api);
    return c !== undefined && c.max >= minVersion;
  }

  /**
   * Sends a request on the main connection (see `BrokerConnection.send`:
   * the version is the highest both sides support unless
   * `options.version` says otherwise).
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   * import { ListGroups } from "@denokafka/kafka/protocol";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const broker = [...client.brokers.values()][0];
   * const res = await broker.send(ListGroups, {});
   * console.log(res.errorCode, res.groups.length);
   * ```
   */
  send<Req, Res>(
    api: ApiMessage<Req, Res>,
    request: Req,
    options: SendOptions & { expectResponse: false },
  ): Promise<undefined>;
  /**
   * Sends a request on the main connection and resolves with the response.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   * import { ListGroups } from "@denokafka/kafka/protocol";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const broker = [...client.brokers.values()][0];
   * const res = await broker.send(ListGroups, {}, { timeoutMs: 5000 });
   * ```
   */
  send<Req, Res>(
    api: ApiMessage<Req, Res>,
    request: Req,
    options?: SendOptions,
  ): Promise<Res>;
  send<Req, Res>(
    api: ApiMessage<Req, Res>,
    request: Req,
    options?: SendOptions,
  ): Promise<Res | undefined> {
    if (this.#closed) return Promise.reject(this.#closedError());
    return this.#main.send(api, request, options);
  }

  /**
   * Sends a request on the offsets channel (the connection with
   * `offsetsChannelSocketTimeoutMs`), for OffsetCommit and OffsetFetch.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   * import { OffsetFetch } from "@denokafka/kafka/protocol";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const coordinator = await client.cluster.getGroupCoordinator("my-group");
   * // OffsetFetch v0-v7 name one group (v8+ take a list: build the request for the version used)
   * const res = await coordinator.sendOffsets(
   *   OffsetFetch,
   *   { groupId: "my-group", topics: null },
   *   { version: 7 },
   * );
   * console.log(res.errorCode);
   * ```
   */
  sendOffsets<Req, Res>(
    api: ApiMessage<Req, Res>,
    request: Req,
    options?: SendOptions,
  ): Promise<Res> {
    if (this.#closed) return Promise.reject(this.#closedError());
    return this.#offsetsChannel().send(api, request, options);
  }

  /**
   * A dedicated connection for group membership requests, one per
   * `connectionId` (e.g. one per consumer): JoinGroup blocks its
   * connection for the whole rebalance, so heartbeats and commits of other
   * consumers must not share it. Opened on first use, with the same TLS
   * and SASL settings as every connection, and the main socket timeout;
   * give JoinGroup a longer `timeoutMs` per request. Close it with
   * {@linkcode Broker.closeGroupConnection} when the consumer stops.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   * import { Heartbeat } from "@denokafka/kafka/protocol";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const coordinator = await client.cluster.getGroupCoordinator("my-group");
   * const conn = coordinator.groupConnection("consumer-1");
   * try {
   *   // JoinGroup, SyncGroup, Heartbeat and LeaveGroup go on this connection.
   *   const hb = await conn.send(
   *     Heartbeat,
   *     { groupId: "my-group", generationId: -1, memberId: "" },
   *     { timeoutMs: 5000 },
   *   );
   *   console.log(hb.errorCode); // 25 UNKNOWN_MEMBER_ID: join the group first
   * } finally {
   *   await coordinator.closeGroupConnection("consumer-1");
   * }
   * ```
   */
  groupConnection(connectionId: string): ManagedConnection {
    if (this.#closed) throw this.#closedError();
    let c = this.#groups.get(connectionId);
    if (!c) {
      c = this.#managed(this.#settings.socketTimeoutMs ?? 30_000);
      this.#groups.set(connectionId, c);
    }
    return c;
  }

  /** Closes the group connection of `connectionId`, if there is one. */
  async closeGroupConnection(connectionId: string): Promise<void> {
    const c = this.#groups.get(connectionId);
    if (!c) return;
    this.#groups.delete(connectionId);
    await c.close();
  }

  /**
   * Metadata for some topics (`null`: every topic). With
   * `allowAutoTopicCreation` (default `false`) a broker configured with
   * `auto.create.topics.enable` creates missing named topics. Without it,
   * no topic is ever created: brokers whose Metadata is older than v4
   * create every named topic they are asked about, so they are asked for
   * every topic and the answer is narrowed to the named ones (a missing one
   * appears with error code 3, UNKNOWN_TOPIC_OR_PARTITION).
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const broker = [...client.brokers.values()][0];
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 3 }]);
   * try {
   *   const md = await broker.requestMetadata([name]);
   *   console.log(md.topics[0].partitions.length); // 3
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  requestMetadata(
    topics: readonly string[] | null,
    options: { allowAutoTopicCreation?: boolean; signal?: AbortSignal } = {},
  ): Promise<MetadataResponse> {
    return callApi(this, METADATA, {
      topics,
      allowAutoTopicCreation: options.allowAutoTopicCreation ?? false,
    }, { signal: options.signal });
  }

  /**
   * ListOffsets for partitions led by this broker, one request. The answer
   * is normalized across versions: v0 returns several offsets per
   * partition (pykafka's segment semantics), v1+ one precise offset.
   *
   * @param partitions what to look up
   * @param options `isolationLevel` (v2+: 0 read uncommitted, the default,
   *   1 read committed) and `signal`
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 1 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   const leader = topic.partitions.get(0)!.leader;
   *   const [p] = await leader.listOffsets([{ topic: name, partition: 0, timestamp: -1 }]);
   *   console.log(p.offsets[0]); // the high watermark: 0
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  listOffsets(
    partitions: readonly PartitionOffsetRequest[],
    options: { isolationLevel?: 0 | 1; signal?: AbortSignal } = {},
  ): Promise<PartitionOffsets[]> {
    return callApi(this, LIST_OFFSETS, {
      partitions,
      isolationLevel: options.isolationLevel,
    }, { signal: options.signal });
  }

  /**
   * FindCoordinator for one key (a group id, `keyType` 0, or a
   * transactional id, `keyType` 1), normalized across versions (v4+
   * batches keys; this sends one).
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const broker = [...client.brokers.values()][0];
   * const c = await broker.findCoordinator("my-group");
   * if (c.errorCode === 0) console.log(c.nodeId, c.host, c.port);
   * ```
   */
  findCoordinator(
    key: string,
    keyType: 0 | 1 = 0,
    signal?: AbortSignal,
  ): Promise<CoordinatorAnswer> {
    return callApi(this, FIND_COORDINATOR, { key, keyType }, { signal });
  }

  /**
   * OffsetCommit on the offsets channel (send it to the group's
   * coordinator). Resolves with the per-partition error codes (0 = stored).
   *
   * Without `generationId` / `memberId` the commit is a "standalone" one,
   * accepted for groups that have no active members.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 1 }]);
   * try {
   *   const group = `g-${crypto.randomUUID()}`;
   *   const coordinator = await client.cluster.getGroupCoordinator(group);
   *   const res = await coordinator.commitConsumerGroupOffsets(group, [
   *     { topic: name, partition: 0, offset: 42 },
   *   ]);
   *   console.log(res[0].errorCode); // 0: stored
   *   await client.deleteGroups([group]);
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  commitConsumerGroupOffsets(
    groupId: string,
    offsets: readonly OffsetToCommit[],
    options: CommitOptions = {},
  ): Promise<
    { topic: string; partition: number; errorCode: number }[]
  > {
    return callApi(this, OFFSET_COMMIT, { groupId, offsets, options }, {
      signal: options.signal,
    });
  }

  /**
   * OffsetFetch on the offsets channel (send it to the group's
   * coordinator): the committed offsets of a group, for some partitions or
   * (`null`, OffsetFetch v2+) for every partition the group has offsets for.
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
   *   const group = `g-${crypto.randomUUID()}`;
   *   const coordinator = await client.cluster.getGroupCoordinator(group);
   *   const res = await coordinator.fetchConsumerGroupOffsets(group, [{ topic: name, partitions: [0, 1] }]);
   *   for (const p of res.partitions) console.log(p.partition, p.offset); // -1: none committed
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  fetchConsumerGroupOffsets(
    groupId: string,
    topics: readonly { topic: string; partitions: readonly number[] }[] | null,
    options: { requireStable?: boolean; signal?: AbortSignal } = {},
  ): Promise<CommittedOffsets> {
    return callApi(this, OFFSET_FETCH, {
      groupId,
      topics,
      requireStable: options.requireStable,
    }, { signal: options.signal });
  }

  /**
   * ListGroups: the consumer groups this broker coordinates.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const broker = [...client.brokers.values()][0];
   * const { groups } = await broker.listGroups();
   * console.log(groups.length);
   * ```
   */
  listGroups(signal?: AbortSignal): Promise<ListGroupsResponse> {
    return this.send(ListGroups, {}, { signal });
  }

  /**
   * DescribeGroups for groups this broker coordinates.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const coordinator = await client.cluster.getGroupCoordinator("my-group");
   * const { groups } = await coordinator.describeGroups(["my-group"]);
   * console.log(groups[0].groupState); // "Dead" while no consumer uses it
   * ```
   */
  describeGroups(
    groupIds: readonly string[],
    signal?: AbortSignal,
  ): Promise<DescribeGroupsResponse> {
    return this.send(DescribeGroups, { groups: [...groupIds] }, { signal });
  }

  /**
   * Points the broker at a new address (the cluster calls this when
   * metadata shows the broker id moved): open connections are closed, and
   * the next request connects to the new address.
   */
  async updateAddress(
    host: string,
    port: number,
    rack: string | null = this.#rack,
  ): Promise<void> {
    this.#rack = rack;
    if (host === this.#host && port === this.#port) return;
    this.#host = host;
    this.#port = port;
    const old = [this.#main, this.#offsets, ...this.#groups.values()];
    this.#main = this.#managed(this.#settings.socketTimeoutMs ?? 30_000);
    this.#offsets = undefined;
    const groupIds = [...this.#groups.keys()];
    this.#groups.clear();
    for (const id of groupIds) {
      this.#groups.set(
        id,
        this.#managed(this.#settings.socketTimeoutMs ?? 30_000),
      );
    }
    await Promise.all(old.map((c) => c?.close()));
  }

  /** Closes every connection to this broker; later requests are rejected. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const all = [this.#main, this.#offsets, ...this.#groups.values()];
    this.#groups.clear();
    await Promise.all(all.map((c) => c?.close()));
  }

  /** Same as {@linkcode Broker.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** `Broker(1, 127.0.0.1:9092)`. */
  toString(): string {
    return `Broker(${this.id}, ${this.address})`;
  }
}
