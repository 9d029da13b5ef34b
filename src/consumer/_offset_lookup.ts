// Positions from offset lookups (ListOffsets): where a consumer starts for
// OffsetType.EARLIEST / LATEST or a time. One request per leader broker,
// retried (linear backoff) after a metadata refresh for partitions whose
// leader moved (one round: `listOffsetsOnce` of the cluster layer). Shared
// by the simple and balanced consumers.

import { KafkaError, OffsetRequestFailedError } from "../errors/mod.ts";
import { errorText } from "../util/error_text.ts";
import { ListOffsets } from "../protocol/mod.ts";
import type { Broker, ClusterTopic } from "../cluster/mod.ts";
import { listOffsetsOnce } from "../cluster/_offsets.ts";
import { noOffsetForTime } from "../cluster/_api_requests.ts";
import { offsetsChannelPolicy } from "../cluster/_retry_policies.ts";
import { RetrySchedule } from "../util/retry.ts";

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
  let failures = new Map<number, unknown>();
  const schedule = new RetrySchedule({
    ...offsetsChannelPolicy(options.retries, options.backoffMs),
    signal: options.signal,
  });
  while (pending.size > 0) {
    const round = await listOffsetsOnce(topic, pending, 1, {
      isolationLevel: options.isolationLevel,
      signal: options.signal,
    });
    failures = round.failures;
    const fallbacks = new Map<number, number>();
    const versions = new Map<Broker, Promise<number>>();
    for (const [id, { offsets, broker }] of round.answers) {
      const target = pending.get(id)!;
      const o = offsets[0];
      if (o !== undefined && o >= 0) {
        out.set(id, o);
        continue;
      }
      if (target < 0) {
        failures.set(
          id,
          new KafkaError(
            `broker ${broker.id} answered ListOffsets ${topic.name}/${id} (${target}) without an offset`,
            { retriable: true },
          ),
        );
        continue;
      }
      // No offset for the time: latest or earliest, by ListOffsets version.
      let v = versions.get(broker);
      if (!v) {
        versions.set(
          broker,
          v = broker.apiVersion(ListOffsets, options.signal),
        );
      }
      try {
        fallbacks.set(id, noOffsetForTime(await v));
      } catch (e) {
        failures.set(id, e);
      }
    }
    let refresh: unknown;
    for (const [id, e] of failures) {
      if (!(e instanceof KafkaError) || !e.retriable) {
        throw new OffsetRequestFailedError(
          `offset lookup of ${topic.name}/${id} failed: ${errorText(e)}`,
          { cause: e },
        );
      }
      refresh ??= e;
    }
    const next = new Map<number, number>();
    for (const id of failures.keys()) next.set(id, pending.get(id)!);
    for (const [id, t] of fallbacks) next.set(id, t);
    pending = next;
    if (refresh === undefined) continue; // fallbacks only: not a failure
    await topic.cluster.updateOnError(refresh).catch(() => {});
    if (!(await schedule.pause(refresh))) break;
  }
  if (pending.size > 0) {
    const [id] = pending.keys();
    const e = failures.get(id);
    throw new OffsetRequestFailedError(
      `offset lookup of ${topic.name}/${id} failed after ${schedule.attempts} attempts${
        e === undefined ? "" : `: ${errorText(e)}`
      }`,
      { cause: e },
    );
  }
  return out;
}
