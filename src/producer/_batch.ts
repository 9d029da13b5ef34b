// Batches and the per-(topic, partition) send state of the produce engine
// (internal). A batch holds its records' bytes (a RecordStaging until it is
// first encoded, then the encoded record set), and, only where a producer
// needs them, the records' Message objects (delivery reports, sync
// producers, the awaited produce()) and settle callbacks. Its records may
// come from several producers sharing the engine: `owners` / `ends` /
// `ownerBytes` are runs of consecutive records per producer.
import { ProduceFailureError } from "../errors/mod.ts";
import type { ClusterTopic } from "../cluster/mod.ts";
import {
  type Message,
  type RecordStaging,
  TimestampType,
} from "../records/mod.ts";

/** Settles a sync produce() call. */
export type Settle = (error: Error | null) => void;

/**
 * A settle callback that calls `done` once: with the delivery outcome, or
 * after `timeoutMs` (unless negative) with `ProduceFailureError`.
 */
export function settler(
  timeoutMs: number,
  topic: string,
  partition: number,
  done: (e: Error | null) => void,
): Settle {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let settled = false;
  if (timeoutMs >= 0) {
    timer = setTimeout(() => {
      timer = undefined;
      if (settled) return;
      settled = true;
      done(
        new ProduceFailureError(
          `Delivery report not received after timeout: no answer for ${topic}/${partition} within pendingTimeoutMs ${timeoutMs} ms (the message may still be delivered)`,
        ),
      );
    }, timeoutMs);
  }
  return (e) => {
    if (settled) return;
    settled = true;
    if (timer !== undefined) clearTimeout(timer);
    done(e);
  };
}

/** A producer whose records are in batches (its core). */
export interface BatchOwner {
  /**
   * Records `start` to `end` (exclusive) of `b`, `bytes` of payload, are
   * finished: delivered (`null`) or failed.
   */
  complete(
    b: Batch,
    start: number,
    end: number,
    bytes: number,
    error: Error | null,
  ): void;
  /** Counters kept per producer. */
  readonly counters: OwnerCounters;
}

/** What each producer counts of the engine's work for it. */
export interface OwnerCounters {
  /** Produce requests that carried its records. */
  requests: number;
  /** Record bytes of the largest of them. */
  largestRequestBytes: number;
  /** Batch sends of its records repeated after a retriable error. */
  retries: number;
  /** Splits of batches holding its records. */
  batchSplits: number;
  /** The engine's request number that last counted for it. */
  lastRequest: number;
}

/**
 * Counts request number `requestId` (`bytes` of records) once for each
 * producer with records in `batches`.
 */
export function countRequestForOwners(
  batches: readonly Batch[],
  bytes: number,
  requestId: number,
): void {
  for (const b of batches) {
    for (const o of b.owners) {
      const c = o.counters;
      if (c.lastRequest === requestId) continue;
      c.lastRequest = requestId;
      c.requests++;
      if (bytes > c.largestRequestBytes) c.largestRequestBytes = bytes;
    }
  }
}

/** A topic the engine has records for. */
export class TopicState {
  readonly name: string;
  /** The topic (partitions and leaders); the latest one a producer gave. */
  topic: ClusterTopic;
  /** Partition states by partition id (sparse). */
  readonly parts: (PartitionState | undefined)[] = [];

  constructor(topic: ClusterTopic) {
    this.name = topic.name;
    this.topic = topic;
  }
}

