// Shared helpers of the client/cluster tests: unique names, and producing
// records with raw Produce requests (the producer is another layer).
import assert from "node:assert/strict";
import { errorForCode } from "../../src/errors/mod.ts";
import { Produce, type ProduceRequest } from "../../src/protocol/mod.ts";
import { encodeRecords } from "../../src/records/mod.ts";
import type { ClusterTopic } from "../../src/cluster/mod.ts";

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
export async function produce(
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
  // Like a producer: on a stale-metadata error refresh and try again.
  for (let attempt = 0;; attempt++) {
    const leader = topic.partitions.get(partition)!.leader;
    const version = await leader.apiVersion(Produce);
    const request: ProduceRequest = {
      acks: -1,
      timeoutMs: 10_000,
      topicData: [{
        ...(version >= 13 ? { topicId: topic.topicId! } : { name: topic.name }),
        partitionData: [{
          index: partition,
          records: encodeRecords({ records, magic: version >= 3 ? 2 : 1 }),
        }],
      }],
    };
    const res = await leader.send(Produce, request, { version });
    const p = res.responses[0].partitionResponses[0];
    if (p.errorCode !== 0 && attempt < 5) {
      const err = errorForCode(p.errorCode);
      if (await topic.cluster.updateOnError(err)) {
        await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
        continue;
      }
    }
    assert.equal(p.errorCode, 0, `produce to ${topic.name}/${partition}`);
    return p.baseOffset;
  }
}
