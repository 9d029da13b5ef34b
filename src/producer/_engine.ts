// The produce engine (internal): one per client configuration, shared by
// every producer whose settings agree on the wire (acks, codec, batching,
// retries, idempotence): one accumulator keyed by (topic, partition) across
// topics, one sink per leader broker (one Produce request carries the
// batches of every topic that broker leads), one producer id and epoch.
// A transactional producer has an engine of its own (its transactional id
// is its identity). Here: start and stop, the drain loop, and what happens
// to each batch's outcome (retries, splits, idempotence resets,
// transactions).
import {
  KafkaError,
  LeaderNotFoundError,
  ProduceFailureError,
  ProducerStoppedException,
} from "../errors/mod.ts";
import { CompressionType } from "../records/mod.ts";
import type { Broker, Cluster } from "../cluster/mod.ts";
import {
  type PolicyShape,
  producerPolicy,
} from "../cluster/_retry_policies.ts";
import { backoffDelay } from "../util/retry.ts";
import { Accumulator } from "./_accumulator.ts";
import {
  type Batch,
  type BatchOwner,
  countRequestForOwners,
  type PartitionState,
  type TopicState,
} from "./_batch.ts";
import { splitBatch } from "./_batch_split.ts";
import { batchErrorAction } from "./_batch_errors.ts";
import {
  encodeBatch,
  type EncodeContext,
  recordOverhead,
} from "./_batch_encoder.ts";
import { Idempotence, initIdempotentProducerId } from "./_idempotence.ts";
import { BATCH_OVERHEAD, BrokerSink, type SinkHost } from "./_sink.ts";
import { TransactionManager } from "./_transactions.ts";
import {
  engineKey,
  type EngineOptions,
  EngineRegistry,
} from "./_engine_registry.ts";

/** The most batches of one partition in flight with idempotence. */
const IDEMPOTENT_MAX_IN_FLIGHT = 5;

/** Engine-wide counters (producers keep their own as well). */
export interface EngineCounters {
  requests: number;
  retries: number;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new KafkaError(String(e));
}

const registry = new EngineRegistry<ProduceEngine>();

/** The batching and sending machinery of one producer identity. */
export class ProduceEngine implements SinkHost {
  readonly cluster: Cluster;
  readonly #o: EngineOptions;
  readonly #key: string | null;
  readonly acc: Accumulator;
  readonly idem: Idempotence;
  /** The transaction state machine (transactional producers), else null. */
  readonly txn: TransactionManager | null;
  readonly counters: EngineCounters = { requests: 0, retries: 0 };
  readonly #retryPolicy: PolicyShape;
  readonly #sinks = new Map<number, BrokerSink>();
  readonly #owners = new Set<BatchOwner>();
  #inFlightTotal = 0;
  #magic = -1;
  #requestSeq = 0;
  #drainScheduled = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;
  #running = false;
  #ready = false;
  #init: Promise<void> | undefined;
  #refreshing = false;
  #fatal: Error | undefined;
  #abort = new AbortController();
  readonly #encoding: EncodeContext;
  readonly maxInFlight: number;
  readonly maxRequestSize: number;
  readonly requiredAcks: -1 | 0 | 1;
  readonly ackTimeoutMs: number;
  readonly compression: CompressionType;
  readonly transactionalId: string | null;

  /**
   * The engine for producers with options `o` on `cluster`: a shared one
   * (made on first use), or a new one of its own for a transactional
   * producer.
   */
  static acquire(cluster: Cluster, o: EngineOptions): ProduceEngine {
    const key = engineKey(o);
    return key === null
      ? new ProduceEngine(cluster, o, null)
      : registry.get(cluster, key, () => new ProduceEngine(cluster, o, key));
  }

