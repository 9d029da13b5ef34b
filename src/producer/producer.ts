/**
 * {@linkcode Producer}: pykafka's producer, with modern batching,
 * idempotence and every codec.
 *
 * @module
 */
import {
  KafkaError,
  MessageSizeTooLarge,
  ProduceFailureError,
  ProducerQueueFullError,
  ProducerStoppedException,
} from "../errors/mod.ts";
import type { ClusterTopic, Partition } from "../cluster/mod.ts";
import type { Message } from "../records/mod.ts";
import type { Batch, Settle } from "./_batch.ts";
import { payloadSize, ProducedMessage } from "./_message.ts";
import { type DeliveryReport, ReportQueue } from "./_report_queue.ts";
import { Sender } from "./_sender.ts";
import { INT32_MAX, rules, validateOptions } from "../util/options.ts";
import {
  type ProducerOptions,
  type ResolvedProducerOptions,
  resolveProducerOptions,
} from "./options.ts";
import type { Partitioner, PartitionerFunction } from "./partitioner.ts";

export type { DeliveryReport } from "./_report_queue.ts";

/**
 * Per-message options of {@linkcode Producer.produce}.
 *
 * @typeParam K the key type (bytes unless the producer has a serializer)
 *
 * @example
 * ```ts
 * import type { ProduceOptions } from "./producer.ts";
 * const opts: ProduceOptions = {
 *   partitionKey: new TextEncoder().encode("user-42"),
 *   headers: [["trace-id", new TextEncoder().encode("abc")]],
 *   timestamp: Date.now(),
 * };
 * ```
 */
export interface ProduceOptions<K = Uint8Array | null> {
  /** The key: chooses the partition (through the partitioner) and is stored with the record. */
  partitionKey?: K | null;
  /** The record's timestamp, ms since the epoch or a `Date` (default: now). */
  timestamp?: number | Date;
  /** Record headers, `[key, value]` pairs (Kafka 0.11+). */
  headers?: readonly (readonly [string, Uint8Array | null])[];
  /** Send to this partition id, bypassing the partitioner. */
  partition?: number;
  /**
   * Ends the wait of `produce()`: a `sync` producer's wait for the
   * delivery, or a wait for room in a full queue. The call then rejects
   * with `signal.reason`; a message already queued stays queued (it may
   * still be delivered, and is reported as usual).
   */
  signal?: AbortSignal;
}

/**
 * One record for {@linkcode Producer.writable}: the value plus the options
 * of {@linkcode Producer.produce}.
 *
 * @typeParam V the value type
 * @typeParam K the key type
 *
 * @example
 * ```ts
 * import type { ProducerRecord } from "./producer.ts";
 * const r: ProducerRecord = { value: new TextEncoder().encode("hi"), partition: 0 };
 * ```
 */
export interface ProducerRecord<V = Uint8Array | null, K = Uint8Array | null>
  extends ProduceOptions<K> {
  /** The value (`null`: a tombstone). */
  value: V;
}

/** Options of {@linkcode Producer.getDeliveryReport}. */
export interface GetDeliveryReportOptions {
  /** Wait for a report when none is queued (default `true`). */
  block?: boolean;
  /** Longest wait in ms when blocking (default or -1: no limit). */
  timeoutMs?: number;
  /** Cancels the wait (rejects with `AbortError`). */
  signal?: AbortSignal;
}

const GET_DELIVERY_REPORT_RULES = {
  block: rules.bool(),
  timeoutMs: rules.int(-1, INT32_MAX, "ms; -1: no limit"),
  signal: rules.signal(),
};

/** Options of {@linkcode Producer.flush}. */
export interface FlushOptions {
  /**
   * Longest wait in ms (default: until every message is delivered or
   * failed, which retries and request timeouts bound; -1 too). On timeout
   * `flush` rejects with `ProduceFailureError`; the messages stay queued.
   */
  timeoutMs?: number;
}

