// Version reconciliation, one place per API: each `ApiCall` below shapes the
// request of one Kafka API for the version the broker speaks and
// normalizes its answer across versions, so no caller branches on versions
// of that API. `callApi` picks the version (the highest both sides
// support, on the connection the request goes out on) and runs a call.
//
// The Broker's helpers (`requestMetadata`, `listOffsets`,
// `findCoordinator`, `commitConsumerGroupOffsets`,
// `fetchConsumerGroupOffsets`) are these calls; the admin operations define
// theirs next to the operation (`src/admin/`), the producer's id and
// transaction APIs are in `src/producer/_producer_requests.ts` (Produce
// itself is shaped by the broker sink, `src/producer/_sink.ts`).

import { KafkaError } from "../errors/mod.ts";
import {
  type ApiMessage,
  FindCoordinator,
  type FindCoordinatorRequest,
  type FindCoordinatorResponse,
  ListOffsets,
  type ListOffsetsRequest,
  type ListOffsetsResponse,
  Metadata,
  type MetadataRequest,
  type MetadataResponse,
  OffsetCommit,
  type OffsetCommitRequest,
  type OffsetCommitResponse,
  OffsetFetch,
  type OffsetFetchRequest,
  type OffsetFetchResponse,
  type OffsetFetchResponsePartition,
  type OffsetFetchResponsePartitions,
} from "../protocol/mod.ts";
import type { Broker } from "./broker.ts";

/**
 * One Kafka API's request and answer, for every version the client speaks:
 * `request` builds the request for `version` (throwing when the version
 * cannot express the input), `result` normalizes the answer.
 */
export interface ApiCall<In, Req, Res, Out> {
  /** The API. */
  readonly api: ApiMessage<Req, Res>;
  /** Sent on the offsets channel (OffsetCommit, OffsetFetch). */
  readonly offsetsChannel?: boolean;
  /**
   * The highest version this input may use (default: the highest the
   * client speaks), for versions that mean something else (for example
   * EndTxn v5, which only transactions v2 may send).
   */
  maxVersion?(input: In): number;
  /** The request for `version`. */
  request(version: number, input: In, broker: Broker): Req;
  /** The answer, the same shape on every version. */
  result(version: number, res: Res, input: In, broker: Broker): Out;
}

/** Options of {@linkcode callApi}. */
export interface CallOptions {
  /** Cancels the request. */
  signal?: AbortSignal;
  /** Request timeout (default: the connection's). */
  timeoutMs?: number;
}

/**
 * Runs one call on `broker`: the version is the highest both sides support
 * on the connection it goes out on (the main connection, or the offsets
 * channel), connecting first if needed.
 */
export async function callApi<In, Req, Res, Out>(
  broker: Broker,
  call: ApiCall<In, Req, Res, Out>,
  input: In,
  options: CallOptions = {},
): Promise<Out> {
  const { signal, timeoutMs } = options;
  let version: number;
  let res: Res;
  if (call.offsetsChannel) {
    const conn = await broker.connectOffsetsChannel(signal);
    version = capped(call, input, conn.versions.pick(call.api));
    const request = call.request(version, input, broker);
    res = await broker.sendOffsets(call.api, request, {
      version,
      signal,
      timeoutMs,
    });
  } else {
    version = capped(call, input, await broker.apiVersion(call.api, signal));
    const request = call.request(version, input, broker);
    res = await broker.send(call.api, request, { version, signal, timeoutMs });
  }
  return call.result(version, res, input, broker);
}

function capped<In, Req, Res, Out>(
  call: ApiCall<In, Req, Res, Out>,
  input: In,
  version: number,
): number {
  return call.maxVersion === undefined
    ? version
    : Math.min(version, call.maxVersion(input));
}

function byTopic<T extends { topic: string }>(
  items: readonly T[],
): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const p of items) {
    let l = out.get(p.topic);
    if (!l) out.set(p.topic, l = []);
    l.push(p);
  }
  return out;
}

// --- Metadata ---------------------------------------------------------------

