/**
 * {@linkcode Broker}: one Kafka broker of the cluster and the connections
 * the client keeps to it.
 *
 * @module
 */

import { KafkaError, SocketDisconnectedError } from "../errors/mod.ts";
import {
  type ApiMessage,
  DescribeGroups,
  type DescribeGroupsResponse,
  FindCoordinator,
  ListGroups,
  type ListGroupsResponse,
  ListOffsets,
  type ListOffsetsRequest,
  Metadata,
  type MetadataRequest,
  type MetadataResponse,
  OffsetCommit,
  type OffsetCommitRequest,
  OffsetFetch,
  type OffsetFetchRequest,
} from "../protocol/mod.ts";
import {
  type ApiVersionTable,
  type BackoffOptions,
  type BrokerConnection,
  type BrokerVersion,
  ManagedConnection,
  type SaslConfig,
  type SendOptions,
  type SslConfig,
  type TransportFactory,
  type VersionedApi,
} from "../network/mod.ts";
import { formatHostPort } from "./hosts.ts";
import { validateOptions } from "../util/options.ts";
import { CONNECTION_SETTINGS_RULES } from "./_options.ts";

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
}

/** One partition's answer to an offset lookup (see {@linkcode Broker.listOffsets}). */
export interface PartitionOffsets {
  /** Topic name. */
  topic: string;
  /** Partition id. */
  partition: number;
  /** Kafka error code, 0 when the lookup worked. */
  errorCode: number;
  /**
   * The offsets found: ListOffsets v0 may return several (segment base
   * offsets, newest first); v1+ returns at most one. Empty when no offset
   * matches (a timestamp after the last record).
   */
  offsets: number[];
  /** Timestamp of the record at `offsets[0]` (v1+), else -1. */
  timestamp: number;
  /** Leader epoch of that record (v4+), else -1. */
  leaderEpoch: number;
}

/** One partition of an offset lookup request. */
export interface PartitionOffsetRequest {
  /** Topic name. */
  topic: string;
  /** Partition id. */
  partition: number;
  /** `-2` earliest, `-1` latest, or a timestamp in ms since the epoch. */
  timestamp: number;
  /** Most offsets to return (ListOffsets v0 only; default 1). */
  maxNumOffsets?: number;
  /** The leader epoch the client knows (v4+; default -1, none). */
  currentLeaderEpoch?: number;
}

/** The coordinator a broker named in a FindCoordinator answer. */
export interface CoordinatorAnswer {
  /** Kafka error code, 0 when found. */
  errorCode: number;
  /** The broker's error message, if any. */
  errorMessage: string | null;
  /** Coordinator broker id. */
  nodeId: number;
  /** Coordinator host. */
  host: string;
  /** Coordinator port. */
  port: number;
}

/** One committed offset to store (see {@linkcode Broker.commitConsumerGroupOffsets}). */
export interface OffsetToCommit {
  /** Topic name. */
  topic: string;
  /** Partition id. */
  partition: number;
  /** The offset of the next record to consume. */
  offset: number;
  /** Metadata string stored with the offset (default `""`). */
  metadata?: string | null;
  /** Leader epoch of the last consumed record (v6+; default -1). */
  leaderEpoch?: number;
}

/** A committed offset read back (see {@linkcode Broker.fetchConsumerGroupOffsets}). */
export interface CommittedOffset {
  /** Topic name. */
  topic: string;
  /** Partition id. */
  partition: number;
  /** The committed offset, -1 when the group has none for the partition. */
  offset: number;
  /** Leader epoch stored with the offset (v5+), else -1. */
  leaderEpoch: number;
  /** Metadata stored with the offset. */
  metadata: string | null;
  /** Kafka error code of this partition, 0 when fine. */
  errorCode: number;
}

/** The answer to {@linkcode Broker.fetchConsumerGroupOffsets}. */
export interface CommittedOffsets {
  /** Group-level error code (OffsetFetch v2+), 0 when fine. */
  errorCode: number;
  /** Per-partition offsets. */
  partitions: CommittedOffset[];
}