const FLUSH_RULES = {
  timeoutMs: rules.int(-1, INT32_MAX, "ms; -1: no limit"),
};

/**
 * Counters of a producer (`producer.stats`), a snapshot.
 *
 * @example
 * ```ts ignore
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
  /** Produce requests sent. */
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

const STOPPED = 0;
const RUNNING = 1;
const STOPPING = 2;

/** A produce() waiting for room: let in (`true`) or turned away (`false`). */
interface RoomWaiter {
  size: number;
  admit: (admitted: boolean) => void;
}

/**
 * pykafka's `Producer` for one topic: `produce()` queues a message and
 * resolves at once; messages are sent in the background, batched per
 * partition by count (`minQueuedMessages`), bytes (`batchSizeBytes`) and
 * time (`lingerMs`), in one Produce request per leader broker carrying the
 * batches of every partition it leads, with several requests in flight
 * (`maxInFlight`). The record format follows the broker (RecordBatch v2 on
 * Kafka 0.11+, MessageSet v0/v1 before), with every codec (gzip, snappy,
 * lz4, zstd). Retriable errors are retried (`maxRetries`) after a metadata
 * refresh when a leader moved; errors such as `MessageSizeTooLarge` fail
 * only the messages concerned. With `idempotent` (on by default with
 * `requiredAcks: -1`), the broker drops duplicates of retried batches and
 * per-partition order holds across retries and leader moves.
 *
 * Delivery is reported per message: `sync` producers resolve `produce()`
 * after delivery; with `deliveryReports` each message gets a report
 * `[message, error | null]` (`getDeliveryReport()`, `deliveryReports()`).
 * Without either, `flush()` and `stop()` reject with `ProduceFailureError`
 * when messages failed since the last call, so no failure goes unnoticed.
 *
 * Memory is bounded: at most `maxQueuedMessages` messages are held (queued
 * or in flight; `produce()` waits or throws `ProducerQueueFullError` at the
 * limit), and at most `maxQueuedMessages` delivery reports (the oldest is
 * dropped and counted in `stats.droppedDeliveryReports`).
 *
 * Get one with `topic.getProducer(options)` (or `getSyncProducer`).
 *
 * @typeParam V the value type `produce()` takes (bytes unless a
 *   `serializer` is given)
 * @typeParam K the key type
 *
 * @example
 * ```ts ignore
 * import { CompressionType, KafkaClient } from "@denokafka/kafka";
 * await using client = await KafkaClient.connect({ hosts: "127.0.0.1:9092" });
 * const topic = await client.topics.get("events");
 * await using producer = topic.getProducer({
 *   compression: CompressionType.LZ4,
 *   deliveryReports: true,
 * });
 * const enc = new TextEncoder();
 * await producer.produce(enc.encode("hello"), { partitionKey: enc.encode("k") });
 * const [msg, err] = (await producer.getDeliveryReport({ timeoutMs: 5000 }))!;
 * console.log(err ?? `delivered at offset ${msg.offset}`);
 * ```
 */