/** Input of {@linkcode METADATA}. */
export interface MetadataInput {
  /** Topic names, or `null` for every topic. */
  topics: readonly string[] | null;
  /** Let a broker with `auto.create.topics.enable` create named topics. */
  allowAutoTopicCreation: boolean;
}

/**
 * Metadata for some topics or all. Brokers whose Metadata is older than v4
 * create every named topic they are asked about, so without
 * `allowAutoTopicCreation` they are asked for every topic and the answer is
 * narrowed to the named ones (a missing one appears with error code 3).
 * v0 spells "every topic" as an empty list, later versions as `null`.
 */
export const METADATA: ApiCall<
  MetadataInput,
  MetadataRequest,
  MetadataResponse,
  MetadataResponse
> = {
  api: Metadata,
  request(version, { topics, allowAutoTopicCreation }) {
    const request: MetadataRequest = {
      topics:
        topics === null || narrowed(version, topics, allowAutoTopicCreation)
          ? (version === 0 ? [] : null)
          : topics.map((name) => ({ name })),
    };
    if (version >= 4) request.allowAutoTopicCreation = allowAutoTopicCreation;
    return request;
  },
  result(version, res, { topics, allowAutoTopicCreation }) {
    if (topics === null || !narrowed(version, topics, allowAutoTopicCreation)) {
      return res;
    }
    return {
      ...res,
      topics: topics.map((name) =>
        res.topics.find((t) => t.name === name) ??
          { errorCode: 3, name, partitions: [] }
      ),
    };
  },
};

function narrowed(
  version: number,
  topics: readonly string[] | null,
  create: boolean,
): boolean {
  return topics !== null && version < 4 && !create;
}

// --- ListOffsets ------------------------------------------------------------

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

/** Input of {@linkcode LIST_OFFSETS}. */
export interface ListOffsetsInput {
  /** What to look up. */
  partitions: readonly PartitionOffsetRequest[];
  /** 0 read uncommitted (default), 1 read committed (v2+). */
  isolationLevel?: 0 | 1;
}

/**
 * ListOffsets, normalized: v0 returns several offsets per partition
 * (pykafka's segment semantics), v1+ one precise offset (and a timestamp;
 * v4+ a leader epoch). Read-committed lookups need v2.
 */
export const LIST_OFFSETS: ApiCall<
  ListOffsetsInput,
  ListOffsetsRequest,
  ListOffsetsResponse,
  PartitionOffsets[]
