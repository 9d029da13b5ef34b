// Shared helpers of the producer tests: unique topics on the local
// cluster, and reading a partition back with raw Fetch requests through the
// cluster layer (independent of the consumers).
import { cluster } from "../cluster/mod.ts";
import { KafkaClient, type KafkaClientOptions } from "../../src/client/mod.ts";
import type { Topic } from "../../src/client/mod.ts";
import type { ClusterTopic } from "../../src/cluster/mod.ts";
import { errorForCode } from "../../src/errors/mod.ts";
import { Fetch, type FetchRequest } from "../../src/protocol/mod.ts";
import {
  type DecodedRecord,
  decodeRecords,
  type RecordBatchInfo,
} from "../../src/records/mod.ts";

export const enc = new TextEncoder();
export const dec = new TextDecoder();

/** A topic or group name unique to this run. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${
    crypto.randomUUID().slice(0, 8)
  }`;
}

/** A connected client for one of the local clusters. */
export async function connect(
  which: "kafka39" | "kafka4" = "kafka39",
  options: KafkaClientOptions = {},
): Promise<KafkaClient> {
  return await KafkaClient.connect({
    hosts: cluster.bootstrap(which, "PLAINTEXT"),
    clientId: "producer-tests",
    ...options,
  });
}

/** Creates a topic and returns it (its partitions all have leaders). */
export async function newTopic(
  client: KafkaClient,
  prefix: string,
  numPartitions = 3,
  replicationFactor = 1,
  config?: Record<string, string>,
): Promise<Topic> {
  const name = uniqueName(prefix);
  await client.createTopics([{
    name,
    numPartitions,
    replicationFactor,
    ...(config ? { config } : {}),
  }]);
  return await client.topics.get(name);
}

/** One partition read back: its records and batch headers. */
export interface ReadBack {
  records: DecodedRecord[];
  batches: RecordBatchInfo[];
}

/**
 * Reads a partition from offset 0 until at least `count` records arrived
 * (and the high watermark is reached), with Fetch requests to its leader.
 */
export async function readPartition(
  topic: ClusterTopic,
  partition: number,
  count: number,
  timeoutMs = 30_000,
): Promise<ReadBack> {
  const records: DecodedRecord[] = [];
  const batches: RecordBatchInfo[] = [];
  const deadline = Date.now() + timeoutMs;
  let offset = 0;
  while (true) {
    if (Date.now() > deadline) {
      throw new Error(
        `read ${records.length} of ${count} records of ${topic.name}/${partition} before the timeout`,
      );
    }
    let hw: number;
    try {
      const leader = topic.partitions.get(partition)!.leader;
      const version = await leader.apiVersion(Fetch);
      const request: FetchRequest = {
        maxWaitMs: 200,
        minBytes: 1,
        maxBytes: 16 << 20,
        topics: [{
          ...(version >= 13
            ? { topicId: topic.topicId! }
            : { topic: topic.name }),
          partitions: [{
            partition,
            fetchOffset: offset,
            partitionMaxBytes: 8 << 20,
          }],
        }],
      };
      const res = await leader.send(Fetch, request, { version });
      const p = res.responses[0].partitions[0];
      if (p.errorCode !== 0) {
        const err = errorForCode(p.errorCode);
        if (!(await topic.cluster.updateOnError(err))) {
          await new Promise((r) => setTimeout(r, 100));
        }
        continue;
      }
      hw = p.highWatermark;
      if (p.records !== null && p.records.length > 0) {
        const d = decodeRecords(p.records, { minOffset: offset });
        records.push(...d.records);
        batches.push(...d.batches.filter((b) => b.lastOffset >= offset));
        if (d.nextOffset !== null) offset = d.nextOffset;
      }
    } catch (e) {
      if (!(await topic.cluster.updateOnError(e))) throw e;
      continue;
    }
    if (records.length >= count && offset >= hw) return { records, batches };
  }
}

/** Every partition of a topic read back (`counts`: records expected per partition). */
export async function readTopic(
  topic: ClusterTopic,
  counts: Map<number, number>,
): Promise<Map<number, ReadBack>> {
  const out = new Map<number, ReadBack>();
  await Promise.all(
    [...topic.partitions.keys()].map(async (p) => {
      out.set(p, await readPartition(topic, p, counts.get(p) ?? 0));
    }),
  );
  return out;
}

/** Deletes a topic, ignoring errors (cleanup). */
export async function dropTopic(client: KafkaClient, name: string) {
  try {
    await client.deleteTopics([name], { waitForMetadata: false });
  } catch {
    // best effort
  }
}
