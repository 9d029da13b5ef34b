// Shared helpers of the client/cluster tests: unique names, and producing
// records with raw Produce requests (the producer is another layer).
import assert from "node:assert/strict";
import { errorForCode } from "../../src/errors/mod.ts";
import { Produce, type ProduceRequest } from "../../src/protocol/mod.ts";
import {
  type CompressionType,
  encodeRecords,
  type RecordInput,
} from "../../src/records/mod.ts";
import type { Broker, ClusterTopic } from "../../src/cluster/mod.ts";

/** A topic or group name unique to this run. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${
    crypto.randomUUID().slice(0, 8)
  }`;
}

const enc = new TextEncoder();

/**
 * Produces `count` records to one partition of `topic` through its leader
 * (acks=-1), with timestamps `timestamp + i` when given. Resolves with the
 * base offset.
 */
export function produce(
  topic: ClusterTopic,
  partition: number,
  count: number,
  options: { timestamp?: number; prefix?: string } = {},
): Promise<number> {
  const records = Array.from({ length: count }, (_, i) => ({
    key: enc.encode(`k${i}`),
    value: enc.encode(`${options.prefix ?? "v"}${i}`),
    ...(options.timestamp !== undefined
      ? { timestamp: options.timestamp + i }
      : {}),
  }));
  return produceTo(topic, partition, records);
}

/**
 * Produces `records` to one partition through its leader (acks=-1) as one
 * batch: RecordBatch v2 on brokers with Produce v3+, else MessageSet v1
 * (Produce v2) or v0. Retries after stale-metadata errors. Resolves with
 * the base offset.
 */
export async function produceTo(
  topic: ClusterTopic,
  partition: number,
  records: RecordInput[],
  options: {
    compression?: CompressionType;
    magic?: 0 | 1 | 2;
    timestamp?: number;
  } = {},
): Promise<number> {
  for (let attempt = 0;; attempt++) {
    let leader: Broker;
    let version: number;
    try {
      leader = topic.partitions.get(partition)!.leader;
      version = await leader.apiVersion(Produce);
    } catch (e) {
      if (attempt < 8 && await topic.cluster.updateOnError(e)) {
        await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
        continue;
      }
      throw e;
    }
    const magic = options.magic ?? (version >= 3 ? 2 : version === 2 ? 1 : 0);
    const request: ProduceRequest = {
      acks: -1,
      timeoutMs: 10_000,
      topicData: [{
        ...(version >= 13 ? { topicId: topic.topicId! } : { name: topic.name }),
        partitionData: [{
          index: partition,
          records: encodeRecords({
            records,
            magic,
            compression: options.compression,
            timestamp: options.timestamp,
          }),
        }],
      }],
    };
    let res;
    try {
      res = await leader.send(Produce, request, { version });
    } catch (e) {
      // A stopped leader: refresh and try the new one.
      if (attempt < 8 && await topic.cluster.updateOnError(e)) {
        await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
        continue;
      }
      throw e;
    }
    const p = res.responses[0].partitionResponses[0];
    if (p.errorCode !== 0 && attempt < 8) {
      const err = errorForCode(p.errorCode);
      if (err.retriable) {
        await topic.cluster.updateOnError(err);
        await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
        continue;
      }
    }
    assert.equal(p.errorCode, 0, `produce to ${topic.name}/${partition}`);
    return p.baseOffset;
  }
}
