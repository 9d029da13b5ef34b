// One (topic, partition) a consumer's fetch engine holds: its offsets
// (pykafka's OwnedPartition: last consumed, next to fetch), its fetch state,
// its fence (epoch) and its queue of fetched, not yet consumed messages.
// Shared by the simple and balanced consumers through the fetch engine.

import type { ClusterTopic, OffsetType, Partition } from "../cluster/mod.ts";
import type { Message } from "../records/mod.ts";

/** Bytes of fetched record data held by a consumer's cursors. */
export interface ByteBudget {
  bytes: number;
  /** Bytes fetched and waiting for a decode worker (`useWorkers`). */
  decoding?: number;
}

/** A raw message as queued (value and key not yet deserialized). */
export type RawMessage = Message<Uint8Array | null, Uint8Array | null>;

/**
 * The messages of one fetch, in offset order: an array, or a record set
 * whose messages are built as they are taken (`at(i)`).
 */
export interface MessageChunk {
  readonly length: number;
  at(i: number): RawMessage | undefined;
}

const EMPTY: MessageChunk = [];

/**
 * A consumer's view of one partition of one topic. Offsets follow pykafka:
 * `lastOffsetConsumed` is the offset of the last message taken (-1: none
 * yet, or positioned at offset 0), `nextOffset` the next offset to fetch.
 * Prefetched messages sit in a queue of chunks (one chunk per fetch
 * response), so nothing is copied between fetch and consume.
 *
 * The fence: `epoch` is bumped whenever the position is set from outside
 * the fetch path (a seek, a reset) and when the cursor is revoked; a fetch
 * response is applied only when the epoch and the position it was sent with
 * still hold, so nothing fetched for an old position (or for a revoked
 * assignment) is ever queued. A partition revoked and assigned again gets a
 * new cursor, so responses in flight for the old one cannot reach it.
 */
export class Cursor {
  /** The topic. */
  readonly topic: ClusterTopic;
  /** The partition (its leader changes in place on metadata updates). */
  readonly partition: Partition;
  /** The partition id. */
  readonly id: number;
  /** Which of the engine's fetchers (per leader broker) fetches it. */
  readonly fetcherIndex: number;
  /** Offset of the last consumed message (pykafka's `last_offset_consumed`). */
  lastOffsetConsumed = -1;
  /** Next offset to fetch. */
  nextOffset = 0;
  /** The fence: bumped whenever the position is set from outside the fetch path, and on revoke. */
  epoch = 0;
  /** True once the position is known (after a reset, a seek or an offset fetch). */
  positioned = false;
  /** Offset lookups for this cursor now running (not fetched meanwhile). */
  resetting = 0;
  /** A fetch including this cursor is in flight. */
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
  /** The value last committed for it (NaN: none yet). */
  lastCommitted = Number.NaN;
  /** In the engine's ready ring. */
  inRing = false;
  /** Paused: not fetched, queued messages not delivered (position kept). */
  paused = false;
  /** False once revoked (or the engine dropped it): never fetched or delivered again. */
  live = true;
  /** The fetch source that last took it as its own (its leader's). */
  holder: object | undefined;
  /** Where OFFSET_OUT_OF_RANGE moves it (default: the engine's `autoOffsetReset`). */
  resetPolicy: OffsetType | undefined;

  #chunks: MessageChunk[] = [];
  #chunkBytes: number[] = [];
  #head = 0;
  #pos = 0;
  /** Queued, unconsumed messages. */
  count = 0;
  /** Records fetched and waiting for a decode worker (`useWorkers`). */
  pending = 0;
  readonly #budget: ByteBudget;

  constructor(
    partition: Partition,
    fetcherIndex: number,
    fetchMessageMaxBytes: number,
    budget: ByteBudget,
  ) {
    this.partition = partition;
    this.topic = partition.topic;
    this.id = partition.id;
    this.fetcherIndex = fetcherIndex;
    this.maxBytes = fetchMessageMaxBytes;
    this.#budget = budget;
  }

  /** The topic's name. */
  get topicName(): string {
    return this.topic.name;
  }

  /** Offset of the last consumed message as pykafka reports it: -1 becomes -2. */
  get heldOffset(): number {
    return this.lastOffsetConsumed === -1 ? -2 : this.lastOffsetConsumed;
  }

  /** True when the fetch path may fetch it now (ignoring `retryAt` and the prefetch bound). */
  get fetchable(): boolean {
    return this.live && this.positioned && !this.paused && !this.inFlight &&
      this.resetting === 0 && this.failed === null;
  }

  /** Queues one fetch's messages (non-empty), accounting `bytes` of record data. */
  push(messages: MessageChunk, bytes: number): void {
    this.#chunks.push(messages);
    this.#chunkBytes.push(bytes);
    this.count += messages.length;
    this.#budget.bytes += bytes;
  }

  /** Takes the next queued message; `count` must be > 0. */
  take(): RawMessage {
    const chunk = this.#chunks[this.#head];
    const m = chunk.at(this.#pos++)!;
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
    this.emptyFetches = 0;
  }

  /**
   * Fences the cursor for good (revoked): queued messages are dropped,
   * responses in flight are ignored, it is never fetched again.
   */
  close(): void {
    this.live = false;
    this.epoch++;
    this.flush();
  }

  /** `orders/3`. */
  toString(): string {
    return `${this.topic.name}/${this.id}`;
  }
}