  private constructor(cluster: Cluster, o: EngineOptions, key: string | null) {
    this.cluster = cluster;
    this.#o = o;
    this.#key = key;
    this.#retryPolicy = producerPolicy(o.maxRetries, o.retryBackoffMs);
    this.maxInFlight = o.maxInFlight;
    this.maxRequestSize = o.maxRequestSize;
    this.requiredAcks = o.requiredAcks;
    this.ackTimeoutMs = o.ackTimeoutMs;
    this.compression = o.compression;
    this.transactionalId = o.transactionalId ?? null;
    let limit = Math.min(o.batchSizeBytes, o.maxRequestSize - BATCH_OVERHEAD);
    if (o.compression !== CompressionType.NONE) {
      // Incompressible data grows a little when compressed.
      limit = Math.floor(limit * 0.99) - 64;
    }
    this.acc = new Accumulator({
      batchLimit: Math.max(1, limit),
      lingerMs: o.lingerMs,
      minQueuedMessages: o.minQueuedMessages,
    }, {
      requestDrain: () => this.#requestDrain(),
      wakeAt: (at) => this.#wakeAt(at),
      newTopic: (ts) => this.#connectLeaders(ts),
    });
    this.idem = new Idempotence({
      init: () =>
        this.txn !== null
          ? this.txn.initProducerId()
          : initIdempotentProducerId(
            cluster,
            o.maxRetries,
            o.retryBackoffMs,
            this.#abort.signal,
          ),
      inFlight: () => this.#inFlightTotal,
      resetDone: () => {
        for (const ps of this.acc.partitions) {
          ps.nextSequence = 0;
          for (const b of ps.queue) b.baseSequence = -1;
        }
        this.#requestDrain();
      },
      resetFailed: (err) => {
        if (this.#running) this.#setFatal(err);
        else this.#abandon(null, err);
      },
    });
    const txnId = o.transactionalId;
    this.txn = txnId === undefined
      ? null
      : new TransactionManager(txnId, o.transactionTimeoutMs, {
        cluster,
        idem: this.idem,
        signal: () => this.#abort.signal,
        flush: () => this.acc.flush(),
        abandonUnsent: (err) => this.#abandon(null, err),
        resetSequences: () => {
          for (const ps of this.acc.partitions) {
            ps.nextSequence = 0;
            ps.inTransaction = false;
          }
        },
        leaveTransaction: () => {
          for (const ps of this.acc.partitions) ps.inTransaction = false;
        },
        requestDrain: () => this.#requestDrain(),
        fatal: (err) => this.#setFatal(err),
      });
    const acc = this.acc;
    this.#encoding = {
      idem: this.idem,
      compression: o.compression,
      compressionLevel: o.compressionLevel,
      transactional: o.transactionalId !== undefined,
      get recordOverhead() {
        return acc.recordOverhead;
      },
      finish: (x, err) => this.#finish(x, err),
      complete: (x, err) => this.#complete(x, err),
    };
  }

  // ------------------------------------------------------ SinkHost values

  get maxProduceVersion(): number {
    // Transactions v1 may not use Produce v12+ (which adds partitions).
    return this.txn !== null && !this.txn.v2 ? 11 : Infinity;
  }
  get socketTimeoutMs(): number {
    return this.cluster.connectionSettings.socketTimeoutMs ?? 30_000;
  }
  get idempotent(): boolean {
    return this.idem.enabled;
  }

  /** The fatal error that stopped the engine, if any. */
  get fatal(): Error | undefined {
    return this.#fatal;
  }

  /** The producer id and epoch (-1 without idempotence). */
  get producerId(): { id: number; epoch: number } {
    return { id: this.idem.id, epoch: this.idem.epoch };
  }

  /** Producers attached now. */
  get owners(): number {
    return this.#owners.size;
  }

  // -------------------------------------------------------- start, stop

  /**
   * Attaches a producer; starts the engine when it is the first. Resolves
   * once the producer id is known (idempotence, transactions).
   */
  attach(owner: BatchOwner): Promise<void> {
    this.#owners.add(owner);
    return this.#start();
  }