export class Producer<V = Uint8Array | null, K = Uint8Array | null>
  implements AsyncDisposable {
  readonly #topic: ClusterTopic;
  readonly #o: ResolvedProducerOptions<V, K>;
  readonly #sender: Sender;
  readonly #reports: ReportQueue;
  readonly #partition: (
    ps: readonly Partition[],
    k: Uint8Array | null,
  ) => Partition;
  #state = STOPPED;
  #pending = 0;
  #pendingBytes = 0;
  #room: RoomWaiter[] = [];
  #woken = 0;
  #wokenBytes = 0;
  #partitions: readonly Partition[] = [];
  #partitionsAt = -1;
  #unreported = 0;
  #firstUnreported: Error | undefined;
  #produced = 0;
  #delivered = 0;
  #failed = 0;
  #writable: WritableStream<ProducerRecord<V, K>> | undefined;

  /**
   * Creates a producer for `topic` (pykafka's `Producer(cluster, topic,
   * ...)`; usually made by `topic.getProducer(options)`). Options are
   * validated here: `TypeError` / `RangeError` name the bad option.
   *
   * @param topic the topic to produce to
   * @param options see {@linkcode ProducerOptions}
   */
  constructor(topic: ClusterTopic, options?: ProducerOptions<V, K>) {
    this.#topic = topic;
    this.#o = resolveProducerOptions(options);
    const p = this.#o.partitioner;
    this.#partition = typeof p === "function"
      ? (p as PartitionerFunction)
      : (ps, k) => (p as Partitioner).partition(ps, k);
    this.#reports = new ReportQueue(this.#o.maxQueuedMessages);
    this.#sender = new Sender(
      topic,
      this.#o as ResolvedProducerOptions<unknown, unknown>,
      { complete: (b, e) => this.#complete(b, e) },
    );
    if (this.#o.autoStart) {
      this.start().catch(() => {/* surfaced by produce(), flush(), stop() */});
    }
  }

  /** The topic this producer writes to. */
  get topic(): ClusterTopic {
    return this.#topic;
  }

  /** True between `start()` and `stop()`. */
  get running(): boolean {
    return this.#state === RUNNING;
  }

  /**
   * Whether idempotent delivery is on (decided at start: see the
   * `idempotent` option).
   */
  get idempotent(): boolean {
    return this.#sender.idempotent;
  }

  /** Counters (a snapshot). */
  get stats(): ProducerStats {
    const c = this.#sender.counters;
    return {
      produced: this.#produced,
      delivered: this.#delivered,
      failed: this.#failed,
      pending: this.#pending,
      pendingBytes: this.#pendingBytes,
      retries: c.retries,
      requests: c.requests,
      largestRequestBytes: c.largestRequestBytes,
      droppedDeliveryReports: this.#reports.dropped,
      producerIdResets: c.producerIdResets,
      batchSplits: c.batchSplits,
    };
  }

  /**
   * Starts the producer (done by the constructor unless `autoStart:
   * false`). With idempotence, resolves once the producer id is known;
   * `produce()` may be called before. Rejects when idempotence was asked
   * for and the brokers cannot do it.
   *
   * @example
   * ```ts ignore
   * const producer = topic.getProducer({ autoStart: false });
   * await producer.start();
   * ```
   */
  start(): Promise<void> {
    if (this.#state === RUNNING) return this.#sender.start();
    this.#state = RUNNING;
    this.#reports.reopen();
    return this.#sender.start();
  }

  /**
   * Queues a message (pykafka's `produce(message, partition_key,
   * timestamp)`, plus `headers` and an explicit `partition`) and resolves
   * with the queued {@linkcode Message} (its `offset` is filled in on
   * delivery). While `maxQueuedMessages` messages are pending it waits
   * (`blockOnQueueFull`, the default) or rejects with
   * `ProducerQueueFullError`. A `sync` producer resolves after delivery,
   * with the offset set, and rejects with the delivery error (or with
   * `ProduceFailureError` after `pendingTimeoutMs`).
   *
   * Values and keys are `Uint8Array` or `null` (a `null` value is a
   * tombstone, distinct from an empty one) unless the producer has a
   * `serializer`. A message larger than `maxRequestSize` fails with
   * `MessageSizeTooLarge` without being sent. Rejects with
   * `ProducerStoppedException` when the producer is not running.
   *
   * @param value the value
   * @param options key, timestamp, headers, partition
   * @returns the message
   *
   * @example
   * ```ts ignore
   * const enc = new TextEncoder();
   * const msg = await producer.produce(enc.encode("v"), {
   *   partitionKey: enc.encode("k"),
   *   headers: [["source", enc.encode("web")]],
   * });
   * ```
   */
  produce(value: V, options?: ProduceOptions<K>): Promise<Message> {
    if (this.#state !== RUNNING) return Promise.reject(this.#notRunning());
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const fatal = this.#sender.fatal;
    if (fatal !== undefined) return Promise.reject(fatal);
    let msg: ProducedMessage;
    let size: number;
    try {
      msg = this.#message(value, options);
      size = payloadSize(msg);
    } catch (e) {
      return Promise.reject(e);
    }
    this.#produced++;
    if (size > this.#sender.maxRecordBytes) {
      const err = new MessageSizeTooLarge(
        `Message size larger than maxRequestSize: the record takes about ${
          size + this.#sender.recordOverhead
        } bytes, maxRequestSize is ${this.#o.maxRequestSize}`,
      );
      this.#pending++;
      this.#pendingBytes += size;
      if (this.#o.sync) {
        return new Promise((resolve, reject) => {
          this.#sender.rejectMessage(
            msg,
            size,
            err,
            (e) => e ? reject(e) : resolve(msg),
          );
        });
      }
      this.#sender.rejectMessage(msg, size, err);
      return Promise.resolve(msg);
    }
    if (
      this.#room.length > 0 || this.#woken > 0 || !this.#hasRoom(size, 0, 0)
    ) {
      if (!this.#o.blockOnQueueFull) {
        this.#produced--;
        return Promise.reject(
          new ProducerQueueFullError(
            `The producer queue is full: ${this.#pending} messages (${this.#pendingBytes} bytes) pending, maxQueuedMessages is ${this.#o.maxQueuedMessages}, maxQueuedBytes ${this.#o.maxQueuedBytes}`,
          ),
        );
      }
      return this.#produceWhenRoom(msg, size, signal);
    }
    return this.#enqueue(msg, size, signal);
  }

  /** Whether a message of `size` bytes fits (besides `n` / `bytes` let in). */
  #hasRoom(size: number, n: number, bytes: number): boolean {
    const pending = this.#pending + n;
    if (pending >= this.#o.maxQueuedMessages) return false;
    return pending === 0 ||
      this.#pendingBytes + bytes + size <= this.#o.maxQueuedBytes;
  }

  #enqueue(
    msg: ProducedMessage,
    size: number,
    signal: AbortSignal | undefined,
  ): Promise<Message> {
    this.#pending++;
    this.#pendingBytes += size;
    if (!this.#o.sync) {
      this.#sender.append(msg, msg.partitionId, size, undefined);
      return Promise.resolve(msg);
    }
    return new Promise<Message>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let done = false;
      const onAbort = () => {
        if (done) return;
        done = true;
        if (timer !== undefined) clearTimeout(timer);
        reject(signal!.reason);
      };
      const settle: Settle = (e) => {
        signal?.removeEventListener("abort", onAbort);
        if (done) return;
        done = true;
        if (timer !== undefined) clearTimeout(timer);
        if (e) reject(e);
        else resolve(msg);
      };
      this.#sender.append(msg, msg.partitionId, size, settle);
      if (!done) signal?.addEventListener("abort", onAbort, { once: true });
      const t = this.#o.pendingTimeoutMs;
      if (t >= 0 && !done) {
        timer = setTimeout(() => {
          timer = undefined;
          if (done) return;
          done = true;
          signal?.removeEventListener("abort", onAbort);
          reject(
            new ProduceFailureError(
              `Delivery report not received after timeout: no answer for ${this.#topic.name}/${msg.partitionId} within pendingTimeoutMs ${t} ms (the message may still be delivered)`,
            ),
          );
        }, t);
      }
    });
  }

  async #produceWhenRoom(
    msg: ProducedMessage,
    size: number,
    signal: AbortSignal | undefined,
  ): Promise<Message> {
    let aborted = false;
    let onAbort: (() => void) | undefined;
    const admitted = await new Promise<boolean>((admit) => {
      const waiter: RoomWaiter = { size, admit };
      this.#room.push(waiter);
      if (!signal) return;
      onAbort = () => {
        const i = this.#room.indexOf(waiter);
        if (i < 0) return; // admitted already
        this.#room.splice(i, 1);
        aborted = true;
        admit(false);
        // The waiters behind it may fit now.
        this.#wakeRoom();
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
    if (onAbort) signal?.removeEventListener("abort", onAbort);
    if (aborted) {
      this.#produced--;
      throw signal!.reason;
    }
    this.#woken--;
    this.#wokenBytes -= size;
    if (!admitted || this.#state !== RUNNING) {
      this.#produced--;
      throw this.#notRunning();
    }
    const fatal = this.#sender.fatal;
    if (fatal !== undefined) throw fatal;
    return await this.#enqueue(msg, size, signal);
  }

  #wakeRoom(): void {
    while (this.#room.length > 0) {
      const w = this.#room[0];
      if (!this.#hasRoom(w.size, this.#woken, this.#wokenBytes)) return;
      this.#room.shift();
      this.#woken++;
      this.#wokenBytes += w.size;
      w.admit(true);
    }
  }

  #notRunning(): ProducerStoppedException {
    return new ProducerStoppedException(
      this.#state === STOPPING
        ? `The producer of ${this.#topic.name} is stopping`
        : `The producer of ${this.#topic.name} is not running: call start()`,
    );
  }

  #partitionList(): readonly Partition[] {
    const at = this.#topic.cluster.lastUpdate;
    const map = this.#topic.partitions;
    if (at !== this.#partitionsAt || this.#partitions.length !== map.size) {
      this.#partitions = [...map.values()];
      this.#partitionsAt = at;
    }
    return this.#partitions;
  }

  #message(value: V, options: ProduceOptions<K> | undefined): ProducedMessage {
    let v: Uint8Array | null;
    let k: Uint8Array | null;
    const ser = this.#o.serializer;
    if (ser !== undefined) {
      const out = ser(value, options?.partitionKey ?? null);
      if (!Array.isArray(out) || out.length !== 2) {
        throw new TypeError(
          "the serializer must return [valueBytes, keyBytes] (each a Uint8Array or null)",
        );
      }
      v = out[0];
      k = out[1];
      if (
        (v !== null && !(v instanceof Uint8Array)) ||
        (k !== null && !(k instanceof Uint8Array))
      ) {
        throw new TypeError(
          "the serializer must return [valueBytes, keyBytes] (each a Uint8Array or null)",
        );
      }
    } else {
      v = value as Uint8Array | null;
      if (v !== null && !(v instanceof Uint8Array)) {
        throw new TypeError(
          `produce() takes a Uint8Array or null as value without a serializer, got ${typeof v}`,
        );
      }
      k = (options?.partitionKey ?? null) as Uint8Array | null;
      if (k !== null && !(k instanceof Uint8Array)) {
        throw new TypeError(
          `produce() takes a Uint8Array or null as partitionKey without a serializer, got ${typeof k}`,
        );
      }
    }
    let timestamp: number;
    let headers: [string, Uint8Array | null][] | undefined;
    let partitionId: number;
    if (options === undefined) {
      timestamp = Date.now();
      partitionId = this.#choose(k);
    } else {
      const ts = options.timestamp;
      if (ts === undefined) timestamp = Date.now();
      else if (ts instanceof Date) timestamp = ts.getTime();
      else timestamp = ts;
      if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
        throw new RangeError(
          `produce(): timestamp must be a Date or ms since the epoch (a safe integer >= 0), got ${ts}`,
        );
      }
      const hs = options.headers;
      if (hs !== undefined && hs !== null) {
        if (!Array.isArray(hs)) {
          throw new TypeError(
            "produce(): headers must be an array of [key, value] pairs",
          );
        }
        for (const h of hs) {
          if (
            !Array.isArray(h) || typeof h[0] !== "string" ||
            (h[1] !== null && !(h[1] instanceof Uint8Array))
          ) {
            throw new TypeError(
              "produce(): each header must be [key: string, value: Uint8Array | null]",
            );
          }
        }
        headers = hs as [string, Uint8Array | null][];
      }
      const pid = options.partition;
      if (pid !== undefined && pid !== null) {
        if (!Number.isInteger(pid) || !this.#topic.partitions.has(pid)) {
          throw new RangeError(
            `produce(): topic ${this.#topic.name} has no partition ${pid} (it has ${this.#topic.partitions.size})`,
          );
        }
        partitionId = pid;
      } else partitionId = this.#choose(k);
    }
    return new ProducedMessage(
      v,
      k,
      partitionId,
      this.#topic.name,
      timestamp,
      headers,
      this.#o.compression,
    );
  }

  #choose(key: Uint8Array | null): number {
    const list = this.#partitionList();
    if (list.length === 0) {
      throw new KafkaError(
        `topic ${this.#topic.name} has no partitions in the metadata`,
        { retriable: true },
      );
    }
    const p = this.#partition(list, key);
    const id = p?.id;
    if (typeof id !== "number" || !this.#topic.partitions.has(id)) {
      throw new TypeError(
        `the partitioner returned ${
          String(id)
        }, not one of the partitions it was given`,
      );
    }
    return id;
  }

  /** A batch is finished: fill in reports, free room, wake waiters. */
  #complete(b: Batch, err: Error | null): void {
    const msgs = b.messages;
    const n = msgs.length;
    this.#pending -= n;
    this.#pendingBytes -= b.payloadBytes;
    if (err === null) this.#delivered += n;
    else this.#failed += n;
    const settles = b.settles;
    if (settles !== null) {
      for (let i = 0; i < n; i++) settles[i]?.(err);
    } else if (this.#o.deliveryReports) {
      for (let i = 0; i < n; i++) this.#reports.push([msgs[i], err]);
    } else if (err !== null) {
      this.#unreported += n;
      this.#firstUnreported ??= err;
    }
    if (this.#room.length > 0) this.#wakeRoom();
  }

  /**
   * The next delivery report `[message, error | null]` (pykafka's
   * `get_delivery_report`): `error` is `null` when the message was
   * delivered (its `offset` is set). Resolves `null` when none is queued
   * and `block` is false, on timeout, or once the producer is stopped and
   * every report was read. Throws when the producer was made without
   * `deliveryReports: true`.
   *
   * @param options `block` (default true), `timeoutMs`, `signal`
   *
   * @example
   * ```ts ignore
   * const report = await producer.getDeliveryReport({ block: true, timeoutMs: 1000 });
   * if (report) {
   *   const [msg, err] = report;
   *   if (err) console.error("failed", msg.value, err);
   * }
   * ```
   */
  getDeliveryReport(
    options: GetDeliveryReportOptions = {},
  ): Promise<DeliveryReport | null> {
    try {
      validateOptions(
        "Producer.getDeliveryReport",
        options,
        GET_DELIVERY_REPORT_RULES,
      );
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#getDeliveryReport(options);
  }

  #getDeliveryReport(
    options: GetDeliveryReportOptions,
  ): Promise<DeliveryReport | null> {
    if (!this.#o.deliveryReports) {
      return Promise.reject(
        new KafkaError(
          "Delivery-reporting is disabled: create the producer with deliveryReports: true",
        ),
      );
    }
    if (options.block === false) return Promise.resolve(this.#reports.shift());
    return this.#reports.wait(options.timeoutMs, options.signal);
  }

  /**
   * The delivery reports as they come, until the producer is stopped and
   * every report was read (needs `deliveryReports: true`).
   *
   * @example
   * ```ts ignore
   * (async () => {
   *   for await (const [msg, err] of producer.deliveryReports()) {
   *     if (err) console.error(msg.partitionId, err);
   *   }
   * })();
   * ```
   */
  async *deliveryReports(): AsyncGenerator<DeliveryReport, void, undefined> {
    while (true) {
      const r = await this.#getDeliveryReport({ block: true });
      if (r !== null) {
        yield r;
        continue;
      }
      if (this.#reports.closed && this.#reports.size === 0) return;
    }
  }

  /**
   * Sends everything queued now and resolves once every message queued
   * before the call is delivered or failed (pykafka has no public flush).
   * Rejects with `ProduceFailureError` when messages failed since the last
   * `flush()`/`stop()` and neither `sync` nor `deliveryReports` reported
   * them (the cause is the first error).
   *
   * @param options `timeoutMs`
   *
   * @example
   * ```ts ignore
   * for (const v of values) await producer.produce(v);
   * await producer.flush();
   * ```
   */
  async flush(options: FlushOptions = {}): Promise<void> {
    validateOptions("Producer.flush", options, FLUSH_RULES);
    const done = this.#sender.flush();
    const t = options.timeoutMs;
    if (t !== undefined && t >= 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = await Promise.race([
        done.then(() => false),
        new Promise<boolean>((r) => timer = setTimeout(() => r(true), t)),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        throw new ProduceFailureError(
          `flush() timed out after ${t} ms with ${this.#pending} messages pending`,
        );
      }
    } else await done;
    this.#throwUnreported();
    const fatal = this.#sender.fatal;
    if (fatal !== undefined) throw fatal;
  }

  #throwUnreported(): void {
    if (this.#unreported === 0) return;
    const n = this.#unreported;
    const cause = this.#firstUnreported;
    this.#unreported = 0;
    this.#firstUnreported = undefined;
    throw new ProduceFailureError(
      `${n} message(s) to ${this.#topic.name} could not be delivered (enable deliveryReports to see each one); the first failed with: ${cause?.message}`,
      { cause },
    );
  }

  /**
   * Stops the producer (pykafka's `stop()`): new `produce()` calls reject
   * with `ProducerStoppedException`, waiting ones too; queued messages are
   * sent, and `stop()` waits up to `pendingTimeoutMs` for them to be
   * delivered. Messages still unsent then fail with
   * `ProducerStoppedException` (reported like any failure). Rejects with
   * `ProduceFailureError` when messages failed unreported (see `flush`).
   * `start()` may be called again.
   *
   * @example
   * ```ts ignore
   * await producer.stop();
   * ```
   */
  async stop(): Promise<void> {
    if (this.#state !== RUNNING) return;
    this.#state = STOPPING;
    const room = this.#room.splice(0);
    for (const w of room) {
      this.#woken++;
      this.#wokenBytes += w.size;
      w.admit(false);
    }
    const done = this.#sender.flush();
    const t = this.#o.pendingTimeoutMs;
    if (t < 0) await done;
    else {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        done,
        new Promise<void>((r) => timer = setTimeout(r, t)),
      ]);
      clearTimeout(timer);
    }
    this.#sender.stop();
    if (this.#pending > 0) {
      this.#sender.abandon(
        new ProducerStoppedException(
          `the producer stopped with messages unsent after pendingTimeoutMs ${t} ms`,
        ),
      );
    }
    this.#state = STOPPED;
    this.#reports.close();
    this.#throwUnreported();
  }

  /**
   * A `WritableStream` of {@linkcode ProducerRecord}s: each chunk is
   * produced; a write resolves when the record is queued, so a full queue
   * applies backpressure. Closing the stream flushes; aborting it stops the
   * producer. The same stream is returned on every access.
   *
   * @example
   * ```ts ignore
   * await someReadable
   *   .pipeThrough(new TransformStream({ transform: (v, c) => c.enqueue({ value: v }) }))
   *   .pipeTo(producer.writable);
   * ```
   */
  get writable(): WritableStream<ProducerRecord<V, K>> {
    this.#writable ??= new WritableStream<ProducerRecord<V, K>>({
      write: async (r) => {
        await this.produce(r.value, r);
      },
      close: () => this.flush(),
      abort: () => this.stop(),
    }, { highWaterMark: 1 });
    return this.#writable;
  }

  /** Same as {@linkcode Producer.stop}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}
