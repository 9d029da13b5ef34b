// The producer's engine (internal): per-partition batches filled by
// count, bytes and linger; one Produce request per leader broker carrying a
// batch of every ready partition, several in flight; retries with metadata
// refresh when a leader moves; idempotent delivery (producer id, sequence
// numbers, resequencing after OUT_OF_ORDER_SEQUENCE / UNKNOWN_PRODUCER_ID).
import {
  AuthorizationError,
  errorForCode,
  InvalidProducerEpoch,
  KafkaError,
  LeaderNotFoundError,
  MessageSizeTooLarge,
  OutOfOrderSequenceNumber,
  ProduceFailureError,
  ProducerStoppedException,
  UnknownProducerId,
  UnsupportedCompressionType,
  UnsupportedFeatureError,
  UnsupportedForMessageFormat,
} from "../errors/mod.ts";
import {
  InitProducerId,
  Produce,
  type ProduceRequest,
  type ProduceRequestPartitionProduceData,
  type ProduceResponse,
  type ProduceResponsePartitionProduceResponse,
} from "../protocol/mod.ts";
import {
  CompressionType,
  encodeRecords,
  TimestampType,
} from "../records/mod.ts";
import type { Broker, ClusterTopic } from "../cluster/mod.ts";
import {
  INIT_PRODUCER_ID_MIN_ATTEMPTS,
  type PolicyShape,
  producerPolicy,
} from "../cluster/_retry_policies.ts";
import { backoffDelay, isRetriable, RetrySchedule } from "../util/retry.ts";
import { Batch, nextSequence, PartitionState, type Settle } from "./_batch.ts";
import { payloadSize, type ProducedMessage } from "./_message.ts";
import type { ResolvedProducerOptions } from "./options.ts";

/** Bytes a batch adds to a request besides its records (upper bound). */
export const BATCH_OVERHEAD = 64;
/** Upper bound of a RecordBatch v2 record's framing (lengths, deltas). */
const V2_RECORD_OVERHEAD = 24;
/** The most batches of one partition in flight with idempotence. */
const IDEMPOTENT_MAX_IN_FLIGHT = 5;

/** What the sender reports to the producer. */
export interface SenderHost {
  /** A batch is finished: delivered (`null`) or failed for good. */
  complete(batch: Batch, error: Error | null): void;
}

/** Counters of the sender. */
export interface SenderCounters {
  requests: number;
  largestRequestBytes: number;
  retries: number;
  producerIdResets: number;
  batchSplits: number;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new KafkaError(String(e));
}

/** The producer's batching and sending machinery. */
export class Sender {
  readonly #topic: ClusterTopic;
  readonly #o: ResolvedProducerOptions<unknown, unknown>;
  readonly #host: SenderHost;
  readonly #parts = new Map<number, PartitionState>();
  readonly #inflightByBroker = new Map<number, number>();
  #inflightTotal = 0;
  readonly #batchLimit: number;
  /** The batches' retries (`maxRetries`, `retryBackoffMs`). */
  readonly #retryPolicy: PolicyShape;
  /** Estimated framing bytes per record (known once the format is). */
  recordOverhead = 34;
  #magic = -1;
  #gen = 0;
  readonly #genBatches = new Map<number, number>();
  #flushWaiters: { gen: number; resolve: () => void }[] = [];
  #openMessages = 0;
  #force = false;
  #drainScheduled = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;
  #running = false;
  #ready = false;
  #init: Promise<void> | undefined;
  #idempotent = false;
  #producerId = -1;
  #producerEpoch = -1;
  #pidResetting = false;
  #pidResetRunning = false;
  #refreshing = false;
  #fatal: Error | undefined;
  #abort = new AbortController();
  readonly counters: SenderCounters = {
    requests: 0,
    largestRequestBytes: 0,
    retries: 0,
    producerIdResets: 0,
    batchSplits: 0,
  };