/** The records of one partition that travel together in one request. */
export class Batch {
  readonly ps: PartitionState;
  /** The records, until first encoded (then `null`). */
  staging: RecordStaging | null;
  /** Records in the batch. */
  count = 0;
  /** The Message of each record a producer needs one for, else null. */
  msgs: (Message | undefined)[] | null = null;
  /** Per-record settle callbacks of sync producers, else null. */
  settles: (Settle | undefined)[] | null = null;
  /** Producers of runs of records, with the end of each run ... */
  owners: BatchOwner[] = [];
  /** ... (exclusive record index) ... */
  ends: number[] = [];
  /** ... and its payload bytes. */
  ownerBytes: number[] = [];
  /** Estimated encoded bytes of the records (upper bound). */
  bytes = 0;
  /** Bytes of values, keys and headers (what maxQueuedBytes counts). */
  payloadBytes = 0;
  readonly createdAt: number;
  /**
   * Creation order within the partition. The halves of a split batch keep
   * their place: they share the original's range [serial, serial + span).
   */
  readonly serial: number;
  /** Width of this batch's serial range (halved by each split). */
  span = 1;
  /** A half of a batch the broker refused as too large. */
  split = false;
  /** Flush generation. */
  readonly gen: number;
  /** Sends so far that failed retriably. */
  attempts = 0;
  /** Not sent again before this time (ms since the epoch). */
  retryAt = 0;
  /** Idempotence: sequence of the first record, -1 until first sent. */
  baseSequence = -1;
  producerId = -1;
  producerEpoch = -1;
  /** The encoded record set (kept so a retry resends identical bytes). */
  encoded: Uint8Array | null = null;
  encodedMagic = -1;

  constructor(
    ps: PartitionState,
    staging: RecordStaging | null,
    serial: number,
    gen: number,
    now: number,
  ) {
    this.ps = ps;
    this.staging = staging;
    this.serial = serial;
    this.gen = gen;
    this.createdAt = now;
  }

  /** Whether every record is `owner`'s. */
  ownedOnlyBy(owner: BatchOwner): boolean {
    for (const o of this.owners) if (o !== owner) return false;
    return true;
  }

  /** The staging goes back to the free list (the batch is encoded or done). */
  /**
   * The broker took the batch: its Messages get their offsets (from
   * `baseOffset`, when known) and, on a LogAppendTime topic, the broker's
   * timestamp.
   */
  stampDelivered(baseOffset: number, logAppendTime: number): void {
    const msgs = this.msgs;
    if (msgs === null) return;
    if (baseOffset >= 0) {
      for (let i = 0; i < msgs.length; i++) {
        const m = msgs[i];
        if (m !== undefined) m.offset = baseOffset + i;
      }
    }
    if (logAppendTime >= 0) {
      for (const m of msgs) {
        if (m === undefined) continue;
        m.timestamp = logAppendTime;
        m.timestampType = TimestampType.LOG_APPEND_TIME;
      }
    }
  }

  dropStaging(): void {
    if (this.staging !== null) {
      this.staging.release();
      this.staging = null;
    }
  }
}

/** What the engine tracks for one (topic, partition). */
export class PartitionState {
  readonly topic: TopicState;
  readonly id: number;
  /** The batch still taking records. */
  open: Batch | null = null;
  /** Closed batches waiting to be sent, in serial order. */
  readonly queue: Batch[] = [];
  /** Batches sent and not answered yet, in send order. */
  readonly inFlight: Batch[] = [];
  /** Idempotence: the next sequence number to give a batch. */
  nextSequence = 0;
  nextSerial = 0;
  /** No leader was found at the last drain. */
  leaderMissing = false;
  /**
   * Byte limit of new batches after the broker refused one as too large
   * (a topic's `max.message.bytes` below the producer's batch size).
   */
  batchLimit = Infinity;
  /**
   * Halves of split batches not answered yet: while there are any, the
   * partition sends one batch at a time, so the halves land in order.
   */
  splitting = 0;
  /** Transactions v1: added to the transaction in progress. */
  inTransaction = false;

  constructor(topic: TopicState, id: number) {
    this.topic = topic;
    this.id = id;
  }

  /** `topic/partition`, for messages. */
  get label(): string {
    return `${this.topic.name}/${this.id}`;
  }

  /** Puts a batch back in the queue at its place (serial order). */
  requeue(b: Batch): void {
    const q = this.queue;
    let i = 0;
    while (i < q.length && q[i].serial < b.serial) i++;
    q.splice(i, 0, b);
  }

  removeInFlight(b: Batch): void {
    const i = this.inFlight.indexOf(b);
    if (i >= 0) this.inFlight.splice(i, 1);
  }
}

/** Kafka's sequence arithmetic: `seq + n`, wrapping at int32 max to 0. */
export function nextSequence(seq: number, n: number): number {
  const MAX = 2147483647;
  return seq > MAX - n ? n - (MAX - seq) - 1 : seq + n;
}
