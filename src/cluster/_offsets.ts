// Offset lookups (ListOffsets) for some partitions of one topic: one
// request per leader broker, retried after a metadata refresh for
// partitions whose leader moved or is unknown.

import {
  errorForCode,
  KafkaError,
  OffsetRequestFailedError,
} from "../errors/mod.ts";
import { RetrySchedule } from "../util/retry.ts";
import { RETRY_POLICIES } from "./_retry_policies.ts";
import { errorText } from "../util/error_text.ts";
import type { Broker, PartitionOffsetRequest } from "./broker.ts";
import type { ClusterTopic } from "./topic_base.ts";

/** `Date | number | OffsetType` to the number ListOffsets takes. */
export function offsetsBeforeToTimestamp(
  offsetsBefore: Date | number,
): number {
  if (offsetsBefore instanceof Date) {
    const t = offsetsBefore.getTime();
    if (!Number.isSafeInteger(t) || t < 0) {
      throw new KafkaError(
        `offsetsBefore: ${
          String(offsetsBefore)
        } is not a valid date after 1970`,
      );
    }
    return t;
  }
  if (
    typeof offsetsBefore !== "number" || !Number.isSafeInteger(offsetsBefore) ||
    offsetsBefore < -2
  ) {
    throw new KafkaError(
      `offsetsBefore must be OffsetType.EARLIEST (-2), OffsetType.LATEST (-1), a Date or a timestamp in ms, got ${
        String(offsetsBefore)
      }`,
    );
  }
  return offsetsBefore;
}

/** One partition's answer in {@linkcode listOffsetsOnce}. */
export interface OffsetAnswer {
  /** The offsets the broker gave (see `Broker.listOffsets`). */
  offsets: number[];
  /** The leader that answered. */
  broker: Broker;
}

/**
 * One round of offset lookups: a ListOffsets request per leader broker for
 * `requests` (partition id -> timestamp), all in parallel. Partitions that
 * failed (unknown, leaderless, an error code, missing from the answer, a
 * dropped connection) are in `failures` with their error; the caller
 * decides what to retry.
 */
export async function listOffsetsOnce(
  topic: ClusterTopic,
  requests: ReadonlyMap<number, number>,
  maxOffsets: number,
  options: { isolationLevel?: 0 | 1; signal?: AbortSignal },
): Promise<{
  answers: Map<number, OffsetAnswer>;
  failures: Map<number, unknown>;
}> {
  const answers = new Map<number, OffsetAnswer>();
  const failures = new Map<number, unknown>();
  const byLeader = new Map<Broker, PartitionOffsetRequest[]>();
  for (const [id, timestamp] of requests) {
    const p = topic.partitions.get(id);
    if (!p) {
      failures.set(
        id,
        errorForCode(3, `topic ${topic.name} has no partition ${id}`),
      );
      continue;
    }
    let leader: Broker;
    try {
      leader = p.leader;
    } catch (e) {
      failures.set(id, e);
      continue;
    }
    let l = byLeader.get(leader);
    if (!l) byLeader.set(leader, l = []);
    l.push({
      topic: topic.name,
      partition: id,
      timestamp,
      maxNumOffsets: maxOffsets,
    });
  }
  await Promise.all(
    [...byLeader].map(async ([broker, reqs]) => {
      try {
        const res = await broker.listOffsets(reqs, options);
        const seen = new Set<number>();
        for (const r of res) {
          if (r.topic !== topic.name || !requests.has(r.partition)) continue;
          seen.add(r.partition);
          if (r.errorCode !== 0) {
            failures.set(
              r.partition,
              errorForCode(
                r.errorCode,
                `ListOffsets ${topic.name}/${r.partition} on broker ${broker.id} failed: ${
                  errorForCode(r.errorCode).message
                }`,
              ),
            );
          } else {
            answers.set(r.partition, {
              offsets: r.offsets.slice(0, maxOffsets),
              broker,
            });
          }
        }
        for (const q of reqs) {
          if (!seen.has(q.partition)) {
            failures.set(
              q.partition,
              new KafkaError(
                `broker ${broker.id} left ${topic.name}/${q.partition} out of its ListOffsets answer`,
                { retriable: true },
              ),
            );
          }
        }
      } catch (e) {
        for (const q of reqs) failures.set(q.partition, e);
      }
    }),
  );
  return { answers, failures };
}

/**
 * Looks up offsets of `partitionIds` of `topic` before `offsetsBefore`.
 * Resolves with partition id -> offsets (see `Broker.listOffsets` for the
 * per-version meaning). Throws `OffsetRequestFailedError` (cause: the last
 * error) when a partition still fails after the retries, or at once for a
 * non-retriable error.
 */
export async function lookupOffsets(
  topic: ClusterTopic,
  partitionIds: readonly number[],
  offsetsBefore: Date | number,
  maxOffsets: number,
  options: { isolationLevel?: 0 | 1; signal?: AbortSignal } = {},
): Promise<Map<number, number[]>> {
  const timestamp = offsetsBeforeToTimestamp(offsetsBefore);
  if (!Number.isSafeInteger(maxOffsets) || maxOffsets < 1) {
    throw new KafkaError(
      `maxOffsets must be a positive integer, got ${maxOffsets}`,
    );
  }
  const result = new Map<number, number[]>();
  let remaining = new Map(partitionIds.map((id) => [id, timestamp]));
  let failures = new Map<number, unknown>();
  const schedule = new RetrySchedule({
    ...RETRY_POLICIES.listOffsets,
    signal: options.signal,
  });
  for (;;) {
    const round = await listOffsetsOnce(topic, remaining, maxOffsets, options);
    for (const [id, a] of round.answers) result.set(id, a.offsets);
    failures = round.failures;
    if (failures.size === 0) return result;
    for (const [id, e] of failures) {
      if (!(e instanceof KafkaError) || !e.retriable) {
        throw new OffsetRequestFailedError(
          `offset lookup of ${topic.name}/${id} failed: ${errorText(e)}`,
          { cause: e },
        );
      }
    }
    if (!(await schedule.pause(failures.values().next().value))) break;
    remaining = new Map([...failures.keys()].map((id) => [id, timestamp]));
    await topic.cluster.update({ signal: options.signal }).catch(() => {});
  }
  const [id, e] = failures.entries().next().value!;
  throw new OffsetRequestFailedError(
    `offset lookup of ${topic.name}/${id} failed after ${schedule.attempts} attempts: ${
      errorText(e)
    }`,
    { cause: e },
  );
}