> = {
  api: ListOffsets,
  request(version, { partitions, isolationLevel }, broker) {
    const request: ListOffsetsRequest = {
      replicaId: -1,
      topics: [...byTopic(partitions)].map(([name, ps]) => ({
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
    if (version >= 2) request.isolationLevel = isolationLevel ?? 0;
    else if ((isolationLevel ?? 0) !== 0) {
      throw new KafkaError(
        `read-committed offset lookups need ListOffsets v2 (Kafka 0.11+); broker ${broker.id} serves v${version}`,
      );
    }
    return request;
  },
  result(version, res) {
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
  },
};

/**
 * Where a lookup by time goes when the broker found no offset: v1+ found
 * no record at or after the time, so the latest offset (-1); v0 found no
 * segment written before it, so the earliest (-2).
 */
export function noOffsetForTime(listOffsetsVersion: number): -1 | -2 {
  return listOffsetsVersion >= 1 ? -1 : -2;
}

// --- FindCoordinator --------------------------------------------------------

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

/** Input of {@linkcode FIND_COORDINATOR}. */
export interface FindCoordinatorInput {
  /** A group id or a transactional id. */
  key: string;
  /** 0 group, 1 transaction (v1+). */
  keyType: 0 | 1;
}

/**
 * FindCoordinator for one key: v0 takes a group id only, v1-3 a key and its
 * type, v4+ a batch of keys (this sends one) and answers per key.
 */
export const FIND_COORDINATOR: ApiCall<
  FindCoordinatorInput,
  FindCoordinatorRequest,
  FindCoordinatorResponse,
  CoordinatorAnswer
> = {
  api: FindCoordinator,
  request(version, { key, keyType }, broker) {
    if (keyType !== 0 && version === 0) {
      throw new KafkaError(
        `transaction coordinators need FindCoordinator v1 (Kafka 0.11+); broker ${broker.id} serves v0`,
      );
    }
    return version >= 4
      ? { keyType, coordinatorKeys: [key] }
      : version >= 1
      ? { key, keyType }
      : { key };
  },
  result(version, res, { key }, broker) {
    if (version >= 4) {
      const c = res.coordinators?.[0];
      if (!c) {
        throw new KafkaError(
          `broker ${broker.id} answered FindCoordinator for ${
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
  },
};

// --- OffsetCommit -----------------------------------------------------------

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

/** Input of {@linkcode OFFSET_COMMIT}. */
export interface OffsetCommitInput {
  /** The group. */
  groupId: string;
  /** What to store. */
  offsets: readonly OffsetToCommit[];
  /** Membership (v1+) and static member id (v7+). */
  options: CommitOptions;
}

/**
 * OffsetCommit, on the offsets channel: group membership needs v1+, leader
 * epochs v6+, a static member id v7+. The answer: per-partition error
 * codes.
 */
export const OFFSET_COMMIT: ApiCall<
  OffsetCommitInput,
  OffsetCommitRequest,
  OffsetCommitResponse,
  { topic: string; partition: number; errorCode: number }[]
> = {
  api: OffsetCommit,
  offsetsChannel: true,
  request(version, { groupId, offsets, options }, broker) {
    const request: OffsetCommitRequest = {
      groupId,
      topics: [...byTopic(offsets)].map(([name, ps]) => ({
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
        `group membership commits need OffsetCommit v1+; broker ${broker.id} serves v0`,
      );
    }
    if (version >= 7 && options.groupInstanceId !== undefined) {
      request.groupInstanceId = options.groupInstanceId;
    }
    return request;
  },
  result(_version, res) {
    return res.topics.flatMap((t) =>
      t.partitions.map((p) => ({
        topic: t.name,
        partition: p.partitionIndex,
        errorCode: p.errorCode,
      }))
    );
  },
};

// --- OffsetFetch ------------------------------------------------------------

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

/** Input of {@linkcode OFFSET_FETCH}. */
export interface OffsetFetchInput {
  /** The group. */
  groupId: string;
  /** Partitions by topic, or `null` for every partition with an offset (v2+). */
  topics: readonly { topic: string; partitions: readonly number[] }[] | null;
  /** Wait for pending transactional offsets (v7+). */
  requireStable?: boolean;
}

/**
 * OffsetFetch, on the offsets channel: "every partition" needs v2+,
 * `requireStable` v7+; v8+ batches groups (this sends one) and answers per
 * group. Leader epochs from v5.
 */
export const OFFSET_FETCH: ApiCall<
  OffsetFetchInput,
  OffsetFetchRequest,
  OffsetFetchResponse,
  CommittedOffsets
> = {
  api: OffsetFetch,
  offsetsChannel: true,
  request(version, { groupId, topics, requireStable }, broker) {
    if (topics === null && version < 2) {
      throw new KafkaError(
        `fetching every committed offset of a group needs OffsetFetch v2 (Kafka 0.10.2+); broker ${broker.id} serves v${version}`,
      );
    }
    const ts = topics?.map((t) => ({
      name: t.topic,
      partitionIndexes: [...t.partitions],
    })) ?? null;
    const request: OffsetFetchRequest = version >= 8
      ? { groups: [{ groupId, topics: ts }] }
      : { groupId, topics: ts };
    if (version >= 7 && requireStable) request.requireStable = true;
    return request;
  },
  result(version, res) {
    // v8+ answers per group (one here); before, for the one group.
    const g = version >= 8 ? res.groups?.[0] : undefined;
    const topics: {
      name: string;
      partitions:
        (OffsetFetchResponsePartition | OffsetFetchResponsePartitions)[];
    }[] = (version >= 8 ? g?.topics : res.topics) ?? [];
    return {
      errorCode: (version >= 8 ? g?.errorCode : res.errorCode) ?? 0,
      partitions: topics.flatMap((t) =>
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
  },
};
