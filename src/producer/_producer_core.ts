// What every producer facade does (internal): `Producer` (one topic,
// pykafka's API) and `ClientProducer` (any topic) delegate here. It owns
// the producer's options, its queue bounds (maxQueuedMessages /
// maxQueuedBytes, produce() waiting for room in order), its delivery
// reports and counters, start/stop/flush, and the transaction calls; the
// records go to the produce engine it is attached to while running.
import {
  InvalidTxnStateError,
  KafkaError,
  MessageSizeTooLarge,
  ProduceFailureError,
  ProducerStoppedException,
  TransactionAbortedError,
} from "../errors/mod.ts";
import type { Cluster } from "../cluster/mod.ts";
import type { Message } from "../records/mod.ts";
import {
  type Batch,
  type BatchOwner,
  type OwnerCounters,
  type Settle,
  settler,
} from "./_batch.ts";
import { ProduceEngine } from "./_engine.ts";
import { ProducedMessage } from "./_message.ts";
import { QueueBounds } from "./_queue_bounds.ts";
import {
  newScratch,
  type ProduceOptions,
  RecordBuilder,
  type RecordScratch,
  type TopicHandle,
} from "./_record_builder.ts";
import { type DeliveryReport, ReportQueue } from "./_report_queue.ts";
import type {
  ConsumerGroupMetadata,
  TransactionCallOptions,
  TransactionOffset,
  TransactionState,
} from "./_transactions.ts";
import type { ResolvedProducerOptions } from "./options.ts";
import { checkTransactionArgs } from "./_transaction_args.ts";

const STOPPED = 0;
const RUNNING = 1;
const STOPPING = 2;

/**
 * Counters of a producer (`producer.stats`), a snapshot.
 *
 * @example
 * ```ts ignore a fragment: uses a running producer
 * const { delivered, failed, pending } = producer.stats;
 * ```
 */
export interface ProducerStats {
  /** Messages accepted by `produce()`. */
  produced: number;
  /** Messages delivered. */
  delivered: number;
  /** Messages that failed for good. */
  failed: number;
  /** Messages queued or in flight now. */
  pending: number;
  /** Bytes of values, keys and headers queued or in flight now. */
  pendingBytes: number;
  /** Batch sends repeated after a retriable error. */
  retries: number;
  /** Produce requests sent (that carried this producer's records). */
  requests: number;
  /** Record bytes of the largest Produce request sent. */
  largestRequestBytes: number;
  /** Delivery reports dropped because the report queue was full. */
  droppedDeliveryReports: number;
  /** Times the idempotent producer took a new producer id. */
  producerIdResets: number;
  /**
   * Batches split in two because the broker refused them as too large
   * (a topic whose `max.message.bytes` is below the batch size).
   */
  batchSplits: number;
}

/** The shared implementation of the producer facades. */
export class ProducerCore<V, K> implements BatchOwner {
  readonly cluster: Cluster;
  readonly o: ResolvedProducerOptions<V, K>;
  readonly reports: ReportQueue;
  readonly counters: OwnerCounters = {
    requests: 0,
    largestRequestBytes: 0,
    retries: 0,
    batchSplits: 0,
    lastRequest: 0,
  };
  readonly #builder: RecordBuilder<V, K>;
  /** Names the producer in messages ("the producer of t", ...). */
  readonly #label: string;
  readonly #scratch: RecordScratch = newScratch();
  #engine: ProduceEngine | null = null;
  #state = STOPPED;
  readonly #queue: QueueBounds;
  #unreported = 0;
  #firstUnreported: Error | undefined;
  #produced = 0;
  #delivered = 0;
  #failed = 0;

  constructor(
    cluster: Cluster,
    o: ResolvedProducerOptions<V, K>,
    label: string,
  ) {
    this.cluster = cluster;
    this.o = o;
    this.#label = label;
    this.#builder = new RecordBuilder(o);
    this.reports = new ReportQueue(o.maxQueuedMessages);
    this.#queue = new QueueBounds(o.maxQueuedMessages, o.maxQueuedBytes);
  }

  get running(): boolean {
    return this.#state === RUNNING;
  }

  get idempotent(): boolean {
    return this.#engine?.idempotent ?? false;
  }

  /** Where a transactional producer is; undefined when not transactional. */
  get transactionState(): TransactionState | undefined {
    if (this.o.transactionalId === undefined) return undefined;
    return this.#engine?.txn?.state ?? "uninitialized";
  }

  /** The engine (while attached, or the last one). */
  get engine(): ProduceEngine | null {
    return this.#engine;
  }