  constructor(
    topic: ClusterTopic,
    options: ResolvedProducerOptions<unknown, unknown>,
    host: SenderHost,
  ) {
    this.#topic = topic;
    this.#o = options;
    this.#host = host;
    this.#retryPolicy = producerPolicy(
      options.maxRetries,
      options.retryBackoffMs,
    );
    let limit = Math.min(
      options.batchSizeBytes,
      options.maxRequestSize - BATCH_OVERHEAD,
    );
    if (options.compression !== CompressionType.NONE) {
      // Incompressible data grows a little when compressed.
      limit = Math.floor(limit * 0.99) - 64;
    }
    this.#batchLimit = Math.max(1, limit);
  }

  /** The fatal error that stopped the sender, if any. */
  get fatal(): Error | undefined {
    return this.#fatal;
  }

  /** Whether idempotent delivery is on (known once started). */
  get idempotent(): boolean {
    return this.#idempotent;
  }

  /** The producer id and epoch (-1 without idempotence). */
  get producerId(): { id: number; epoch: number } {
    return { id: this.#producerId, epoch: this.#producerEpoch };
  }

  /** The largest record (value, key and headers) that fits a request. */
  get maxRecordBytes(): number {
    return this.#batchLimit - this.recordOverhead;
  }

  // ---------------------------------------------------------------- start

  /** Starts sending; resolves once idempotence is set up (if wanted). */
  start(): Promise<void> {
    if (this.#running && this.#init !== undefined) return this.#init;
    if (!this.#running) this.#fatal = undefined; // a restart tries again
    this.#running = true;
    if (this.#abort.signal.aborted) this.#abort = new AbortController();
    if (this.#ready) {
      this.#requestDrain();
      return Promise.resolve();
    }
    this.#connectLeaders();
    if (this.#o.idempotent === false) {
      this.#ready = true;
      this.#requestDrain();
      return Promise.resolve();
    }
    this.#init ??= this.#setUpIdempotence().then(
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

  /** Stops sending; batches not yet sent stay until `abandon`. */
  stop(): void {
    this.#running = false;
    this.#abort.abort(new ProducerStoppedException("the producer stopped"));
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }

  /** Fails every batch not in flight with `error`. */
  abandon(error: Error): void {
    for (const ps of this.#parts.values()) {
      if (ps.open !== null) this.#close(ps);
      const q = ps.queue.splice(0);
      for (const b of q) this.#finish(b, error);
    }
  }

  #setFatal(e: Error): void {
    this.#fatal ??= e;
    this.abandon(e);
  }

  /** Opens the leaders' connections now, so the first request does not wait. */
  #connectLeaders(): void {
    const seen = new Set<Broker>();
    for (const p of this.#topic.partitions.values()) {
      if (!p.hasLeader) continue;
      const b = p.leader;
      if (seen.has(b) || b.connected) continue;
      seen.add(b);
      b.connect().catch(() => {/* the first request reports it */});
    }
  }

  #brokers(): Broker[] {
    const out: Broker[] = [];
    for (const p of this.#topic.partitions.values()) {
      if (p.hasLeader && !out.includes(p.leader)) out.push(p.leader);
    }
    for (const b of this.#topic.cluster.brokers.values()) {
      if (!b.closed && !out.includes(b)) out.push(b);
    }
    return out;
  }

  async #setUpIdempotence(): Promise<void> {
    const want = this.#o.idempotent; // true or undefined (auto)
    let supported: boolean | undefined;
    let last: unknown;
    for (const broker of this.#brokers()) {
      try {
        const produce = await broker.apiVersion(Produce);
        supported = produce >= 3 && await broker.supports(InitProducerId);
        break;
      } catch (e) {
        last = e;
        if (!(e instanceof KafkaError && e.retriable)) break;
      }
    }
    if (supported === undefined) {
      throw last ?? new KafkaError("no broker to ask about idempotence");
    }
    if (!supported) {
      if (want === true) {
        throw new UnsupportedFeatureError(
          "idempotent delivery needs Kafka 0.11 or later (Produce v3+ and InitProducerId); the broker does not support it",
        );
      }
      this.#idempotent = false;
      return;
    }
    try {
      await this.#initProducerId();
      this.#idempotent = true;
    } catch (e) {
      if (want === undefined && e instanceof AuthorizationError) {
        this.#idempotent = false; // no IDEMPOTENT_WRITE permission: plain
        return;
      }
      throw e;
    }
  }

  async #initProducerId(): Promise<void> {
    const schedule = new RetrySchedule({
      ...producerPolicy(
        this.#o.maxRetries,
        this.#o.retryBackoffMs,
        INIT_PRODUCER_ID_MIN_ATTEMPTS,
      ),
      signal: this.#abort.signal,
    });
    let last: unknown;
    for (;;) {
      // A new broker for every attempt.
      const brokers = this.#brokers();
      const broker = brokers[schedule.failures % Math.max(1, brokers.length)];
      if (broker === undefined) break;
      try {
        const version = await broker.apiVersion(InitProducerId);
        const res = await broker.send(InitProducerId, {
          transactionalId: null,
          transactionTimeoutMs: 60_000,
          ...(version >= 3 ? { producerId: -1, producerEpoch: -1 } : {}),
        }, { version, signal: this.#abort.signal });
        if (res.errorCode === 0) {
          this.#producerId = res.producerId;
          this.#producerEpoch = res.producerEpoch;
          return;
        }
        throw errorForCode(res.errorCode);
      } catch (e) {
        if (!isRetriable(e)) throw e;
        last = e;
        await this.#topic.cluster.updateOnError(e).catch(() => false);
        if (!(await schedule.pause(e))) break;
      }
    }
    throw new ProduceFailureError(
      `InitProducerId failed after ${schedule.attempts} attempts`,
      { cause: last },
    );
  }

  // ---------------------------------------------------------------- append

  #state(partition: number): PartitionState {
    let ps = this.#parts.get(partition);
    if (ps === undefined) {
      ps = new PartitionState(partition);
      this.#parts.set(partition, ps);
    }
    return ps;
  }

  #newBatch(ps: PartitionState, now: number): Batch {
    const gen = this.#gen;
    const b = new Batch(ps.id, ps.nextSerial++, gen, now);
    this.#genBatches.set(gen, (this.#genBatches.get(gen) ?? 0) + 1);
    return b;
  }

  /**
   * Queues a message for a partition. `size` is the bytes of its value,
   * key and headers; `settle` is called once it is delivered or failed
   * (sync producers).
   */
  append(
    msg: ProducedMessage,
    partition: number,
    size: number,
    settle: Settle | undefined,
  ): void {
    const ps = this.#state(partition);
    const bytes = size + this.recordOverhead;
    let b = ps.open;
    const limit = ps.batchLimit < this.#batchLimit
      ? ps.batchLimit
      : this.#batchLimit;
    if (b !== null && b.bytes + bytes > limit) {
      this.#close(ps);
      this.#requestDrain();
      b = null;
    }
    if (b === null) {
      const now = Date.now();
      b = ps.open = this.#newBatch(ps, now);
      const linger = this.#o.lingerMs;
      if (linger === 0) this.#requestDrain();
      else this.#wakeAt(now + linger);
    }
    const i = b.messages.push(msg) - 1;
    if (settle !== undefined) (b.settles ??= [])[i] = settle;
    b.bytes += bytes;
    b.payloadBytes += size;
    this.#openMessages++;
    if (b.bytes >= limit) {
      this.#close(ps);
      this.#requestDrain();
    } else if (this.#openMessages >= this.#o.minQueuedMessages) {
      this.#force = true;
      this.#requestDrain();
    }
  }

  /** Fails one message that never made it into a batch. */
  rejectMessage(
    msg: ProducedMessage,
    size: number,
    error: Error,
    settle?: Settle,
  ): void {
    const b = new Batch(msg.partitionId, -1, -1, Date.now());
    b.messages.push(msg);
    b.payloadBytes = size;
    if (settle) b.settles = [settle];
    this.#host.complete(b, error);
  }

  #close(ps: PartitionState): void {
    const b = ps.open!;
    ps.open = null;
    ps.queue.push(b);
    // Messages of this batch no longer count towards minQueuedMessages.
    this.#openMessages -= b.messages.length;
  }

  /** Sends everything now; resolves once every batch so far is finished. */
  flush(): Promise<void> {
    const target = this.#gen++;
    for (const ps of this.#parts.values()) {
      if (ps.open !== null) this.#close(ps);
    }
    this.#openMessages = 0;
    this.#requestDrain();
    if (!this.#pendingUpTo(target)) return Promise.resolve();
    return new Promise((resolve) =>
      this.#flushWaiters.push({ gen: target, resolve })
    );
  }

  #pendingUpTo(gen: number): boolean {
    for (const g of this.#genBatches.keys()) if (g <= gen) return true;
    return false;
  }

  // ---------------------------------------------------------------- drain

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
    if (!this.#running || !this.#ready || this.#pidResetting) return;
    const now = Date.now();
    const linger = this.#o.lingerMs;
    const force = this.#force;
    this.#force = false;
    let groups: Map<Broker, PartitionState[]> | undefined;
    let missing = false;
    for (const ps of this.#parts.values()) {
      if (ps.open !== null && (force || now - ps.open.createdAt >= linger)) {
        this.#close(ps);
      }
      if (ps.queue.length === 0) continue;
      const p = this.#topic.partitions.get(ps.id);
      if (p === undefined || !p.hasLeader) {
        ps.leaderMissing = true;
        missing = true;
        continue;
      }
      ps.leaderMissing = false;
      const leader = p.leader;
      groups ??= new Map();
      const list = groups.get(leader);
      if (list === undefined) groups.set(leader, [ps]);
      else list.push(ps);
    }
    if (groups !== undefined) {
      for (const [broker, list] of groups) {
        // Partitions of this leader with only a young open batch ride along.
        for (const ps of this.#parts.values()) {
          if (
            ps.open !== null && ps.queue.length === 0 &&
            this.#topic.partitions.get(ps.id)?.leaderId === broker.id
          ) list.push(ps);
        }
        this.#sendTo(broker, list, now);
      }
    }
    let wake = Infinity;
    for (const ps of this.#parts.values()) {
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
        new LeaderNotFoundError(
          `a partition of ${this.#topic.name} has no known leader`,
        ),
        true,
      );
    }
  }

  #sendable(ps: PartitionState, now: number): boolean {
    const b = ps.queue[0];
    if (b === undefined || b.retryAt > now) return false;
    if (ps.splitting > 0 && ps.inFlight.length > 0) return false;
    if (this.#idempotent) {
      if (ps.inFlight.length >= IDEMPOTENT_MAX_IN_FLIGHT) return false;
      // A retried batch goes alone, once everything before it is answered.
      if (b.baseSequence !== -1 && ps.inFlight.length > 0) return false;
    }
    return true;
  }

  #sendTo(broker: Broker, list: PartitionState[], now: number): void {
    const max = this.#o.maxInFlight;
    const limit = this.#o.maxRequestSize;
    while ((this.#inflightByBroker.get(broker.id) ?? 0) < max) {
      let any = false;
      for (const ps of list) {
        if (this.#sendable(ps, now)) {
          any = true;
          break;
        }
      }
      if (!any) return;
      const batches: Batch[] = [];
      let size = 0;
      for (const ps of list) {
        let b: Batch | undefined;
        if (this.#sendable(ps, now)) {
          b = ps.queue[0];
        } else if (
          ps.queue.length === 0 && ps.open !== null &&
          (ps.splitting === 0 || ps.inFlight.length === 0) &&
          (!this.#idempotent ||
            ps.inFlight.length < IDEMPOTENT_MAX_IN_FLIGHT)
        ) {
          this.#close(ps);
          b = ps.queue[0];
        }
        if (b === undefined) continue;
        const est = b.bytes + BATCH_OVERHEAD;
        if (batches.length > 0 && size + est > limit) continue;
        ps.queue.shift();
        batches.push(b);
        size += est;
      }
      if (batches.length === 0) return;
      this.#inflightByBroker.set(
        broker.id,
        (this.#inflightByBroker.get(broker.id) ?? 0) + 1,
      );
      this.#inflightTotal++;
      for (const b of batches) this.#parts.get(b.partition)!.inFlight.push(b);
      this.#dispatch(broker, batches);
    }
  }

  #requestDone(broker: Broker): void {
    this.#inflightByBroker.set(
      broker.id,
      (this.#inflightByBroker.get(broker.id) ?? 1) - 1,
    );
    this.#inflightTotal--;
  }

  /** Encodes and sends one request (the batches are already in flight). */
  #dispatch(broker: Broker, batches: Batch[]): void {
    const versions = broker.versions;
    if (versions === undefined) {
      // Not connected yet (or reconnecting): learn the versions first.
      broker.apiVersion(Produce).then(
        () => this.#dispatch(broker, batches),
        (e) => this.#requestFailed(broker, batches, e),
      );
      return;
    }
    let version: number;
    try {
      version = versions.pick(Produce);
    } catch (e) {
      this.#requestFailed(broker, batches, e);
      return;
    }
    const topicId = this.#topic.topicId;
    if (version >= 13 && topicId === undefined) version = 12;
    const magic = version >= 3 ? 2 : version === 2 ? 1 : 0;
    if (magic !== this.#magic) {
      this.#magic = magic;
      this.recordOverhead = magic === 2
        ? V2_RECORD_OVERHEAD
        : magic === 1
        ? 34
        : 26;
    }
    if (this.#o.compression === CompressionType.ZSTD && version < 7) {
      this.#requestFailed(
        broker,
        batches,
        new UnsupportedCompressionType(
          `zstd needs Kafka 2.1+ (Produce v7); broker ${broker.id} speaks Produce v${version}`,
        ),
      );
      return;
    }
    const partitionData: ProduceRequestPartitionProduceData[] = [];
    const sent: Batch[] = [];
    let bytes = 0;
    for (const b of batches) {
      const ps = this.#parts.get(b.partition)!;
      let records: Uint8Array | null;
      try {
        records = this.#encode(b, ps, magic);
      } catch (e) {
        ps.removeInFlight(b);
        this.#fail(b, ps, asError(e));
        continue;
      }
      if (records === null) {
        ps.removeInFlight(b);
        continue;
      }
      partitionData.push({ index: b.partition, records });
      sent.push(b);
      bytes += records.length;
    }
    if (sent.length === 0) {
      this.#requestDone(broker);
      this.#afterCompletion();
      return;
    }
    this.counters.requests++;
    if (bytes > this.counters.largestRequestBytes) {
      this.counters.largestRequestBytes = bytes;
    }
    const request: ProduceRequest = {
      acks: this.#o.requiredAcks,
      timeoutMs: this.#o.ackTimeoutMs,
      topicData: [
        version >= 13
          ? { topicId, partitionData }
          : { name: this.#topic.name, partitionData },
      ],
    };
    // Record bytes + per-partition framing + the topic name: the request
    // buffer is allocated once at about its final size.
    const sizeHint = bytes + 16 * sent.length + this.#topic.name.length * 3 +
      64;
    if (this.#o.requiredAcks === 0) {
      broker.send(Produce, request, {
        version,
        expectResponse: false,
        sizeHint,
      }).then(
        () => this.#onWritten(broker, sent),
        (e) => this.#requestFailed(broker, sent, e),
      );
    } else {
      const socket = this.#topic.cluster.connectionSettings.socketTimeoutMs ??
        30_000;
      broker.send(Produce, request, {
        version,
        timeoutMs: Math.max(socket, this.#o.ackTimeoutMs + 5_000),
        sizeHint,
      }).then(
        (res) => this.#onResponse(broker, sent, res),
        (e) => this.#requestFailed(broker, sent, e),
      );
    }
  }

  /** The record set of a batch in `magic`; null when nothing is left to send. */
  #encode(b: Batch, ps: PartitionState, magic: number): Uint8Array | null {
    if (
      b.encoded !== null && b.encodedMagic === magic &&
      (!this.#idempotent || b.producerId === this.#producerId)
    ) return b.encoded;
    if (magic < 2) this.#dropHeadered(b, magic);
    if (b.messages.length === 0) {
      this.#finishEmpty(b);
      return null;
    }
    let producerId = -1, producerEpoch = -1, baseSequence = -1;
    if (this.#idempotent && magic === 2) {
      if (b.baseSequence === -1 || b.producerId !== this.#producerId) {
        b.baseSequence = ps.nextSequence;
        ps.nextSequence = nextSequence(ps.nextSequence, b.messages.length);
        b.producerId = this.#producerId;
        b.producerEpoch = this.#producerEpoch;
      }
      producerId = b.producerId;
      producerEpoch = b.producerEpoch;
      baseSequence = b.baseSequence;
    }
    b.encoded = encodeRecords({
      records: b.messages,
      magic: magic as 0 | 1 | 2,
      compression: this.#o.compression,
      compressionLevel: this.#o.compressionLevel,
      producerId,
      producerEpoch,
      baseSequence,
    });
    b.encodedMagic = magic;
    if (magic !== 2) {
      for (const m of b.messages) {
        m.protocolVersion = magic as 0 | 1;
        if (magic === 0) m.timestamp = -1;
      }
    }
    return b.encoded;
  }

  /** MessageSet v0/v1 have no headers: those messages fail, the rest go. */
  #dropHeadered(b: Batch, magic: number): void {
    const keep: ProducedMessage[] = [];
    const keepSettles: (Settle | undefined)[] = [];
    const failed = new Batch(b.partition, -1, -1, b.createdAt);
    for (let i = 0; i < b.messages.length; i++) {
      const m = b.messages[i];
      if (m.headers.length > 0) {
        const size = payloadSize(m);
        failed.payloadBytes += size;
        b.payloadBytes -= size;
        failed.messages.push(m);
        if (b.settles) (failed.settles ??= []).push(b.settles[i]);
      } else {
        keep.push(m);
        if (b.settles) keepSettles.push(b.settles[i]);
      }
    }
    if (failed.messages.length === 0) return;
    b.messages.length = 0;
    b.messages.push(...keep);
    if (b.settles) b.settles = keepSettles;
    this.#host.complete(
      failed,
      new UnsupportedForMessageFormat(
        `headers need record format v2 (Kafka 0.11+); the broker takes format v${magic}`,
      ),
    );
  }

  // ------------------------------------------------------------- answers

  #onWritten(broker: Broker, batches: Batch[]): void {
    this.#requestDone(broker);
    for (const b of batches) {
      const ps = this.#parts.get(b.partition)!;
      ps.removeInFlight(b);
      this.#finish(b, null);
    }
    this.#afterCompletion();
  }

  #onResponse(broker: Broker, batches: Batch[], res: ProduceResponse): void {
    this.#requestDone(broker);
    let single: ProduceResponsePartitionProduceResponse | undefined;
    let byIndex:
      | Map<number, ProduceResponsePartitionProduceResponse>
      | undefined;
    if (
      res.responses.length === 1 &&
      res.responses[0].partitionResponses.length === 1
    ) single = res.responses[0].partitionResponses[0];
    else {
      byIndex = new Map();
      for (const t of res.responses) {
        for (const pr of t.partitionResponses) byIndex.set(pr.index, pr);
      }
    }
    for (const b of batches) {
      const ps = this.#parts.get(b.partition)!;
      ps.removeInFlight(b);
      const pr = single !== undefined && single.index === b.partition
        ? single
        : byIndex?.get(b.partition);
      if (pr === undefined) {
        this.#batchError(
          b,
          ps,
          new KafkaError(
            `broker ${broker.id} did not answer for ${this.#topic.name}/${b.partition}`,
            { retriable: true },
          ),
        );
        continue;
      }
      const code = pr.errorCode;
      if (code === 0 || (code === 46 && this.#idempotent)) {
        this.#delivered(b, pr.baseOffset, pr.logAppendTimeMs ?? -1);
      } else {
        let message = pr.errorMessage ?? undefined;
        if (pr.recordErrors !== undefined && pr.recordErrors.length > 0) {
          message = `${message ?? errorForCode(code).message} (records ${
            pr.recordErrors.map((r) =>
              `${r.batchIndex}${
                r.batchIndexErrorMessage ? `: ${r.batchIndexErrorMessage}` : ""
              }`
            ).join("; ")
          })`;
        }
        this.#batchError(b, ps, errorForCode(code, message));
      }
    }
    this.#afterCompletion();
  }

  #requestFailed(broker: Broker, batches: Batch[], e: unknown): void {
    this.#requestDone(broker);
    const err = asError(e);
    for (const b of batches) {
      const ps = this.#parts.get(b.partition)!;
      ps.removeInFlight(b);
      this.#batchError(b, ps, err);
    }
    this.#afterCompletion();
  }

  #delivered(b: Batch, baseOffset: number, logAppendTime: number): void {
    const msgs = b.messages;
    if (baseOffset >= 0) {
      for (let i = 0; i < msgs.length; i++) msgs[i].offset = baseOffset + i;
    }
    if (logAppendTime >= 0) {
      for (const m of msgs) {
        m.timestamp = logAppendTime;
        m.timestampType = TimestampType.LOG_APPEND_TIME;
      }
    }
    this.#finish(b, null);
  }

  #hasPredecessor(ps: PartitionState, b: Batch): boolean {
    for (const x of ps.queue) {
      if (x.serial < b.serial && x.baseSequence !== -1) return true;
    }
    for (const x of ps.inFlight) if (x.serial < b.serial) return true;
    return false;
  }

  #batchError(b: Batch, ps: PartitionState, err: Error): void {
    b.lastError = err;
    if (!this.#running) {
      this.#fail(
        b,
        ps,
        new ProducerStoppedException(
          `the producer stopped before ${this.#topic.name}/${b.partition} could be retried: ${err.message}`,
          { cause: err },
        ),
      );
      return;
    }
    if (this.#idempotent && b.baseSequence !== -1) {
      if (b.producerId !== this.#producerId || this.#pidResetting) {
        // Sent under a producer id that is being replaced: resequenced.
        b.baseSequence = -1;
        b.encoded = null;
        ps.requeue(b);
        return;
      }
      if (
        err instanceof OutOfOrderSequenceNumber && this.#hasPredecessor(ps, b)
      ) {
        // An earlier batch of this partition failed first: wait for it.
        ps.requeue(b);
        return;
      }
      if (
        err instanceof OutOfOrderSequenceNumber ||
        err instanceof UnknownProducerId || err instanceof InvalidProducerEpoch
      ) {
        // The broker lost track of this producer: new id, new sequences.
        if (b.attempts >= this.#o.maxRetries) {
          this.#fail(b, ps, this.#gaveUp(b, err));
          return;
        }
        b.attempts++;
        this.counters.retries++;
        this.#resetProducerId();
        b.baseSequence = -1;
        b.encoded = null;
        ps.requeue(b);
        return;
      }
    }
    if (err instanceof MessageSizeTooLarge && b.messages.length > 1) {
      this.#split(b, ps);
      return;
    }
    if (!(err instanceof KafkaError) || !err.retriable) {
      this.#fail(b, ps, err);
      return;
    }
    this.#refreshMetadata(err, false);
    if (b.attempts >= this.#o.maxRetries) {
      this.#fail(b, ps, this.#gaveUp(b, err));
      return;
    }
    b.attempts++;
    this.counters.retries++;
    b.retryAt = Date.now() +
      backoffDelay(b.attempts - 1, this.#retryPolicy.backoff);
    ps.requeue(b);
  }

  /**
   * The broker refused a batch of several messages as too large (a topic
   * whose `max.message.bytes` is below the batch): both halves go again in
   * its place, and the partition's new batches stay at most half that size.
   * Halving ends at single messages, which then fail on their own.
   */
  #split(b: Batch, ps: PartitionState): void {
    this.counters.batchSplits++;
    if (
      this.#idempotent && b.baseSequence !== -1 &&
      b.producerId === this.#producerId
    ) {
      // Its sequence numbers are spent and later batches may follow them:
      // new producer id, everything resequenced.
      this.#resetProducerId();
    }
    const mid = b.messages.length >> 1;
    b.span /= 2;
    const second = new Batch(
      b.partition,
      b.serial + b.span,
      b.gen,
      b.createdAt,
    );
    second.span = b.span;
    second.attempts = b.attempts;
    if (!b.split) {
      b.split = true;
      ps.splitting++;
    }
    second.split = true;
    ps.splitting++;
    second.messages.push(...b.messages.splice(mid));
    if (b.settles !== null) second.settles = b.settles.splice(mid);
    for (const half of [b, second]) {
      half.payloadBytes = 0;
      for (const m of half.messages) half.payloadBytes += payloadSize(m);
      half.bytes = half.payloadBytes +
        half.messages.length * this.recordOverhead;
      half.baseSequence = -1;
      half.encoded = null;
      half.retryAt = 0;
    }
    this.#genBatches.set(b.gen, (this.#genBatches.get(b.gen) ?? 0) + 1);
    ps.batchLimit = Math.max(
      this.recordOverhead + 1,
      Math.min(ps.batchLimit, b.bytes),
    );
    ps.requeue(b);
    ps.requeue(second);
  }

  #gaveUp(b: Batch, err: Error): ProduceFailureError {
    return new ProduceFailureError(
      `delivering ${b.messages.length} message(s) to ${this.#topic.name}/${b.partition} failed after ${
        b.attempts + 1
      } attempts: ${err.message}`,
      { cause: err },
    );
  }

  #fail(b: Batch, _ps: PartitionState, err: Error): void {
    if (
      this.#idempotent && b.baseSequence !== -1 &&
      b.producerId === this.#producerId
    ) {
      // Its sequence numbers are lost: later batches would be out of order.
      this.#resetProducerId();
    }
    this.#finish(b, err);
  }

  #finishEmpty(b: Batch): void {
    const c = (this.#genBatches.get(b.gen) ?? 1) - 1;
    if (c <= 0) this.#genBatches.delete(b.gen);
    else this.#genBatches.set(b.gen, c);
    this.#checkFlushes();
  }

  #finish(b: Batch, err: Error | null): void {
    if (b.split) {
      b.split = false;
      const ps = this.#parts.get(b.partition);
      if (ps !== undefined) ps.splitting--;
    }
    if (b.serial >= 0) {
      const c = (this.#genBatches.get(b.gen) ?? 1) - 1;
      if (c <= 0) this.#genBatches.delete(b.gen);
      else this.#genBatches.set(b.gen, c);
    }
    b.encoded = null;
    this.#host.complete(b, err);
    this.#checkFlushes();
  }

  #checkFlushes(): void {
    if (this.#flushWaiters.length === 0) return;
    const still: { gen: number; resolve: () => void }[] = [];
    for (const w of this.#flushWaiters) {
      if (this.#pendingUpTo(w.gen)) still.push(w);
      else w.resolve();
    }
    this.#flushWaiters = still;
  }

  #afterCompletion(): void {
    if (this.#pidResetting && this.#inflightTotal === 0) {
      this.#runPidReset();
    }
    this.#requestDrain();
  }

  #resetProducerId(): void {
    if (this.#pidResetting) return;
    this.#pidResetting = true;
    this.counters.producerIdResets++;
    if (this.#inflightTotal === 0) this.#runPidReset();
  }

  #runPidReset(): void {
    if (this.#pidResetRunning) return;
    this.#pidResetRunning = true;
    this.#initProducerId().then(() => {
      for (const ps of this.#parts.values()) {
        ps.nextSequence = 0;
        for (const b of ps.queue) {
          b.baseSequence = -1;
          b.encoded = null;
        }
      }
      this.#pidResetting = false;
      this.#pidResetRunning = false;
      this.#requestDrain();
    }, (e) => {
      this.#pidResetting = false;
      this.#pidResetRunning = false;
      if (this.#running) this.#setFatal(asError(e));
      else this.abandon(asError(e));
    });
  }

  #refreshMetadata(err: Error, countMissing: boolean): void {
    if (this.#refreshing) return;
    this.#refreshing = true;
    this.#topic.cluster.updateOnError(err).catch(() => false).then(() => {
      this.#refreshing = false;
      if (countMissing) this.#afterLeaderlessRefresh(err);
      this.#requestDrain();
    });
  }

  /** Batches of partitions still without a leader use up their retries. */
  #afterLeaderlessRefresh(err: Error): void {
    for (const ps of this.#parts.values()) {
      if (!ps.leaderMissing) continue;
      const p = this.#topic.partitions.get(ps.id);
      if (p !== undefined && p.hasLeader) continue;
      const q = ps.queue.splice(0);
      for (const b of q) {
        if (b.attempts >= this.#o.maxRetries) {
          this.#fail(b, ps, this.#gaveUp(b, err));
        } else {
          b.attempts++;
          ps.queue.push(b);
        }
      }
    }
  }
}
