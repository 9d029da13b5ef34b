/**
 * The cluster layer: {@linkcode Cluster} (metadata, brokers, controller,
 * refresh, group coordinators, ZooKeeper discovery), {@linkcode Broker}
 * (the connections to one broker), {@linkcode ClusterTopic} and
 * {@linkcode Partition} (leaders, replicas, offset lookups),
 * {@linkcode TopicDict} (lazily created, weakly held topics),
 * {@linkcode OffsetType} and {@linkcode ZookeeperClient} (a ZooKeeper
 * session that survives, for the ZooKeeper-coordinated consumer).
 *
 * ## How producers and consumers use the cluster layer
 *
 * **The leader's connection for a partition.** `partition.leader` is the
 * leader {@linkcode Broker} (it throws `LeaderNotFoundError`, retriable,
 * while there is none). Send with `broker.send(api, request, options)`;
 * the connection opens on first use and reopens after a drop (requests in
 * flight when it drops reject with `SocketDisconnectedError`; they are
 * not resent).
 *
 * ```ts
 * import { Admin, Cluster, encodeRecords } from "@denokafka/kafka";
 * import { Produce } from "@denokafka/kafka/protocol";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * await using cluster = new Cluster({ hosts });
 * await cluster.connect();
 * const admin = new Admin(cluster);
 * const name = `orders-${crypto.randomUUID()}`;
 * await admin.createTopics([{ name }]);
 * try {
 *   const topic = await cluster.topics.get(name);
 *   const leader = topic.partitions.get(0)!.leader;
 *   const version = await leader.apiVersion(Produce); // negotiated
 *   const records = encodeRecords({ records: [{ key: null, value: new TextEncoder().encode("hi") }] });
 *   const partitionData = [{ index: 0, records }];
 *   const request = {
 *     acks: 1,
 *     timeoutMs: 30_000,
 *     topicData: [version >= 13 ? { topicId: topic.topicId, partitionData } : { name, partitionData }],
 *   };
 *   const res = await leader.send(Produce, request, { version, timeoutMs: 30_000 });
 *   console.log(res.responses[0].partitionResponses[0].baseOffset); // 0
 *   // acks=0: await leader.send(Produce, { ...request, acks: 0 }, { version, expectResponse: false });
 * } finally {
 *   await admin.deleteTopics([name]);
 * }
 * ```
 *
 * **Refreshing metadata on NOT_LEADER.** Turn the partition's error code
 * into an error with `errorForCode(code)` and hand it (or a thrown
 * `SocketDisconnectedError` / `LeaderNotFoundError`) to
 * `cluster.updateOnError(err)`: for stale-metadata errors
 * (`InvalidMetadataError`: NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION,
 * LEADER_NOT_AVAILABLE, a dropped connection, ...) it refreshes and resolves
 * `true`, and `partition.leader` is then the new leader; otherwise it
 * resolves `false`. Concurrent refreshes are coalesced, so calling it from
 * every failed partition is fine. `cluster.update()` refreshes
 * unconditionally.
 *
 * ```ts
 * import { Cluster, errorForCode } from "@denokafka/kafka";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * await using cluster = new Cluster({ hosts });
 * await cluster.connect();
 * const p = { errorCode: 6 }; // a partition's answer: NOT_LEADER_OR_FOLLOWER
 * if (p.errorCode !== 0) {
 *   const err = errorForCode(p.errorCode);
 *   if (await cluster.updateOnError(err)) console.log("refreshed: retry on the new leader");
 *   else throw err;
 * }
 * ```
 *
 * **The group coordinator.** `await cluster.getGroupCoordinator(group)`
 * resolves with the coordinator `Broker` (cached per group; lookups retry
 * with backoff while the coordinator is loading or not available). Send
 * OffsetCommit / OffsetFetch on its offsets channel
 * (`broker.sendOffsets(...)`, or the helpers
 * `broker.commitConsumerGroupOffsets` / `broker.fetchConsumerGroupOffsets`),
 * and JoinGroup / SyncGroup / Heartbeat / LeaveGroup on a dedicated
 * connection: `broker.groupConnection(consumerId).send(...)` (fetch it
 * again after a coordinator change rather than keeping it; close it with
 * `broker.closeGroupConnection(consumerId)`). On NOT_COORDINATOR (16),
 * COORDINATOR_NOT_AVAILABLE (15) or a dropped connection call
 * `cluster.invalidateCoordinator(group)` and look it up again.
 *
 * ```ts
 * import { Cluster } from "@denokafka/kafka";
 * import { Heartbeat } from "@denokafka/kafka/protocol";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * await using cluster = new Cluster({ hosts });
 * await cluster.connect();
 * let coordinator = await cluster.getGroupCoordinator("g");
 * const hb = { groupId: "g", generationId: -1, memberId: "" };
 * const res = await coordinator.groupConnection("member-1").send(Heartbeat, hb);
 * if (res.errorCode === 16 || res.errorCode === 15) {
 *   cluster.invalidateCoordinator("g");
 *   coordinator = await cluster.getGroupCoordinator("g");
 * }
 * await coordinator.closeGroupConnection("member-1");
 * ```
 *
 * **The negotiated version of an API.** `await broker.apiVersion(api)` is
 * the highest version both the broker and the client's codec support
 * (`UnsupportedVersionError` when none); `await broker.supports(api, min)`
 * asks whether a version is available; `broker.versions` is the broker's
 * whole `ApiVersionTable` once connected. Build requests with only the
 * fields that version has (encoders reject non-default values of fields a
 * version lacks). `topic.topicId` is the topic id for Fetch v13+ and
 * Produce v13.
 *
 * **Offsets.** `partition.earliestAvailableOffset()`,
 * `partition.latestAvailableOffset()`,
 * `partition.fetchOffsetLimit(dateOrTimestampOrOffsetType)`, and the same
 * over a whole topic (`topic.earliestAvailableOffsets()`, ...), or
 * `broker.listOffsets([...])` for a batch with `isolationLevel`.
 *
 * @example
 * ```ts
 * import { Admin, Cluster, OffsetType } from "@denokafka/kafka";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * await using cluster = new Cluster({ hosts });
 * await cluster.connect();
 * const admin = new Admin(cluster);
 * const name = `orders-${crypto.randomUUID()}`;
 * await admin.createTopics([{ name, numPartitions: 2 }]);
 * try {
 *   const topic = await cluster.topics.get(name);
 *   console.log(await topic.fetchOffsetLimits(OffsetType.EARLIEST));
 * } finally {
 *   await admin.deleteTopics([name]);
 * }
 * ```
 *
 * @module
 */