  get stats(): ProducerStats {
    const c = this.counters;
    return {
      produced: this.#produced,
      delivered: this.#delivered,
      failed: this.#failed,
      pending: this.#queue.pending,
      pendingBytes: this.#queue.pendingBytes,
      retries: c.retries,
      requests: c.requests,
      largestRequestBytes: c.largestRequestBytes,
      droppedDeliveryReports: this.reports.dropped,
      producerIdResets: this.#engine?.idem.resets ?? 0,
      batchSplits: c.batchSplits,
    };
  }

  // --------------------------------------------------------- lifecycle

  start(): Promise<void> {
    if (this.#state === RUNNING) return this.#engine!.attach(this);
    this.#state = RUNNING;
    this.reports.reopen();
    const engine = ProduceEngine.acquire(this.cluster, this.o);
    this.#engine = engine;
    return engine.attach(this);
  }

  /** The engine's state of a topic, for a handle made or kept across starts. */
  #topicState(h: TopicHandle, engine: ProduceEngine) {
    let ts = h.ts;
    if (ts === null || engine.acc.topics.get(h.topic.name) !== ts) {
      ts = h.ts = engine.acc.topicState(h.topic);
    }
    return ts;
  }

  async stop(): Promise<void> {
    if (this.#state !== RUNNING) return;
    const engine = this.#engine!;
    const txn = engine.txn;
    if (
      txn !== null &&
      (txn.state === "in-transaction" || txn.state === "abortable")
    ) {
      // An open transaction is aborted rather than left to time out.
      await txn.abort({ timeoutMs: Math.max(1, this.o.pendingTimeoutMs) })
        .catch(() => {});
    }
    this.#state = STOPPING;
    this.#queue.refuseAll();
    const done = engine.flush();
    const t = this.o.pendingTimeoutMs;
    if (t < 0) await done;
    else {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        done,
        new Promise<void>((r) => timer = setTimeout(r, t)),
      ]);
      clearTimeout(timer);
    }
    engine.detach(
      this,
      this.#queue.pending > 0
        ? new ProducerStoppedException(
          `the producer stopped with messages unsent after pendingTimeoutMs ${t} ms`,
        )
        : null,
    );
    this.#state = STOPPED;
    this.reports.close();
    this.#throwUnreported();
  }

  #notRunning(): ProducerStoppedException {
    return new ProducerStoppedException(
      this.#state === STOPPING
        ? `The ${this.#label} is stopping`
        : `The ${this.#label} is not running: call start()`,
    );
  }

  /** Throws unless records may be queued now. */
  #checkOpen(engine: ProduceEngine | null): asserts engine is ProduceEngine {
    if (this.#state !== RUNNING) throw this.#notRunning();
    const fatal = engine!.fatal;
    if (fatal !== undefined) throw fatal;
    engine!.txn?.checkProduce();
  }

  // ------------------------------------------------------------ produce

  /** Queues one record; resolves with its Message (after delivery when sync). */
  produce(
    h: TopicHandle,
    value: V,
    options?: ProduceOptions<K>,
  ): Promise<Message> {
    const engine = this.#engine;
    const r = this.#scratch;
    const signal = options?.signal;
    try {
      this.#checkOpen(engine);
      if (signal?.aborted) throw signal.reason;
      this.#builder.build(h, value, options, r);
    } catch (e) {
      return Promise.reject(e);
    }
    this.#produced++;
    const msg = this.#message(h, r);
    if (r.size > engine.acc.maxRecordBytes) {
      return this.#tooLarge(engine, msg, r.size);
    }
    if (!this.#queue.fits(r.size)) {
      if (!this.o.blockOnQueueFull) {
        this.#produced--;
        return Promise.reject(this.#queue.fullError());
      }
      return this.#produceWhenRoom(h, { ...r }, msg, signal);
    }
    return this.#enqueue(engine, h, r, msg, signal);
  }

  #message(h: TopicHandle, r: RecordScratch): ProducedMessage {
    return new ProducedMessage(
      r.value,
      r.key,
      r.partition,
      h.topic.name,
      r.timestamp,
      r.headers,
      this.o.compression,
    );
  }

  /** A record larger than a request: it fails without being sent. */
  #tooLarge(
    engine: ProduceEngine,
    msg: ProducedMessage,
    size: number,
  ): Promise<Message> {
    const err = new MessageSizeTooLarge(
      `Message size larger than maxRequestSize: the record takes about ${
        size + engine.acc.recordOverhead
      } bytes, maxRequestSize is ${this.o.maxRequestSize}`,
    );
    this.#failed++;
    if (this.o.sync) return Promise.reject(err);
    if (this.o.deliveryReports) this.reports.push([msg, err]);
    else {
      this.#unreportedFailure(1, err);
    }
    return Promise.resolve(msg);
  }

  #append(
    engine: ProduceEngine,
    h: TopicHandle,
    r: RecordScratch,
    msg: Message | undefined,
    settle: Settle | undefined,
  ): void {
    const ts = this.#topicState(h, engine);
    const ps = ts.parts[r.partition] ??
      engine.acc.partition(ts, r.partition);
    this.#queue.added(engine.acc.append(
      ps,
      r.key,
      r.value,
      r.timestamp,
      r.headers,
      r.size,
      this,
      msg,
      settle,
    ));
  }

  #enqueue(
    engine: ProduceEngine,
    h: TopicHandle,
    r: RecordScratch,
    msg: ProducedMessage,
    signal?: AbortSignal,
  ): Promise<Message> {
    if (!this.o.sync) {
      this.#append(engine, h, r, msg, undefined);
      return Promise.resolve(msg);
    }
    return new Promise<Message>((resolve, reject) => {
      // An abort ends this wait only: the record stays queued and is
      // reported as usual.
      let done = false;
      const onAbort = () => {
        if (done) return;
        done = true;
        reject(signal!.reason);
      };
      this.#append(
        engine,
        h,
        r,
        msg,
        settler(this.o.pendingTimeoutMs, msg.topic, msg.partitionId, (e) => {
          signal?.removeEventListener("abort", onAbort);
          if (done) return;
          done = true;
          if (e) reject(e);
          else resolve(msg);
        }),
      );
      if (!done) signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Waits for room (in order); false when the producer stopped meanwhile. */
  async #waitRoom(size: number): Promise<boolean> {
    return await this.#queue.waitRoom(size) === true &&
      this.#state === RUNNING;
  }

  async #produceWhenRoom(
    h: TopicHandle,
    r: RecordScratch,
    msg: ProducedMessage,
    signal?: AbortSignal,
  ): Promise<Message> {
    const admitted = await this.#queue.waitRoom(r.size, signal);
    if (admitted === "aborted") {
      this.#produced--;
      throw signal!.reason;
    }
    if (!admitted || this.#state !== RUNNING) {
      this.#produced--;
      throw this.#notRunning();
    }
    const engine = this.#engine!;
    this.#checkOpen(engine);
    return await this.#enqueue(engine, h, r, msg, signal);
  }

  /**
   * Queues many records with one promise: `next(i)` gives record `i` as
   * `[handle, value, options]`, or undefined at the end. Waits for room
   * when the queue is full (records stay in order); without `sync` or
   * `deliveryReports` no Message is made. Resolves with the count queued
   * (sync: once every record is delivered; rejects with the first
   * delivery error).
   */
  async produceMany(
    next: (
      i: number,
    ) => [TopicHandle, V, ProduceOptions<K> | undefined] | undefined,
  ): Promise<number> {
    const keep = this.o.sync || this.o.deliveryReports;
    const r = this.#scratch;
    let outstanding = 0;
    let firstError: Error | null = null;
    let allSettled: (() => void) | undefined;
    const onSettle = (e: Error | null) => {
      if (e !== null) firstError ??= e;
      if (--outstanding === 0) allSettled?.();
    };
    let count = 0;
    for (let i = 0;; i++) {
      const item = next(i);
      if (item === undefined) break;
      const [h, value, options] = item;
      let engine = this.#engine;
      this.#checkOpen(engine);
      this.#builder.build(h, value, options, r);
      this.#produced++;
      const msg = keep ? this.#message(h, r) : undefined;
      if (r.size > engine.acc.maxRecordBytes) {
        const p = this.#tooLarge(engine, msg ?? this.#message(h, r), r.size);
        if (this.o.sync) {
          await p.catch((e) => firstError ??= e);
        }
        count++;
        continue;
      }
      if (!this.#queue.fits(r.size)) {
        if (!this.o.blockOnQueueFull) {
          this.#produced--;
          throw this.#queue.fullError();
        }
        const copy = { ...r };
        if (!(await this.#waitRoom(copy.size))) {
          this.#produced--;
          throw this.#notRunning();
        }
        engine = this.#engine!;
        this.#checkOpen(engine);
        Object.assign(r, copy);
      }
      let settle: Settle | undefined;
      if (this.o.sync) {
        outstanding++;
        settle = settler(
          this.o.pendingTimeoutMs,
          h.topic.name,
          r.partition,
          onSettle,
        );
      }
      this.#append(engine, h, r, msg, settle);
      count++;
    }
    if (this.o.sync && outstanding > 0) {
      await new Promise<void>((resolve) => allSettled = resolve);
    }
    if (firstError !== null) throw firstError;
    return count;
  }

  // ----------------------------------------------------------- outcome

  /** The engine finished records `start`..`end` of `b`. */
  complete(
    b: Batch,
    start: number,
    end: number,
    bytes: number,
    err: Error | null,
  ): void {
    const n = end - start;
    if (err === null) this.#delivered += n;
    else this.#failed += n;
    const settles = b.settles;
    const msgs = b.msgs;
    if (settles === null && !this.o.deliveryReports) {
      if (err !== null) {
        this.#unreportedFailure(n, err);
      }
    } else {
      for (let i = start; i < end; i++) {
        const s = settles?.[i];
        if (s !== undefined) {
          s(err);
          continue;
        }
        const m = msgs?.[i];
        if (this.o.deliveryReports && m !== undefined) {
          this.reports.push([m, err]);
        } else if (err !== null) {
          this.#unreportedFailure(1, err);
        }
      }
    }
    this.#queue.removed(n, bytes);
  }

  getDeliveryReport(
    block: boolean,
    timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<DeliveryReport | null> {
    if (!this.o.deliveryReports) {
      return Promise.reject(
        new KafkaError(
          "Delivery-reporting is disabled: create the producer with deliveryReports: true",
        ),
      );
    }
    if (!block) return Promise.resolve(this.reports.shift());
    return this.reports.wait(timeoutMs, signal);
  }

  async *deliveryReports(): AsyncGenerator<DeliveryReport, void, undefined> {
    while (true) {
      const r = await this.getDeliveryReport(true, undefined, undefined);
      if (r !== null) {
        yield r;
        continue;
      }
      if (this.reports.closed && this.reports.size === 0) return;
    }
  }

  async flush(timeoutMs: number | undefined): Promise<void> {
    const engine = this.#engine;
    const done = this.#state === RUNNING && engine !== null
      ? engine.flush()
      : Promise.resolve();
    if (timeoutMs !== undefined && timeoutMs >= 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = await Promise.race([
        done.then(() => false),
        new Promise<boolean>((r) =>
          timer = setTimeout(() => r(true), timeoutMs)
        ),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        throw new ProduceFailureError(
          `flush() timed out after ${timeoutMs} ms with ${this.#queue.pending} messages pending`,
        );
      }
    } else await done;
    this.#throwUnreported();
    const fatal = engine?.fatal;
    if (fatal !== undefined) throw fatal;
  }

  /**
   * `n` records failed and nobody was told: the next flush() or stop()
   * throws. Records of an aborted transaction are not counted: the abort
   * (or the failed commit that led to it) told the caller.
   */
  #unreportedFailure(n: number, err: Error): void {
    if (err instanceof TransactionAbortedError) return;
    this.#unreported += n;
    this.#firstUnreported ??= err;
  }

  #throwUnreported(): void {
    if (this.#unreported === 0) return;
    const n = this.#unreported;
    const cause = this.#firstUnreported;
    this.#unreported = 0;
    this.#firstUnreported = undefined;
    throw new ProduceFailureError(
      `${n} message(s) of the ${this.#label} could not be delivered (enable deliveryReports to see each one); the first failed with: ${cause?.message}`,
      { cause },
    );
  }

  // ------------------------------------------------------- transactions

  #txn(what: string) {
    const engine = this.#engine;
    if (this.o.transactionalId === undefined) {
      throw new InvalidTxnStateError(
        `${what}: the ${this.#label} is not transactional (give it a transactionalId)`,
      );
    }
    if (this.#state !== RUNNING || engine === null) throw this.#notRunning();
    return engine;
  }

  async beginTransaction(): Promise<void> {
    const engine = this.#txn("beginTransaction()");
    await engine.attach(this);
    engine.txn!.begin();
  }

  async sendOffsetsToTransaction(
    offsets: readonly TransactionOffset[],
    group: ConsumerGroupMetadata,
    options: TransactionCallOptions,
  ): Promise<void> {
    const engine = this.#txn("sendOffsetsToTransaction()");
    checkTransactionArgs(offsets, group, options);
    await engine.txn!.sendOffsets(offsets, group, options);
  }

  async commitTransaction(options: TransactionCallOptions): Promise<void> {
    const engine = this.#txn("commitTransaction()");
    checkTransactionArgs([], undefined, options);
    await engine.txn!.commit(options);
  }

  async abortTransaction(options: TransactionCallOptions): Promise<void> {
    const engine = this.#txn("abortTransaction()");
    checkTransactionArgs([], undefined, options);
    await engine.txn!.abort(options);
  }
}
