// Idempotence state of the produce engine (internal): whether the brokers
// can do it, the producer id and epoch (one per engine: one per producer
// identity), per-batch sequence numbers, and taking a new producer id once
// nothing is in flight after the brokers lost track of this one.
import {
  AuthorizationError,
  KafkaError,
  ProduceFailureError,
  UnsupportedFeatureError,
} from "../errors/mod.ts";
import { InitProducerId, Produce } from "../protocol/mod.ts";
import { rewriteProducerState } from "../records/mod.ts";
import type { Cluster } from "../cluster/mod.ts";
import { callApi } from "../cluster/_api_requests.ts";
import { askingOrder } from "../cluster/_metadata_source.ts";
import {
  INIT_PRODUCER_ID_MIN_ATTEMPTS,
  producerPolicy,
} from "../cluster/_retry_policies.ts";
import { isRetriable, RetrySchedule } from "../util/retry.ts";
import { type Batch, nextSequence } from "./_batch.ts";
import {
  INIT_PRODUCER_ID,
  type ProducerIdAndEpoch,
} from "./_producer_requests.ts";

export type { ProducerIdAndEpoch };

/**
 * Whether the brokers do idempotent delivery (Produce v3+ and
 * InitProducerId: Kafka 0.11+), asking the first broker that answers.
 */
export async function idempotenceSupported(cluster: Cluster): Promise<boolean> {
  let last: unknown;
  for (const broker of askingOrder(cluster.brokers.values())) {
    try {
      const produce = await broker.apiVersion(Produce);
      return produce >= 3 && await broker.supports(InitProducerId);
    } catch (e) {
      last = e;
      if (!(e instanceof KafkaError && e.retriable)) break;
    }
  }
  throw last ?? new KafkaError("no broker to ask about idempotence");
}

/**
 * InitProducerId without a transactional id, on any broker (a new one for
 * every attempt), with the producer's retry policy.
 */
export async function initIdempotentProducerId(
  cluster: Cluster,
  maxRetries: number,
  retryBackoffMs: number,
  signal: AbortSignal,
): Promise<ProducerIdAndEpoch> {
  const schedule = new RetrySchedule({
    ...producerPolicy(
      maxRetries,
      retryBackoffMs,
      INIT_PRODUCER_ID_MIN_ATTEMPTS,
    ),
    signal,
  });
  let last: unknown;
  for (;;) {
    const brokers = askingOrder(cluster.brokers.values());
    const broker = brokers[schedule.failures % Math.max(1, brokers.length)];
    if (broker === undefined) break;
    try {
      return await callApi(broker, INIT_PRODUCER_ID, {
        transactionalId: null,
        transactionTimeoutMs: 60_000,
      }, { signal });
    } catch (e) {
      if (!isRetriable(e)) throw e;
      last = e;
      await cluster.updateOnError(e).catch(() => false);
      if (!(await schedule.pause(e))) break;
    }
  }
  throw new ProduceFailureError(
    `InitProducerId failed after ${schedule.attempts} attempts`,
    { cause: last },
  );
}

/** What the idempotence state asks of the engine. */
export interface IdempotenceHost {
  /** Gets a producer id (a new one, or the epoch bumped). */
  init(): Promise<ProducerIdAndEpoch>;
  /** Requests in flight now. */
  inFlight(): number;
  /** A new producer id is in place: every partition starts at sequence 0. */
  resetDone(): void;
  /** Getting a new producer id failed for good. */
  resetFailed(err: Error): void;
}

/** The producer id, epoch and sequence bookkeeping of one engine. */
export class Idempotence {
  /** Idempotent delivery is on (decided at start). */
  enabled = false;
  id = -1;
  epoch = -1;
  /** Batches are held back while a new producer id is taken. */
  resetting = false;
  /** Times a new producer id was taken. */
  resets = 0;
  #resetRunning = false;
  readonly #host: IdempotenceHost;

  constructor(host: IdempotenceHost) {
    this.#host = host;
  }

  /**
   * Decides and sets up idempotence at start: `want` true requires it,
   * undefined takes it when the brokers can do it and allow it (an
   * authorization error means plain delivery), false leaves it off.
   */
  async setUp(cluster: Cluster, want: boolean | undefined): Promise<void> {
    if (want === false) return;
    const supported = await idempotenceSupported(cluster);
    if (!supported) {
      if (want === true) {
        throw new UnsupportedFeatureError(
          "idempotent delivery needs Kafka 0.11 or later (Produce v3+ and InitProducerId); the broker does not support it",
        );
      }
      return;
    }
    try {
      this.set(await this.#host.init());
      this.enabled = true;
    } catch (e) {
      if (want === undefined && e instanceof AuthorizationError) return;
      throw e;
    }
  }

  /** Takes `p` as the producer id and epoch. */
  set(p: ProducerIdAndEpoch): void {
    this.id = p.id;
    this.epoch = p.epoch;
  }

  /**
   * Whether `b` must get (new) sequence numbers before it is sent: never
   * sent, or sent under another producer id or epoch.
   */
  needsSequence(b: Batch): boolean {
    return b.baseSequence === -1 || b.producerId !== this.id ||
      b.producerEpoch !== this.epoch;
  }

  /** Gives `b` the partition's next sequence numbers under the current id. */
  assign(b: Batch): void {
    const ps = b.ps;
    b.baseSequence = ps.nextSequence;
    ps.nextSequence = nextSequence(ps.nextSequence, b.count);
    b.producerId = this.id;
    b.producerEpoch = this.epoch;
  }

  /**
   * The encoded batch `b` re-stamped with its (new) producer fields, when
   * it was encoded under others: the records are not encoded again.
   */
  restamp(b: Batch): void {
    rewriteProducerState(
      b.encoded!,
      b.producerId,
      b.producerEpoch,
      b.baseSequence,
    );
  }

  /** Asks for a new producer id, taken once nothing is in flight. */
  reset(): void {
    if (this.resetting) return;
    this.resetting = true;
    this.resets++;
    if (this.#host.inFlight() === 0) this.runReset();
  }

  /** Takes the new producer id now (nothing is in flight). */
  runReset(): void {
    if (!this.resetting || this.#resetRunning) return;
    this.#resetRunning = true;
    this.#host.init().then((p) => {
      this.set(p);
      this.resetting = false;
      this.#resetRunning = false;
      this.#host.resetDone();
    }, (e) => {
      this.resetting = false;
      this.#resetRunning = false;
      this.#host.resetFailed(
        e instanceof Error ? e : new KafkaError(String(e)),
      );
    });
  }
}