// Types of lower layers that this layer's API mentions.
export type {
  ApiMessage,
  DescribeGroupsResponse,
  ListGroupsResponse,
  MetadataResponse,
  MetadataResponsePartition,
  MetadataResponseTopic,
} from "../protocol/mod.ts";
export type {
  ApiVersionTable,
  BackoffOptions,
  BrokerConnection,
  BrokerVersion,
  ManagedConnection,
  SaslConfig,
  SendOptions,
  SslConfig,
  VersionedApi,
} from "../network/mod.ts";
export {
  Broker,
  type CommitOptions,
  type CommittedOffset,
  type CommittedOffsets,
  type ConnectionSettings,
  type CoordinatorAnswer,
  type OffsetToCommit,
  type PartitionOffsetRequest,
  type PartitionOffsets,
} from "./broker.ts";
export { Cluster, type ClusterOptions } from "./cluster.ts";
export type { CallOptions } from "../util/deadline.ts";
export { ClusterTopic } from "./topic_base.ts";
export { Partition } from "./partition.ts";
export {
  TopicDict,
  type TopicFactory,
  type TopicGetOptions,
} from "./topic_dict.ts";
export { OffsetType } from "./offset_type.ts";
export { type UseWorkers, workerMode } from "./use_workers.ts";
export {
  DEFAULT_KAFKA_PORT,
  formatHostPort,
  type HostPort,
  parseHostPort,
  parseHosts,
} from "./hosts.ts";
export {
  discoverBrokersFromZookeeper,
  endpointFor,
  type SecurityProtocol,
  securityProtocolOf,
  type ZookeeperBroker,
  type ZookeeperDiscoveryOptions,
  type ZookeeperRegistration,
} from "./zookeeper.ts";
export {
  type ChildrenWatch,
  ZookeeperClient,
  type ZookeeperClientId,
  type ZookeeperClientOptions,
  type ZookeeperCreateOptions,
  type ZookeeperNode,
  type ZookeeperReadOptions,
  type ZookeeperStat,
  type ZookeeperState,
} from "./zookeeper_client.ts";
