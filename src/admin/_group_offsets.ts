// A group's committed offsets and lag, without being a member: OffsetFetch
// and OffsetCommit at the group's coordinator (the Broker's helpers, whose
// versions `src/cluster/_api_requests.ts` reconciles), and the lag against
// the partitions' latest offsets (asked of each partition's leader).

import { errorForCode } from "../errors/mod.ts";
import { validateOptions } from "../util/options.ts";
import { SIGNAL_ONLY_RULES } from "./_options.ts";
import {
  type AdminRouter,
  throwIfCoordinatorMoved,
  throwItemErrors,
} from "./_routing.ts";

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

/** `Admin.fetchConsumerGroupOffsets`. */
export async function fetchConsumerGroupOffsets(
  router: AdminRouter,
  groupId: string,
  topics: readonly string[] | undefined,
  options: { signal?: AbortSignal },
): Promise<Map<string, Map<number, GroupOffset>>> {
  validateOptions(
    "Admin.fetchConsumerGroupOffsets",
    options,
    SIGNAL_ONLY_RULES,
  );
  let request: { topic: string; partitions: number[] }[] | null = null;
  if (topics) {
    const mds = await router.cluster.requestTopicMetadata(topics, options);
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
  const res = await router.run({ coordinator: groupId }, async (broker) => {
    const res = await broker.fetchConsumerGroupOffsets(groupId, request, {
      signal: options.signal,
    });
    if (res.errorCode !== 0) throw errorForCode(res.errorCode);
    throwIfCoordinatorMoved(res.partitions);
    return res;
  }, options.signal);
  throwItemErrors(
    "fetchConsumerGroupOffsets",
    res.partitions,
    (p) => `${p.topic}/${p.partition}`,
  );
  const out = new Map<string, Map<number, GroupOffset>>();
  for (const p of res.partitions) {
    if (p.offset < 0) continue;
    let m = out.get(p.topic);
    if (!m) out.set(p.topic, m = new Map());
    m.set(p.partition, {
      offset: p.offset,
      metadata: p.metadata,
      leaderEpoch: p.leaderEpoch,
    });
  }
  for (const m of out.values()) {
    const sorted = [...m].sort((a, b) => a[0] - b[0]);
    m.clear();
    for (const [k, v] of sorted) m.set(k, v);
  }
  return out;
}

/** `Admin.commitConsumerGroupOffsets`. */
export async function commitConsumerGroupOffsets(
  router: AdminRouter,
  groupId: string,
  offsets: readonly GroupOffsetCommit[],
  options: { signal?: AbortSignal },
): Promise<void> {
  validateOptions(
    "Admin.commitConsumerGroupOffsets",
    options,
    SIGNAL_ONLY_RULES,
  );
  const res = await router.run({ coordinator: groupId }, async (broker) => {
    const res = await broker.commitConsumerGroupOffsets(groupId, offsets, {
      signal: options.signal,
    });
    throwIfCoordinatorMoved(res);
    return res;
  }, options.signal);
  throwItemErrors(
    "commitConsumerGroupOffsets",
    res,
    (p) => `${p.topic}/${p.partition}`,
  );
}

/** `Admin.consumerGroupLag`. */
export async function consumerGroupLag(
  router: AdminRouter,
  groupId: string,
  topic: string,
  options: { signal?: AbortSignal },
): Promise<Map<number, PartitionLag>> {
  validateOptions("Admin.consumerGroupLag", options, SIGNAL_ONLY_RULES);
  const t = await router.cluster.topics.get(topic, {
    autoCreate: false,
    signal: options.signal,
  });
  const [latest, committed] = await Promise.all([
    t.latestAvailableOffsets(),
    fetchConsumerGroupOffsets(router, groupId, [topic], options),
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
