// Batches and per-partition send state of the producer (internal).
import type { ProducedMessage } from "./_message.ts";

/** Settles a sync produce() call. */
export type Settle = (error: Error | null) => void;

/** The records of one partition that travel together in one request. */
export class Batch {
  readonly partition: number;
  readonly messages: ProducedMessage[] = [];
  /** Per-message settle callbacks of sync producers, else null. */
  settles: (Settle | undefined)[] | null = null;
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
  lastError: unknown = undefined;

  constructor(partition: number, serial: number, gen: number, now: number) {
    this.partition = partition;
    this.serial = serial;
    this.gen = gen;
    this.createdAt = now;
  }
}

/** What the producer tracks for one partition. */
export class PartitionState {
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

  constructor(id: number) {
    this.id = id;
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
