// Positions from offset lookups (ListOffsets): where a consumer starts for
// OffsetType.EARLIEST / LATEST or a time. One request per leader broker,
// retried (linear backoff) after a metadata refresh for partitions whose
// leader moved. Shared by the simple and balanced consumers.

import {
  errorForCode,
  KafkaError,
  OffsetRequestFailedError,
} from "../errors/mod.ts";
import { ListOffsets } from "../protocol/mod.ts";
import { sleep } from "../network/mod.ts";
import type {
  Broker,
  ClusterTopic,
  PartitionOffsetRequest,
} from "../cluster/mod.ts";

/** How {@linkcode lookupPositions} retries. */
export interface LookupOptions {
  /** 0 read uncommitted, 1 read committed (LATEST = last stable offset). */
  isolationLevel: 0 | 1;
  /** Retries after the first attempt. */
  retries: number;
  /** Attempt i waits i × this many ms. */
  backoffMs: number;
  /** Cancels waiting. */
  signal?: AbortSignal;
}

function errText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/**
 * The offset of the next message to consume for each partition, given a
 * target per partition: -2 (earliest), -1 (latest) or a timestamp in ms.
 *
 * For a timestamp, brokers with ListOffsets v1+ give the first offset whose
 * record is at or after that time; when no record is that recent the
 * partition goes to the latest offset. Brokers with only ListOffsets v0
 * (before Kafka 0.10.1) give the base offset of the newest segment written
 * before that time (pykafka's segment semantics); when every segment is
 * newer the partition goes to the earliest offset.
 *
 * Throws `OffsetRequestFailedError` (cause: the last error) when a
 * partition still fails after the retries, or at once for an error that
 * retrying cannot fix.
 */
export async function lookupPositions(
  topic: ClusterTopic,
  targets: ReadonlyMap<number, number>,
  options: LookupOptions,
): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  let pending = new Map(targets);
  const attempts = options.retries + 1;
  let failures = new Map<number, unknown>();
  for (let attempt = 0; attempt < attempts && pending.size > 0; attempt++) {
    if (attempt > 0) {
      await sleep(attempt * options.backoffMs, options.signal);
    }
    failures = new Map();
    const byLeader = new Map<Broker, PartitionOffsetRequest[]>();
    for (const [id, timestamp] of pending) {
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
      l.push({ topic: topic.name, partition: id, timestamp, maxNumOffsets: 1 });
    }
    const fallbacks = new Map<number, number>();
    await Promise.all([...byLeader].map(async ([broker, reqs]) => {
      try {
        const version = await broker.apiVersion(ListOffsets, options.signal);
        const res = await broker.listOffsets(reqs, {
          isolationLevel: options.isolationLevel,
          signal: options.signal,
        });
        const seen = new Set<number>();
        for (const r of res) {
          if (r.topic !== topic.name || !pending.has(r.partition)) continue;
          seen.add(r.partition);
          if (r.errorCode !== 0) {
            failures.set(
              r.partition,
              errorForCode(
                r.errorCode,
                `ListOffsets ${topic.name}/${r.partition} on broker ${broker.id}: ${
                  errorForCode(r.errorCode).message
                }`,
              ),
            );
            continue;
          }
          const target = pending.get(r.partition)!;
          const o = r.offsets[0];
          if (o !== undefined && o >= 0) out.set(r.partition, o);
          else if (target >= 0) {
            // No record at/after the time (v1+): latest; no segment before
            // it (v0): earliest.
            fallbacks.set(r.partition, version >= 1 ? -1 : -2);
          } else {
            failures.set(
              r.partition,
              new KafkaError(
                `broker ${broker.id} answered ListOffsets ${topic.name}/${r.partition} (${target}) without an offset`,
                { retriable: true },
              ),
            );
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
    }));
    let refresh: unknown;
    for (const [id, e] of failures) {
      if (!(e instanceof KafkaError) || !e.retriable) {
        throw new OffsetRequestFailedError(
          `offset lookup of ${topic.name}/${id} failed: ${errText(e)}`,
          { cause: e },
        );
      }
      refresh ??= e;
    }
    const next = new Map<number, number>();
    for (const id of failures.keys()) next.set(id, pending.get(id)!);
    for (const [id, t] of fallbacks) next.set(id, t);
    pending = next;
    if (fallbacks.size > 0 && failures.size === 0) attempt--; // not a failure
    if (refresh !== undefined) {
      await topic.cluster.updateOnError(refresh).catch(() => {});
    }
  }
  if (pending.size > 0) {
    const [id] = pending.keys();
    const e = failures.get(id);
    throw new OffsetRequestFailedError(
      `offset lookup of ${topic.name}/${id} failed after ${attempts} attempts${
        e === undefined ? "" : `: ${errText(e)}`
      }`,
      { cause: e },
    );
  }
  return out;
}
