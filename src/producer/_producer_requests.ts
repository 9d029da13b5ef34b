// Version reconciliation of the producer's id and transaction APIs
// (internal), one `ApiCall` per API in the style of
// `src/cluster/_api_requests.ts`: InitProducerId, AddPartitionsToTxn,
// AddOffsetsToTxn, TxnOffsetCommit, EndTxn, and the transactions v2
// (KIP-890) check. Nothing else in the producer branches on these APIs'
// versions. Produce is shaped by the broker sink (`_sink.ts`).
import {
  errorForCode,
  type KafkaError,
  UnsupportedVersionError,
} from "../errors/mod.ts";
import {
  AddOffsetsToTxn,
  type AddOffsetsToTxnRequest,
  type AddOffsetsToTxnResponse,
  AddPartitionsToTxn,
  type AddPartitionsToTxnRequest,
  type AddPartitionsToTxnResponse,
  ApiVersions,
  EndTxn,
  type EndTxnRequest,
  type EndTxnResponse,
  InitProducerId,
  type InitProducerIdRequest,
  type InitProducerIdResponse,
  Produce,
  TxnOffsetCommit,
  type TxnOffsetCommitRequest,
  type TxnOffsetCommitResponse,
} from "../protocol/mod.ts";
import type { ApiCall } from "../cluster/_api_requests.ts";
import type { Broker } from "../cluster/mod.ts";
import { VERSION } from "../version.ts";

/** A producer id and epoch. */
export interface ProducerIdAndEpoch {
  id: number;
  epoch: number;
}

/** Input of {@linkcode INIT_PRODUCER_ID}. */
export interface InitProducerIdInput {
  /** The transactional id, `null` for an idempotent producer. */
  transactionalId: string | null;
  /** The transaction timeout the coordinator enforces (ms). */
  transactionTimeoutMs: number;
  /**
   * The producer id whose epoch to bump (KIP-360, v3+). Older versions
   * cannot name it: a transactional id gets its epoch bumped anyway, an
   * idempotent producer gets a new id.
   */
  current?: ProducerIdAndEpoch;
}

/**
 * InitProducerId: a producer id and epoch (an error code in the answer is
 * thrown as its error class).
 */
export const INIT_PRODUCER_ID: ApiCall<
  InitProducerIdInput,
  InitProducerIdRequest,
  InitProducerIdResponse,
  ProducerIdAndEpoch
> = {
  api: InitProducerId,
  request(version, { transactionalId, transactionTimeoutMs, current }) {
    const request: InitProducerIdRequest = {
      transactionalId,
      transactionTimeoutMs,
    };
    if (version >= 3) {
      request.producerId = current?.id ?? -1;
      request.producerEpoch = current?.epoch ?? -1;
    }
    return request;
  },
  result(_version, res) {
    if (res.errorCode !== 0) throw errorForCode(res.errorCode);
    return { id: res.producerId, epoch: res.producerEpoch };
  },
};

/** The transactional producer a transaction request speaks for. */
export interface TxnProducer {
  /** The transactional id. */
  transactionalId: string;
  /** Its producer id and epoch. */
  producer: ProducerIdAndEpoch;
}

/** One partition named in a transaction request. */
export interface TxnPartition {
  topic: string;
  partition: number;
}

/** One partition's answer to AddPartitionsToTxn. */
export interface TxnPartitionResult extends TxnPartition {
  /** The partition's error, `null` once it is in the transaction. */
  error: KafkaError | null;
}

/**
 * AddPartitionsToTxn from a client: versions up to 3 (v4+ is the brokers'
 * own batched form). The answer lists every partition with its error.
 */
export const ADD_PARTITIONS_TO_TXN: ApiCall<
  TxnProducer & { partitions: readonly TxnPartition[] },
  AddPartitionsToTxnRequest,
  AddPartitionsToTxnResponse,
  TxnPartitionResult[]
> = {
  api: AddPartitionsToTxn,
  maxVersion: () => 3,
  request(_version, { transactionalId, producer, partitions }) {
    const byTopic = new Map<string, number[]>();
    for (const p of partitions) {
      const l = byTopic.get(p.topic);
      if (l === undefined) byTopic.set(p.topic, [p.partition]);
      else l.push(p.partition);
    }
    return {
      v3AndBelowTransactionalId: transactionalId,
      v3AndBelowProducerId: producer.id,
      v3AndBelowProducerEpoch: producer.epoch,
      v3AndBelowTopics: [...byTopic].map(([name, partitions]) => ({
        name,
        partitions,
      })),
    };
  },
  result(_version, res) {
    const out: TxnPartitionResult[] = [];
    for (const t of res.resultsByTopicV3AndBelow ?? []) {
      for (const p of t.resultsByPartition) {
        const code = p.partitionErrorCode;
        out.push({
          topic: t.name,
          partition: p.partitionIndex,
          error: code === 0 ? null : errorForCode(
            code,
            `AddPartitionsToTxn ${t.name}/${p.partitionIndex}: ${
              errorForCode(code).message
            }`,
          ),
        });
      }
    }
    return out;
  },
};

