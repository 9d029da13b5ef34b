// The produce engine's accumulator (internal): one send state per
// (topic, partition) across every topic the engine's producers write to;
// records are staged into each partition's open batch, which closes when it
// reaches the batch byte limit, when `lingerMs` passes, or when
// `minQueuedMessages` records are open in all; flush generations let
// `flush()` wait for exactly the batches that existed when it was called.
import type { ClusterTopic } from "../cluster/mod.ts";
import { type Message, RecordStaging } from "../records/mod.ts";
import {
  Batch,
  type BatchOwner,
  PartitionState,
  type Settle,
  TopicState,
} from "./_batch.ts";

/** What the accumulator asks of the engine. */
export interface AccumulatorHost {
  /** Drain soon (at the end of the current task). */
  requestDrain(): void;
  /** Drain no later than `at` (ms since the epoch). */
  wakeAt(at: number): void;
  /** A topic got its first partition state (its leaders may be connected). */
  newTopic(ts: TopicState): void;
}

/** The settings the accumulator works with. */
export interface AccumulatorSettings {
  /** Byte limit of a batch (estimated encoded bytes). */
  batchLimit: number;
  lingerMs: number;
  minQueuedMessages: number;
}

interface FlushWaiter {
  gen: number;
  resolve: () => void;
}

/** One accumulator per engine. */
export class Accumulator {
  readonly topics: Map<string, TopicState> = new Map();
  /** Every partition state, in creation order (the drain walks it). */
  readonly partitions: PartitionState[] = [];
  /** Estimated framing bytes per record (known once the format is). */
  recordOverhead = 34;
  /** Close every open batch at the next drain (minQueuedMessages reached). */
  force = false;
  readonly #s: AccumulatorSettings;
  readonly #host: AccumulatorHost;
  #gen = 0;
  readonly #genBatches = new Map<number, number>();
  #flushWaiters: FlushWaiter[] = [];
  #openMessages = 0;

  constructor(settings: AccumulatorSettings, host: AccumulatorHost) {
    this.#s = settings;
    this.#host = host;
  }

  /** The largest record (value, key and headers) that fits a batch. */
  get maxRecordBytes(): number {
    return this.#s.batchLimit - this.recordOverhead;
  }

  /** The state of a topic (made on first use). */
  topicState(topic: ClusterTopic): TopicState {
    let ts = this.topics.get(topic.name);
    if (ts === undefined) {
      ts = new TopicState(topic);
      this.topics.set(topic.name, ts);
      this.#host.newTopic(ts);
    } else if (ts.topic !== topic) ts.topic = topic;
    return ts;
  }

  /** The state of a partition (made on first use). */
  partition(ts: TopicState, id: number): PartitionState {
    let ps = ts.parts[id];
    if (ps === undefined) {
      ps = new PartitionState(ts, id);
      ts.parts[id] = ps;
      this.partitions.push(ps);
    }
    return ps;
  }

  /** A new batch of `ps` in the current flush generation. */
  newBatch(ps: PartitionState, now: number): Batch {
    const gen = this.#gen;
    const b = new Batch(ps, RecordStaging.take(), ps.nextSerial++, gen, now);
    this.countBatch(gen);
    return b;
  }

  /** One more unfinished batch in generation `gen` (a split's second half). */
  countBatch(gen: number): void {
    this.#genBatches.set(gen, (this.#genBatches.get(gen) ?? 0) + 1);
  }

  /**
   * Stages a record in its partition's open batch. `size` is an upper bound
   * of the bytes of its value, key and headers; `msg` and `settle` are kept
   * when given. Returns the bytes the record takes (what its producer
   * counts as pending and gets back when the record is finished).
   */
  append(
    ps: PartitionState,
    key: Uint8Array | null,
    value: Uint8Array | null,
    timestamp: number,
    headers: readonly (readonly [string, Uint8Array | null])[] | undefined,
    size: number,
    owner: BatchOwner,
    msg: Message | undefined,
    settle: Settle | undefined,
  ): number {
    const bytes = size + this.recordOverhead;
    const s = this.#s;
    let b = ps.open;
    const limit = ps.batchLimit < s.batchLimit ? ps.batchLimit : s.batchLimit;
    if (b !== null && b.bytes + bytes > limit) {
      this.close(ps);
      this.#host.requestDrain();
      b = null;
    }
    if (b === null) {
      const now = Date.now();
      b = ps.open = this.newBatch(ps, now);
      if (s.lingerMs === 0) this.#host.requestDrain();
      else this.#host.wakeAt(now + s.lingerMs);
    }
    const i = b.count++;
    const staging = b.staging!;
    const before = staging.byteLength;
    staging.add(key, value, timestamp, headers);
    const stored = staging.byteLength - before;
    if (msg !== undefined) {
      const msgs = b.msgs ??= [];
      while (msgs.length < i) msgs.push(undefined);
      msgs.push(msg);
    }
    if (settle !== undefined) {
      const settles = b.settles ??= [];
      while (settles.length < i) settles.push(undefined);
      settles.push(settle);
    }
    const last = b.owners.length - 1;
    if (last >= 0 && b.owners[last] === owner) {
      b.ends[last] = i + 1;
      b.ownerBytes[last] += stored;
    } else {
      b.owners.push(owner);
      b.ends.push(i + 1);
      b.ownerBytes.push(stored);
    }
    b.bytes += stored + this.recordOverhead;
    b.payloadBytes += stored;
    this.#openMessages++;
    if (b.bytes >= limit) {
      this.close(ps);
      this.#host.requestDrain();
    } else if (this.#openMessages >= s.minQueuedMessages) {
      this.force = true;
      this.#host.requestDrain();
    }
    return stored;
  }

  /** Moves the open batch of `ps` to its send queue. */
  close(ps: PartitionState): void {
    const b = ps.open!;
    ps.open = null;
    ps.queue.push(b);
    // Its records no longer count towards minQueuedMessages.
    this.#openMessages -= b.count;
    if (this.#openMessages < 0) this.#openMessages = 0;
  }

  /**
   * Closes every open batch and resolves once every batch that exists now
   * is finished (the engine drains them).
   */
  flush(): Promise<void> {
    const target = this.#gen++;
    for (const ps of this.partitions) if (ps.open !== null) this.close(ps);
    this.#openMessages = 0;
    this.#host.requestDrain();
    if (!this.#pendingUpTo(target)) return Promise.resolve();
    return new Promise((resolve) =>
      this.#flushWaiters.push({ gen: target, resolve })
    );
  }

  /** Whether a batch of generation `gen` or older is unfinished. */
  #pendingUpTo(gen: number): boolean {
    for (const g of this.#genBatches.keys()) if (g <= gen) return true;
    return false;
  }

  /** Whether any batch is unfinished. */
  get pending(): boolean {
    return this.#genBatches.size > 0;
  }

  /** A batch is finished: its generation may be complete. */
  finished(b: Batch): void {
    const c = (this.#genBatches.get(b.gen) ?? 1) - 1;
    if (c <= 0) this.#genBatches.delete(b.gen);
    else this.#genBatches.set(b.gen, c);
    if (this.#flushWaiters.length === 0) return;
    const still: FlushWaiter[] = [];
    for (const w of this.#flushWaiters) {
      if (this.#pendingUpTo(w.gen)) still.push(w);
      else w.resolve();
    }
    this.#flushWaiters = still;
  }
}