  #start(): Promise<void> {
    if (this.#running && this.#init !== undefined) return this.#init;
    if (this.#running && this.#fatal !== undefined) {
      return Promise.reject(this.#fatal);
    }
    if (!this.#running) this.#fatal = undefined; // a restart tries again
    this.#running = true;
    if (this.#abort.signal.aborted) this.#abort = new AbortController();
    if (this.#ready) {
      this.#requestDrain();
      return Promise.resolve();
    }
    if (this.txn === null && this.#o.idempotent === false) {
      this.#ready = true;
      this.#requestDrain();
      return Promise.resolve();
    }
    this.#init ??= (this.txn !== null
      ? this.txn.initProducerId().then((p) => {
        this.idem.set(p);
        this.idem.enabled = true;
      })
      : this.idem.setUp(this.cluster, this.#o.idempotent)).then(
        () => {
          this.#ready = true;
          this.#init = undefined;
          this.#requestDrain();
        },
        (e) => {
          this.#init = undefined;
          this.#setFatal(asError(e));
          throw e;
        },
      );
    return this.#init;
  }

  /**
   * Detaches a producer. Batches holding only its records and not sent
   * yet fail with `error` (when given); the last producer stops the engine
   * (every unsent batch fails) and it leaves the registry.
   */
  detach(owner: BatchOwner, error: Error | null): void {
    if (!this.#owners.delete(owner)) return;
    if (this.#owners.size > 0) {
      if (error !== null) this.#abandon(owner, error);
      return;
    }
    this.#running = false;
    this.#abort.abort(new ProducerStoppedException("the producer stopped"));
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
    if (error !== null) this.#abandon(null, error);
    if (this.#key !== null) registry.release(this.cluster, this.#key, this);
  }

  #setFatal(e: Error): void {
    this.#fatal ??= e;
    this.#abandon(null, e);
  }

  /**
   * Fails every batch not in flight (open or queued) with `error`: all of
   * them, or (`owner`) those holding only that producer's records.
   */
  #abandon(owner: BatchOwner | null, error: Error): void {
    for (const ps of this.acc.partitions) {
      if (ps.open !== null && (owner === null || ps.open.ownedOnlyBy(owner))) {
        this.acc.close(ps);
      }
      if (ps.queue.length === 0) continue;
      const keep: Batch[] = [];
      const fail: Batch[] = [];
      for (const b of ps.queue) {
        (owner === null || b.ownedOnlyBy(owner) ? fail : keep).push(b);
      }
      ps.queue.length = 0;
      ps.queue.push(...keep);
      for (const b of fail) this.#finish(b, error);
    }
  }

  /** Opens the leaders' connections now, so the first request does not wait. */
  #connectLeaders(ts: TopicState): void {
    const seen = new Set<Broker>();
    for (const p of ts.topic.partitions.values()) {
      if (!p.hasLeader) continue;
      const b = p.leader;
      if (seen.has(b) || b.connected) continue;
      seen.add(b);
      b.connect().catch(() => {/* the first request reports it */});
    }
  }

  /** Sends everything now; resolves once every batch so far is finished. */
  flush(): Promise<void> {
    return this.acc.flush();
  }

  // --------------------------------------------------------------- drain

  #requestDrain(): void {
    if (this.#drainScheduled) return;
    this.#drainScheduled = true;
    queueMicrotask(this.#drainTask);
  }

  readonly #drainTask = (): void => {
    this.#drainScheduled = false;
    this.#drain();
  };

  #wakeAt(at: number): void {
    if (at >= this.#timerAt || !this.#running) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(this.#onTimer, Math.max(0, at - Date.now()));
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    this.#drain();
  };

  #drain(): void {
    if (!this.#running || !this.#ready || this.idem.resetting) return;
    const acc = this.acc;
    const now = Date.now();
    const linger = this.#o.lingerMs;
    const force = acc.force;
    acc.force = false;
    let groups: Map<BrokerSink, PartitionState[]> | undefined;
    let missing = false;
    for (const ps of acc.partitions) {
      const open = ps.open;
      if (open !== null && (force || now - open.createdAt >= linger)) {
        acc.close(ps);
      }
      if (ps.queue.length === 0 && ps.open === null) continue;
      const p = ps.topic.topic.partitions.get(ps.id);
      if (p === undefined || !p.hasLeader) {
        if (ps.queue.length > 0) {
          ps.leaderMissing = true;
          missing = true;
        }
        continue;
      }
      ps.leaderMissing = false;
      const sink = this.#sink(p.leader);
      groups ??= new Map();
      const list = groups.get(sink);
      if (list === undefined) groups.set(sink, [ps]);
      else list.push(ps);
    }
    if (groups !== undefined) {
      for (const [sink, list] of groups) sink.send(list, now);
    }
    let wake = Infinity;
    for (const ps of acc.partitions) {
      if (ps.open !== null && ps.open.createdAt + linger < wake) {
        wake = ps.open.createdAt + linger;
      }
      const h = ps.queue[0];
      if (h !== undefined && h.retryAt > now && h.retryAt < wake) {
        wake = h.retryAt;
      }
    }
    if (wake < Infinity) this.#wakeAt(wake);
    if (missing) {
      this.#refreshMetadata(
        new LeaderNotFoundError("a partition has no known leader"),
        true,
      );
    }
  }

  #sink(broker: Broker): BrokerSink {
    let sink = this.#sinks.get(broker.id);
    if (sink === undefined || sink.broker !== broker) {
      sink = new BrokerSink(broker, this);
      this.#sinks.set(broker.id, sink);
    }
    return sink;
  }

