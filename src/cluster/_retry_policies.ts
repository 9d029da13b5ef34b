// The retry policies of the cluster, admin, consumer and producer layers in
// one table. Every retry loop of those layers runs on `RetrySchedule` /
// `retry` (src/util/retry.ts) with one of these policies; the caller adds
// what is its own (the `signal`, a `retriable` predicate, a deadline from
// its options). Constants that no option sets yet are named here, each with
// why it is what it is, so that a later change can feed them from client
// options (per-operation deadlines, a total retry timeout). The
// connection layer below takes its policy from its options alone
// (`connectAttempts`, `reconnectBackoff`).

import type { BackoffOptions, RetryPolicy } from "../util/retry.ts";

/** A policy without the caller's parts (signal, predicate). */
export type PolicyShape = Readonly<
  Pick<RetryPolicy, "attempts" | "timeoutMs"> & {
    backoff: Readonly<BackoffOptions>;
  }
>;

/** The policies whose constants no option sets (yet). */
export const RETRY_POLICIES = {
  /**
   * Bootstrap (`Cluster.connect`): rounds over every bootstrap host (or
   * ZooKeeper's brokers); pykafka tries its hosts a few times.
   */
  bootstrap: { attempts: 3, backoff: { initialMs: 200 } },
  /**
   * Metadata refresh (`Cluster.update`) asking again while a partition of
   * a topic in use has no leader (an election takes a few hundred ms).
   */
  leaderElection: { attempts: 4, backoff: { initialMs: 200, maxMs: 2000 } },
  /**
   * `topics.get()` polling a topic being (auto-)created until every
   * partition has a leader; the deadline is `autoCreateTimeoutMs` (or the
   * call's `timeoutMs`).
   */
  topicMetadata: { backoff: { initialMs: 50, maxMs: 1000 } },
  /**
   * FindCoordinator while the coordinator is not available or loading; the
   * deadline is `coordinatorTimeoutMs` (or the call's `timeoutMs`).
   */
  findCoordinator: { backoff: { initialMs: 100, maxMs: 2000 } },
  /**
   * ListOffsets of the partitions that failed (leader moved or unknown),
   * after a metadata refresh.
   */
  listOffsets: { attempts: 4, backoff: { initialMs: 200, maxMs: 2000 } },
  /**
   * An admin request on the controller, again after NOT_CONTROLLER or a
   * dropped connection (a controller election).
   */
  adminController: { attempts: 6, backoff: { initialMs: 100, maxMs: 1000 } },
  /**
   * An admin request on a group's coordinator, again after a coordinator
   * error (it moved, is loading) with a new lookup.
   */
  adminCoordinator: { attempts: 6, backoff: { initialMs: 100, maxMs: 2000 } },
  /**
   * Admin `waitForMetadata`: polling every broker's metadata until a
   * created or deleted topic shows; the deadline is the call's `timeoutMs`.
   */
  adminTopicMetadata: { backoff: { initialMs: 50, maxMs: 500 } },
  /**
   * Transaction calls on the transaction or group coordinator
   * (InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit,
   * EndTxn) again after CONCURRENT_TRANSACTIONS (the coordinator is still
   * completing the previous transaction: short waits), a coordinator load
   * or move, or a lost connection; the deadline is the call's `timeoutMs`
   * (default the producer's `transactionTimeoutMs`).
   */
  transactionCoordinator: { backoff: { initialMs: 20, maxMs: 1000 } },
} as const satisfies Record<string, PolicyShape>;

/**
 * Right after an automatic topic creation some brokers still answer
 * UNKNOWN_TOPIC_OR_PARTITION: `topics.get()` gives it this many failed
 * rounds before it reports the topic missing.
 */
export const UNKNOWN_TOPIC_ROUNDS = 5;

/**
 * InitProducerId is tried at least this many times (more when the
 * producer's `maxRetries` allows): a fresh cluster may still be electing
 * the transaction coordinator.
 */
export const INIT_PRODUCER_ID_MIN_ATTEMPTS = 4;

/**
 * The consumer's offsets channel (OffsetCommit, OffsetFetch, offset
 * lookups): pykafka's policy, `retries` more attempts after the first,
 * attempt i (1-based retry) waiting i × `backoffMs`, no jitter, no cap
 * (`offsetsCommitMaxRetries`, `offsetsChannelBackoffMs`).
 */
export function offsetsChannelPolicy(
  retries: number,
  backoffMs: number,
): PolicyShape {
  return {
    attempts: retries + 1,
    backoff: {
      initialMs: backoffMs,
      linear: true,
      jitter: 0,
      maxMs: Number.POSITIVE_INFINITY,
    },
  };
}

/**
 * The producer's retries (`maxRetries` after the first attempt,
 * `retryBackoffMs` doubling per retry up to 10 × `retryBackoffMs`, no
 * jitter): failed batches (timer-driven, `backoffDelay` of the retry) and
 * InitProducerId (at least {@linkcode INIT_PRODUCER_ID_MIN_ATTEMPTS}).
 */
export function producerPolicy(
  maxRetries: number,
  retryBackoffMs: number,
  minAttempts = 1,
): PolicyShape {
  return {
    attempts: Math.max(minAttempts, maxRetries + 1),
    backoff: {
      initialMs: retryBackoffMs,
      maxMs: 10 * retryBackoffMs,
      jitter: 0,
    },
  };
}