/** AddOffsetsToTxn: the group's offsets partition joins the transaction. */
export const ADD_OFFSETS_TO_TXN: ApiCall<
  TxnProducer & { groupId: string },
  AddOffsetsToTxnRequest,
  AddOffsetsToTxnResponse,
  void
> = {
  api: AddOffsetsToTxn,
  request(_version, { transactionalId, producer, groupId }) {
    return {
      transactionalId,
      producerId: producer.id,
      producerEpoch: producer.epoch,
      groupId,
    };
  },
  result(_version, res) {
    if (res.errorCode !== 0) throw errorForCode(res.errorCode);
  },
};

/** Input of {@linkcode TXN_OFFSET_COMMIT}. */
export interface TxnOffsetCommitInput extends TxnProducer {
  /** Transactions v2 (KIP-890): v5 is allowed. */
  v2: boolean;
  groupId: string;
  /** The member's generation, -1 for a group without members. */
  generationId: number;
  /** The member id, "" for a group without members. */
  memberId: string;
  groupInstanceId: string | null;
  offsets: readonly (TxnPartition & {
    offset: number;
    leaderEpoch: number;
    metadata: string | null;
  })[];
}

/**
 * TxnOffsetCommit: v5 only with transactions v2; the group member
 * (KIP-447) needs v3+ (an older coordinator gets an
 * `UnsupportedVersionError`, not a commit without the member check). The
 * first partition error is thrown.
 */
export const TXN_OFFSET_COMMIT: ApiCall<
  TxnOffsetCommitInput,
  TxnOffsetCommitRequest,
  TxnOffsetCommitResponse,
  void
> = {
  api: TxnOffsetCommit,
  maxVersion: (input) => input.v2 ? 5 : 4,
  request(version, input) {
    const member = input.generationId !== -1 || input.memberId !== "" ||
      input.groupInstanceId !== null;
    if (member && version < 3) {
      throw new UnsupportedVersionError(
        `TxnOffsetCommit v${version} cannot carry the group member (generation, member id) of group ${
          JSON.stringify(input.groupId)
        }: the coordinator is older than Kafka 2.5 (KIP-447); give only the groupId`,
      );
    }
    const byTopic = new Map<
      string,
      TxnOffsetCommitInput["offsets"][number][]
    >();
    for (const o of input.offsets) {
      const l = byTopic.get(o.topic);
      if (l === undefined) byTopic.set(o.topic, [o]);
      else l.push(o);
    }
    const request: TxnOffsetCommitRequest = {
      transactionalId: input.transactionalId,
      groupId: input.groupId,
      producerId: input.producer.id,
      producerEpoch: input.producer.epoch,
      topics: [...byTopic].map(([name, list]) => ({
        name,
        partitions: list.map((x) => ({
          partitionIndex: x.partition,
          committedOffset: x.offset,
          committedLeaderEpoch: version >= 2 ? x.leaderEpoch : -1,
          committedMetadata: x.metadata,
        })),
      })),
    };
    if (version >= 3) {
      request.generationId = input.generationId;
      request.memberId = input.memberId;
      request.groupInstanceId = input.groupInstanceId;
    }
    return request;
  },
  result(_version, res, input) {
    for (const t of res.topics) {
      for (const p of t.partitions) {
        if (p.errorCode === 0) continue;
        throw errorForCode(
          p.errorCode,
          `TxnOffsetCommit ${input.groupId} ${t.name}/${p.partitionIndex}: ${
            errorForCode(p.errorCode).message
          }`,
        );
      }
    }
  },
};

/**
 * EndTxn: v5 only with transactions v2, whose answer carries the producer
 * id and epoch of the next transaction (returned; `null` before v5).
 */
export const END_TXN: ApiCall<
  TxnProducer & { committed: boolean; v2: boolean },
  EndTxnRequest,
  EndTxnResponse,
  ProducerIdAndEpoch | null
> = {
  api: EndTxn,
  maxVersion: (input) => input.v2 ? 5 : 4,
  request(_version, { transactionalId, producer, committed }) {
    return {
      transactionalId,
      producerId: producer.id,
      producerEpoch: producer.epoch,
      committed,
    };
  },
  result(version, res) {
    if (res.errorCode !== 0) throw errorForCode(res.errorCode);
    if (
      version < 5 || res.producerId === undefined || res.producerId < 0 ||
      res.producerEpoch === undefined || res.producerEpoch < 0
    ) return null;
    return { id: res.producerId, epoch: res.producerEpoch };
  },
};

/**
 * Transactions v2 (KIP-890): the broker speaks EndTxn v5 and Produce v12,
 * and the cluster finalized feature `transaction.version` at 2 or more
 * (asked with ApiVersions).
 */
export async function transactionsV2(
  broker: Broker,
  signal?: AbortSignal,
): Promise<boolean> {
  const v = broker.versions;
  if (v === undefined) return false;
  const end = v.range(EndTxn.apiKey);
  const produce = v.range(Produce.apiKey);
  if (!end || end.max < 5 || !produce || produce.max < 12) return false;
  const r = await broker.send(ApiVersions, {
    clientSoftwareName: "denokafka",
    clientSoftwareVersion: VERSION,
  }, { signal });
  const level =
    r.finalizedFeatures?.find((f) => f.name === "transaction.version")
      ?.maxVersionLevel ?? 0;
  return level >= 2;
}