  // ---------------------------------------------------- SinkHost methods

  sendable(ps: PartitionState, now: number): boolean {
    const b = ps.queue[0];
    if (b === undefined || b.retryAt > now) return false;
    const inFlight = ps.inFlight.length;
    if (ps.splitting > 0 && inFlight > 0) return false;
    if (this.idem.enabled) {
      if (inFlight >= IDEMPOTENT_MAX_IN_FLIGHT) return false;
      // A retried batch goes alone, once everything before it is answered.
      if (b.baseSequence !== -1 && inFlight > 0) return false;
    }
    return this.txn === null || this.txn.maySend(ps);
  }

  mayRideAlong(ps: PartitionState): boolean {
    const inFlight = ps.inFlight.length;
    return ps.queue.length === 0 && ps.open !== null &&
      (ps.splitting === 0 || inFlight === 0) &&
      (!this.idem.enabled || inFlight < IDEMPOTENT_MAX_IN_FLIGHT) &&
      (this.txn === null || this.txn.maySend(ps));
  }

  close(ps: PartitionState): void {
    this.acc.close(ps);
  }

  formatIs(magic: number): void {
    if (magic === this.#magic) return;
    this.#magic = magic;
    this.acc.recordOverhead = recordOverhead(magic);
  }

  encode(b: Batch, magic: number): Uint8Array | null {
    return encodeBatch(b, magic, this.#encoding);
  }

  encodeFailed(b: Batch, err: Error): void {
    this.#fail(b, err);
  }

  countRequest(batches: Batch[], bytes: number): void {
    this.counters.requests++;
    countRequestForOwners(batches, bytes, ++this.#requestSeq);
  }

  requestStarted(): void {
    this.#inFlightTotal++;
  }

  requestEnded(): void {
    this.#inFlightTotal--;
  }

  delivered(b: Batch, baseOffset: number, logAppendTime: number): void {
    b.stampDelivered(baseOffset, logAppendTime);
    this.#finish(b, null);
  }

  batchError(b: Batch, err: Error): void {
    const ps = b.ps;
    if (!this.#running) {
      this.#fail(
        b,
        new ProducerStoppedException(
          `the producer stopped before ${ps.label} could be retried: ${err.message}`,
          { cause: err },
        ),
      );
      return;
    }
    const action = batchErrorAction(b, err, this.idem, this.txn !== null);
    switch (action) {
      case "fatal":
        this.#finish(b, this.txn!.fatal(err));
        return;
      case "resequence":
        b.baseSequence = -1;
        ps.requeue(b);
        return;
      case "wait":
        ps.requeue(b);
        return;
      case "abort-only":
        this.txn!.bumpEpoch();
        this.#fail(b, err);
        return;
      case "split": {
        const second = splitBatch(b, this.acc, this.acc.recordOverhead);
        ps.requeue(b);
        ps.requeue(second);
        return;
      }
      case "fail":
        this.#fail(b, err);
        return;
    }
    // "reset" or "retry": another attempt, if any is left.
    if (action === "retry") this.#refreshMetadata(err, false);
    if (b.attempts >= this.#o.maxRetries) {
      this.#fail(b, this.#gaveUp(b, err));
      return;
    }
    this.#retried(b);
    if (action === "reset") {
      this.idem.reset();
      b.baseSequence = -1;
    } else {
      b.retryAt = Date.now() +
        backoffDelay(b.attempts - 1, this.#retryPolicy.backoff);
    }
    ps.requeue(b);
  }

  #retried(b: Batch): void {
    b.attempts++;
    this.counters.retries++;
    for (const o of new Set(b.owners)) o.counters.retries++;
  }

  #gaveUp(b: Batch, err: Error): ProduceFailureError {
    return new ProduceFailureError(
      `delivering ${b.count} message(s) to ${b.ps.label} failed after ${
        b.attempts + 1
      } attempts: ${err.message}`,
      { cause: err },
    );
  }

  #fail(b: Batch, err: Error): void {
    const idem = this.idem;
    if (
      this.txn === null && idem.enabled && b.baseSequence !== -1 &&
      b.producerId === idem.id
    ) {
      // Its sequence numbers are lost: later batches would be out of order.
      idem.reset();
    }
    this.#finish(b, err);
  }