/** Options of {@linkcode Broker.commitConsumerGroupOffsets}. */
export interface CommitOptions {
  /** Generation id (or member epoch) of the group (default -1: no membership). */
  generationId?: number;
  /** Member id assigned by the coordinator (default `""`). */
  memberId?: string;
  /** Static member id (v7+). */
  groupInstanceId?: string | null;
  /** Cancels the request. */
  signal?: AbortSignal;
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
 * ```ts ignore
 * import { Metadata } from "../protocol/mod.ts";
 * const broker = client.brokers.get(1)!;
 * const version = await broker.apiVersion(Metadata);
 * const md = await broker.send(Metadata, { topics: null, allowAutoTopicCreation: false });
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
    const s = this.#settings;
    return new ManagedConnection({
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
    });
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
   * ```ts ignore
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
   * ```ts ignore
   * import { Produce } from "../protocol/mod.ts";
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
   * ```ts ignore
   * import { DeleteGroups } from "../protocol/mod.ts";
   * if (await broker.supports(DeleteGroups)) { ... }
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
   * ```ts ignore
   * const res = await broker.send(ListGroups, {});
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
   * ```ts ignore
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
   * ```ts ignore
   * const res = await coordinator.sendOffsets(OffsetFetch, request);
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
   * ```ts ignore
   * const conn = broker.groupConnection("consumer-1");
   * const joined = await conn.send(JoinGroup, joinRequest, { timeoutMs: 60_000 });
   * await broker.closeGroupConnection("consumer-1");
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
   * ```ts ignore
   * const md = await broker.requestMetadata(["orders"]);
   * console.log(md.topics[0].partitions.length);
   * ```
   */
  async requestMetadata(
    topics: readonly string[] | null,
    options: { allowAutoTopicCreation?: boolean; signal?: AbortSignal } = {},
  ): Promise<MetadataResponse> {
    const version = await this.apiVersion(Metadata, options.signal);
    const create = options.allowAutoTopicCreation ?? false;
    const narrow = topics !== null && version < 4 && !create;
    const request: MetadataRequest = {
      topics: topics === null || narrow
        ? (version === 0 ? [] : null)
        : topics.map((name) => ({ name })),
    };
    if (version >= 4) request.allowAutoTopicCreation = create;
    const res = await this.send(Metadata, request, {
      version,
      signal: options.signal,
    });
    if (!narrow) return res;
    return {
      ...res,
      topics: topics.map((name) =>
        res.topics.find((t) => t.name === name) ??
          { errorCode: 3, name, partitions: [] }
      ),
    };
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
   * ```ts ignore
   * const [p] = await broker.listOffsets([{ topic: "t", partition: 0, timestamp: -1 }]);
   * console.log(p.offsets[0]); // the high watermark
   * ```
   */
  async listOffsets(
    partitions: readonly PartitionOffsetRequest[],
    options: { isolationLevel?: 0 | 1; signal?: AbortSignal } = {},
  ): Promise<PartitionOffsets[]> {
    const version = await this.apiVersion(ListOffsets, options.signal);
    const byTopic = new Map<string, PartitionOffsetRequest[]>();
    for (const p of partitions) {
      let l = byTopic.get(p.topic);
      if (!l) byTopic.set(p.topic, l = []);
      l.push(p);
    }
    const request: ListOffsetsRequest = {
      replicaId: -1,
      topics: [...byTopic].map(([name, ps]) => ({
        name,
        partitions: ps.map((p) => ({
          partitionIndex: p.partition,
          timestamp: p.timestamp,
          ...(version === 0 ? { maxNumOffsets: p.maxNumOffsets ?? 1 } : {}),
          ...(version >= 4 && p.currentLeaderEpoch !== undefined
            ? { currentLeaderEpoch: p.currentLeaderEpoch }
            : {}),
        })),
      })),
    };
    if (version >= 2) request.isolationLevel = options.isolationLevel ?? 0;
    else if ((options.isolationLevel ?? 0) !== 0) {
      throw new KafkaError(
        `read-committed offset lookups need ListOffsets v2 (Kafka 0.11+); broker ${this.id} serves v${version}`,
      );
    }
    const res = await this.send(ListOffsets, request, {
      version,
      signal: options.signal,
    });
    const out: PartitionOffsets[] = [];
    for (const t of res.topics) {
      for (const p of t.partitions) {
        let offsets: number[];
        if (version === 0) offsets = p.oldStyleOffsets ?? [];
        else {
          const o = p.offset ?? -1;
          offsets = o >= 0 ? [o] : [];
        }
        out.push({
          topic: t.name,
          partition: p.partitionIndex,
          errorCode: p.errorCode,
          offsets,
          timestamp: p.timestamp ?? -1,
          leaderEpoch: p.leaderEpoch ?? -1,
        });
      }
    }
    return out;
  }

  /**
   * FindCoordinator for one key (a group id, `keyType` 0, or a
   * transactional id, `keyType` 1), normalized across versions (v4+
   * batches keys; this sends one).
   *
   * @example
   * ```ts ignore
   * const c = await broker.findCoordinator("my-group");
   * if (c.errorCode === 0) console.log(c.nodeId, c.host, c.port);
   * ```
   */
  async findCoordinator(
    key: string,
    keyType: 0 | 1 = 0,
    signal?: AbortSignal,
  ): Promise<CoordinatorAnswer> {
    const version = await this.apiVersion(FindCoordinator, signal);
    if (keyType !== 0 && version === 0) {
      throw new KafkaError(
        `transaction coordinators need FindCoordinator v1 (Kafka 0.11+); broker ${this.id} serves v0`,
      );
    }
    const request = version >= 4
      ? { keyType, coordinatorKeys: [key] }
      : version >= 1
      ? { key, keyType }
      : { key };
    const res = await this.send(FindCoordinator, request, { version, signal });
    if (version >= 4) {
      const c = res.coordinators?.[0];
      if (!c) {
        throw new KafkaError(
          `broker ${this.id} answered FindCoordinator for ${
            JSON.stringify(key)
          } without a coordinator`,
        );
      }
      return {
        errorCode: c.errorCode,
        errorMessage: c.errorMessage,
        nodeId: c.nodeId,
        host: c.host,
        port: c.port,
      };
    }
    return {
      errorCode: res.errorCode ?? 0,
      errorMessage: res.errorMessage ?? null,
      nodeId: res.nodeId ?? -1,
      host: res.host ?? "",
      port: res.port ?? 0,
    };
  }

  /**
   * OffsetCommit on the offsets channel (send it to the group's
   * coordinator). Resolves with the per-partition error codes (0 = stored).
   *
   * Without `generationId` / `memberId` the commit is a "standalone" one,
   * accepted for groups that have no active members.
   *
   * @example
   * ```ts ignore
   * const coordinator = await cluster.getGroupCoordinator("g");
   * const res = await coordinator.commitConsumerGroupOffsets("g", [
   *   { topic: "t", partition: 0, offset: 42 },
   * ]);
   * ```
   */
  async commitConsumerGroupOffsets(
    groupId: string,
    offsets: readonly OffsetToCommit[],
    options: CommitOptions = {},
  ): Promise<
    { topic: string; partition: number; errorCode: number }[]
  > {
    const channel = this.#offsetsChannel();
    const conn = await channel.connection(options.signal);
    const version = conn.versions.pick(OffsetCommit);
    const byTopic = new Map<string, OffsetToCommit[]>();
    for (const o of offsets) {
      let l = byTopic.get(o.topic);
      if (!l) byTopic.set(o.topic, l = []);
      l.push(o);
    }
    const request: OffsetCommitRequest = {
      groupId,
      topics: [...byTopic].map(([name, ps]) => ({
        name,
        partitions: ps.map((p) => ({
          partitionIndex: p.partition,
          committedOffset: p.offset,
          committedMetadata: p.metadata === undefined ? "" : p.metadata,
          ...(version >= 6 && p.leaderEpoch !== undefined
            ? { committedLeaderEpoch: p.leaderEpoch }
            : {}),
        })),
      })),
    };
    if (version >= 1) {
      request.generationIdOrMemberEpoch = options.generationId ?? -1;
      request.memberId = options.memberId ?? "";
    } else if (options.generationId !== undefined || options.memberId) {
      throw new KafkaError(
        `group membership commits need OffsetCommit v1+; broker ${this.id} serves v0`,
      );
    }
    if (version >= 7 && options.groupInstanceId !== undefined) {
      request.groupInstanceId = options.groupInstanceId;
    }
    const res = await channel.send(OffsetCommit, request, {
      version,
      signal: options.signal,
    });
    return res.topics.flatMap((t) =>
      t.partitions.map((p) => ({
        topic: t.name,
        partition: p.partitionIndex,
        errorCode: p.errorCode,
      }))
    );
  }

  /**
   * OffsetFetch on the offsets channel (send it to the group's
   * coordinator): the committed offsets of a group, for some partitions or
   * (`null`, OffsetFetch v2+) for every partition the group has offsets for.
   *
   * @example
   * ```ts ignore
   * const res = await coordinator.fetchConsumerGroupOffsets("g", [{ topic: "t", partitions: [0, 1] }]);
   * for (const p of res.partitions) console.log(p.partition, p.offset);
   * ```
   */
  async fetchConsumerGroupOffsets(
    groupId: string,
    topics: readonly { topic: string; partitions: readonly number[] }[] | null,
    options: { requireStable?: boolean; signal?: AbortSignal } = {},
  ): Promise<CommittedOffsets> {
    const channel = this.#offsetsChannel();
    const conn = await channel.connection(options.signal);
    const version = conn.versions.pick(OffsetFetch);
    if (topics === null && version < 2) {
      throw new KafkaError(
        `fetching every committed offset of a group needs OffsetFetch v2 (Kafka 0.10.2+); broker ${this.id} serves v${version}`,
      );
    }
    const ts = topics?.map((t) => ({
      name: t.topic,
      partitionIndexes: [...t.partitions],
    })) ?? null;
    let request: OffsetFetchRequest;
    if (version >= 8) {
      request = { groups: [{ groupId, topics: ts }] };
    } else {
      request = { groupId, topics: ts };
    }
    if (version >= 7 && options.requireStable) request.requireStable = true;
    const res = await channel.send(OffsetFetch, request, {
      version,
      signal: options.signal,
    });
    if (version >= 8) {
      const g = res.groups?.[0];
      return {
        errorCode: g?.errorCode ?? 0,
        partitions: (g?.topics ?? []).flatMap((t) =>
          t.partitions.map((p) => ({
            topic: t.name,
            partition: p.partitionIndex,
            offset: p.committedOffset,
            leaderEpoch: p.committedLeaderEpoch,
            metadata: p.metadata,
            errorCode: p.errorCode,
          }))
        ),
      };
    }
    return {
      errorCode: res.errorCode ?? 0,
      partitions: (res.topics ?? []).flatMap((t) =>
        t.partitions.map((p) => ({
          topic: t.name,
          partition: p.partitionIndex,
          offset: p.committedOffset,
          leaderEpoch: p.committedLeaderEpoch ?? -1,
          metadata: p.metadata,
          errorCode: p.errorCode,
        }))
      ),
    };
  }

  /**
   * ListGroups: the consumer groups this broker coordinates.
   *
   * @example
   * ```ts ignore
   * const { groups } = await broker.listGroups();
   * ```
   */
  listGroups(signal?: AbortSignal): Promise<ListGroupsResponse> {
    return this.send(ListGroups, {}, { signal });
  }

  /**
   * DescribeGroups for groups this broker coordinates.
   *
   * @example
   * ```ts ignore
   * const { groups } = await coordinator.describeGroups(["g"]);
   * console.log(groups[0].groupState);
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
