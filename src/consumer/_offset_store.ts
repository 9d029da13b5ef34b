// Committed offsets of a consumer group (OffsetCommit / OffsetFetch at the
// versions the coordinator supports, on its offsets channel), with pykafka's
// retry policy: `retries` more attempts after the first, attempt i waiting
// i × backoffMs, the coordinator looked up again after coordinator errors
// and dropped connections. Shared by the simple and balanced consumers.

import {
  CoordinatorLoadInProgress,
  CoordinatorNotAvailable,
  errorForCode,
  KafkaError,
  NotCoordinator,
  OffsetRequestFailedError,
  SocketDisconnectedError,
} from "../errors/mod.ts";
import { errorText } from "../util/error_text.ts";
import type { Cluster, CommitOptions } from "../cluster/mod.ts";
import {
  offsetsChannelPolicy,
  type PolicyShape,
} from "../cluster/_retry_policies.ts";
import { RetrySchedule } from "../util/retry.ts";

/** A committed offset as read back. */
export interface StoredOffset {
  /** The committed offset (the next to consume), -1 when none. */
  offset: number;
  /** The metadata stored with it. */
  metadata: string | null;
}

/** Group membership to commit under (the balanced consumers set it). */
export interface Membership {
  generationId: number;
  memberId: string;
  groupInstanceId?: string | null;
}

function coordinatorGone(e: unknown): boolean {
  return e instanceof NotCoordinator || e instanceof CoordinatorNotAvailable ||
    e instanceof CoordinatorLoadInProgress ||
    e instanceof SocketDisconnectedError;
}

/** Commits and fetches one group's offsets for one topic. */
export class OffsetStore {
  readonly #cluster: Cluster;
  readonly group: string;
  readonly #policy: PolicyShape;
  readonly #requireStable: boolean;

  /**
   * With `requireStable` (READ_COMMITTED consumers, KIP-447), offsets a
   * transaction is committing are waited for (UNSTABLE_OFFSET_COMMIT is
   * retried) instead of reading the ones before it.
   */
  constructor(
    cluster: Cluster,
    group: string,
    options: { retries: number; backoffMs: number; requireStable?: boolean },
  ) {
    this.#cluster = cluster;
    this.group = group;
    this.#policy = offsetsChannelPolicy(options.retries, options.backoffMs);
    this.#requireStable = options.requireStable ?? false;
  }