  #finish(b: Batch, err: Error | null): void {
    if (b.split) {
      b.split = false;
      b.ps.splitting--;
    }
    b.encoded = null;
    b.dropStaging();
    if (err !== null && this.txn !== null) this.txn.batchFailed(err);
    this.#complete(b, err);
    if (b.serial >= 0) this.acc.finished(b);
  }

  /** Tells each producer of `b` that its records are finished. */
  #complete(b: Batch, err: Error | null): void {
    const owners = b.owners;
    let start = 0;
    for (let k = 0; k < owners.length; k++) {
      const end = b.ends[k];
      owners[k].complete(b, start, end, b.ownerBytes[k], err);
      start = end;
    }
  }

  afterCompletion(): void {
    if (this.idem.resetting && this.#inFlightTotal === 0) {
      this.idem.runReset();
    }
    this.#requestDrain();
  }

  #refreshMetadata(err: Error, countMissing: boolean): void {
    if (this.#refreshing) return;
    this.#refreshing = true;
    this.cluster.updateOnError(err).catch(() => false).then(() => {
      this.#refreshing = false;
      if (countMissing) this.#afterLeaderlessRefresh(err);
      this.#requestDrain();
    });
  }

  /** Batches of partitions still without a leader use up their retries. */
  #afterLeaderlessRefresh(err: Error): void {
    for (const ps of this.acc.partitions) {
      if (!ps.leaderMissing) continue;
      const p = ps.topic.topic.partitions.get(ps.id);
      if (p !== undefined && p.hasLeader) continue;
      const q = ps.queue.splice(0);
      for (const b of q) {
        if (b.attempts >= this.#o.maxRetries) {
          this.#fail(b, this.#gaveUp(b, err));
        } else {
          b.attempts++;
          ps.queue.push(b);
        }
      }
    }
  }
}
