// One partition a consumer owns: its offsets (pykafka's OwnedPartition:
// last consumed, next to fetch), its fetch state, and its queue of fetched,
// not yet consumed messages. Shared by the simple and balanced consumers.

import type { Partition } from "../cluster/mod.ts";
import type { Message } from "../records/mod.ts";

/** Bytes of fetched record data held by a consumer's partitions. */
export interface ByteBudget {
  bytes: number;
}

/** A raw message as queued (value and key not yet deserialized). */
export type RawMessage = Message<Uint8Array | null, Uint8Array | null>;

/**
 * A consumer's view of one partition. Offsets follow pykafka:
 * `lastOffsetConsumed` is the offset of the last message `consume()`
 * returned (-1: none yet, or positioned at offset 0), `nextOffset` the next
 * offset to fetch. Prefetched messages sit in a queue of chunks (one chunk
 * per fetch response), so nothing is copied between fetch and consume.
 */
export class OwnedPartition {
  readonly partition: Partition;
  readonly id: number;
  /** Which of the consumer's fetch loops fetches it. */
  readonly fetcherIndex: number;
  /** Offset of the last consumed message (pykafka's `last_offset_consumed`). */
  lastOffsetConsumed = -1;
  /** Next offset to fetch. */
  nextOffset = 0;
  /** Bumped whenever the position is set from outside the fetch path. */
  epoch = 0;
  /** True once the position is known (after a reset or an offset fetch). */
  positioned = false;
  /** Offset lookups for this partition now running (not fetched meanwhile). */
  resetting = 0;
  /** A fetch including this partition is in flight. */
  inFlight = false;
  /** Not fetched before this time (ms since the epoch), after an error. */
  retryAt = 0;
  /** A non-retriable error stopped fetching it, until its position is set again. */
  failed: Error | null = null;
  /** Fetch size for the next request (grows for an oversized batch). */
  maxBytes: number;
  /** The partition's high watermark in the last fetch response (-1: unknown). */
  highWatermark = -1;
  /** Fetches in a row that returned no bytes although the partition had data. */
  emptyFetches = 0;
  /** The value last committed, to skip commits that change nothing. */
  lastCommitted = Number.NaN;
  /** In the consumer's ready ring. */
  inRing = false;

  #chunks: RawMessage[][] = [];
  #chunkBytes: number[] = [];
  #head = 0;
  #pos = 0;
  /** Queued, unconsumed messages. */
  count = 0;
  readonly #budget: ByteBudget;

  constructor(
    partition: Partition,
    fetcherIndex: number,
    fetchMessageMaxBytes: number,
    budget: ByteBudget,
  ) {
    this.partition = partition;
    this.id = partition.id;
    this.fetcherIndex = fetcherIndex;
    this.maxBytes = fetchMessageMaxBytes;
    this.#budget = budget;
  }

  /** Offset of the last consumed message as pykafka reports it: -1 becomes -2. */
  get heldOffset(): number {
    return this.lastOffsetConsumed === -1 ? -2 : this.lastOffsetConsumed;
  }

  /** Queues one fetch's messages (non-empty), accounting `bytes` of record data. */
  push(messages: RawMessage[], bytes: number): void {
    this.#chunks.push(messages);
    this.#chunkBytes.push(bytes);
    this.count += messages.length;
    this.#budget.bytes += bytes;
  }

  /** Takes the next queued message; `count` must be > 0. */
  take(): RawMessage {
    const chunk = this.#chunks[this.#head];
    const m = chunk[this.#pos++];
    this.count--;
    if (this.#pos === chunk.length) {
      this.#budget.bytes -= this.#chunkBytes[this.#head];
      this.#chunks[this.#head] = EMPTY;
      this.#head++;
      this.#pos = 0;
      if (this.#head > 64 && this.#head * 2 > this.#chunks.length) {
        this.#chunks = this.#chunks.slice(this.#head);
        this.#chunkBytes = this.#chunkBytes.slice(this.#head);
        this.#head = 0;
      }
    }
    this.lastOffsetConsumed = m.offset;
    return m;
  }

  /** Drops every queued message. */
  flush(): void {
    for (let i = this.#head; i < this.#chunkBytes.length; i++) {
      this.#budget.bytes -= this.#chunkBytes[i];
    }
    this.#chunks = [];
    this.#chunkBytes = [];
    this.#head = 0;
    this.#pos = 0;
    this.count = 0;
  }

  /**
   * Moves the position: the next message returned has offset `next` (or
   * the first one after it), and `lastOffsetConsumed` becomes `next - 1`.
   * Queued messages are dropped and fetches in flight are ignored.
   */
  setNext(next: number): void {
    this.flush();
    this.epoch++;
    this.nextOffset = next;
    this.lastOffsetConsumed = next - 1;
    this.positioned = true;
    this.failed = null;
    this.retryAt = 0;
  }
}

const EMPTY: RawMessage[] = [];

/**
 * The partitions holding messages, in round-robin order: `consume()` takes
 * one message from the head partition and moves it to the back, so every
 * partition with data gets its turn (pykafka's partition cycle).
 */
export class ReadyRing {
  #items: (OwnedPartition | undefined)[] = new Array(16);
  #head = 0;
  #size = 0;
  /** The partition the last `take()` took from. */
  last: OwnedPartition | undefined;

  get size(): number {
    return this.#size;
  }

  /** Adds a partition that just got messages (if not already in the ring). */
  add(p: OwnedPartition): void {
    if (p.inRing) return;
    p.inRing = true;
    this.#push(p);
  }

  #push(p: OwnedPartition): void {
    if (this.#size === this.#items.length) {
      const next = new Array<OwnedPartition | undefined>(this.#size * 2);
      for (let i = 0; i < this.#size; i++) {
        next[i] = this.#items[(this.#head + i) % this.#items.length];
      }
      this.#items = next;
      this.#head = 0;
    }
    this.#items[(this.#head + this.#size) % this.#items.length] = p;
    this.#size++;
  }

  /**
   * Takes one message from the next partition with messages, or returns
   * `undefined` when none holds any.
   */
  take(): RawMessage | undefined {
    while (this.#size > 0) {
      const items = this.#items;
      const p = items[this.#head]!;
      items[this.#head] = undefined;
      this.#head = this.#head + 1 === items.length ? 0 : this.#head + 1;
      this.#size--;
      if (p.count === 0) {
        p.inRing = false;
        continue;
      }
      const m = p.take();
      this.last = p;
      if (p.count > 0) this.#push(p);
      else p.inRing = false;
      return m;
    }
    return undefined;
  }

  /** The partition `take()` would use next, if any (after skipping empty ones). */
  peek(): OwnedPartition | undefined {
    while (this.#size > 0) {
      const p = this.#items[this.#head]!;
      if (p.count > 0) return p;
      this.#items[this.#head] = undefined;
      this.#head = (this.#head + 1) % this.#items.length;
      this.#size--;
      p.inRing = false;
    }
    return undefined;
  }

  /** Empties the ring. */
  clear(): void {
    for (let i = 0; i < this.#size; i++) {
      const p = this.#items[(this.#head + i) % this.#items.length];
      if (p) p.inRing = false;
    }
    this.#items = new Array(16);
    this.#head = 0;
    this.#size = 0;
  }
}