  /**
   * Stores `offsets` (partition -> offset of the next message to consume)
   * with `metadata`. Partitions that fail with a retriable error are sent
   * again; a non-retriable error, or one still failing after the retries,
   * throws (the class of the Kafka error, naming the group and partitions).
   */
  async commit(
    topic: string,
    offsets: ReadonlyMap<number, number>,
    metadata: string,
    membership: Membership | undefined,
    signal?: AbortSignal,
  ): Promise<void> {
    let pending = new Map(offsets);
    let last: unknown;
    const schedule = new RetrySchedule({ ...this.#policy, signal });
    // Every error that reaches the schedule is retriable (the others throw).
    do {
      let res: { partition: number; errorCode: number }[];
      try {
        const coordinator = await this.#cluster.getGroupCoordinator(
          this.group,
          { signal },
        );
        const opts: CommitOptions = { signal };
        if (membership) {
          opts.generationId = membership.generationId;
          opts.memberId = membership.memberId;
          if (membership.groupInstanceId != null) {
            opts.groupInstanceId = membership.groupInstanceId;
          }
        }
        res = await coordinator.commitConsumerGroupOffsets(
          this.group,
          [...pending].map(([partition, offset]) => ({
            topic,
            partition,
            offset,
            metadata,
          })),
          opts,
        );
      } catch (e) {
        last = e;
        if (signal?.aborted) throw e;
        if (coordinatorGone(e)) this.#cluster.invalidateCoordinator(this.group);
        if (!(e instanceof KafkaError) || !e.retriable) throw e;
        continue; // to the schedule
      }
      const next = new Map<number, number>();
      for (const r of res) {
        if (!pending.has(r.partition)) continue;
        if (r.errorCode === 0) continue;
        const e = errorForCode(
          r.errorCode,
          `committing offset ${
            pending.get(r.partition)
          } of ${topic}/${r.partition} for group ${
            JSON.stringify(this.group)
          }: ${errorForCode(r.errorCode).message}`,
        );
        if (coordinatorGone(e)) this.#cluster.invalidateCoordinator(this.group);
        if (!e.retriable) throw e;
        last = e;
        next.set(r.partition, pending.get(r.partition)!);
      }
      // Partitions the coordinator left out of its answer: send again.
      const answered = new Set(res.map((r) => r.partition));
      for (const [p, o] of pending) {
        if (!answered.has(p)) {
          next.set(p, o);
          last ??= new KafkaError(
            `the coordinator left ${topic}/${p} out of its OffsetCommit answer`,
            { retriable: true },
          );
        }
      }
      pending = next;
    } while (pending.size > 0 && await schedule.pause(last));
    if (pending.size === 0) return;
    const attempts = schedule.attempts;
    const parts = [...pending.keys()].map((p) => `${topic}/${p}`).join(", ");
    const message = `committing offsets of ${parts} for group ${
      JSON.stringify(this.group)
    } failed after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${
      errorText(last)
    }`;
    if (last instanceof KafkaError && last.code > 0) {
      throw errorForCode(last.code, message, { cause: last });
    }
    throw new KafkaError(message, {
      cause: last,
      code: last instanceof KafkaError ? last.code : undefined,
      retriable: true,
    });
  }

  /**
   * The group's committed offsets of `partitions` (-1 where it has none).
   * Throws `OffsetRequestFailedError` (cause: the last error) when a
   * partition still fails after the retries, or at once for a
   * non-retriable error.
   */
  async fetch(
    topic: string,
    partitions: readonly number[],
    signal?: AbortSignal,
  ): Promise<Map<number, StoredOffset>> {
    const out = new Map<number, StoredOffset>();
    let pending = [...partitions];
    let last: unknown;
    const schedule = new RetrySchedule({ ...this.#policy, signal });
    // Every error that reaches the schedule is retriable (the others throw).
    do {
      try {
        const coordinator = await this.#cluster.getGroupCoordinator(
          this.group,
          { signal },
        );
        const res = await coordinator.fetchConsumerGroupOffsets(
          this.group,
          [{ topic, partitions: pending }],
          { signal, requireStable: this.#requireStable },
        );
        if (res.errorCode !== 0) {
          const e = errorForCode(
            res.errorCode,
            `fetching committed offsets of group ${
              JSON.stringify(this.group)
            }: ${errorForCode(res.errorCode).message}`,
          );
          throw e;
        }
        const next: number[] = [];
        const answered = new Set<number>();
        for (const p of res.partitions) {
          if (p.topic !== topic) continue;
          answered.add(p.partition);
          if (p.errorCode !== 0) {
            const e = errorForCode(
              p.errorCode,
              `fetching the committed offset of ${topic}/${p.partition} for group ${
                JSON.stringify(this.group)
              }: ${errorForCode(p.errorCode).message}`,
            );
            if (coordinatorGone(e)) {
              this.#cluster.invalidateCoordinator(this.group);
            }
            if (!e.retriable) throw e;
            last = e;
            next.push(p.partition);
            continue;
          }
          out.set(p.partition, { offset: p.offset, metadata: p.metadata });
        }
        for (const id of pending) {
          if (!answered.has(id)) {
            // Old brokers leave out partitions without an offset.
            if (!out.has(id)) out.set(id, { offset: -1, metadata: null });
          }
        }
        pending = next;
      } catch (e) {
        last = e;
        if (signal?.aborted) throw e;
        if (coordinatorGone(e)) this.#cluster.invalidateCoordinator(this.group);
        if (!(e instanceof KafkaError) || !e.retriable) {
          throw new OffsetRequestFailedError(
            `fetching committed offsets of group ${
              JSON.stringify(this.group)
            } failed: ${errorText(e)}`,
            { cause: e },
          );
        }
      }
    } while (pending.length > 0 && await schedule.pause(last));
    if (pending.length > 0) {
      throw new OffsetRequestFailedError(
        `fetching committed offsets of ${
          pending.map((p) => `${topic}/${p}`).join(", ")
        } for group ${
          JSON.stringify(this.group)
        } failed after ${schedule.attempts} attempts: ${errorText(last)}`,
        { cause: last },
      );
    }
    return out;
  }
}
