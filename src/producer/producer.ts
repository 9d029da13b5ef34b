/**
 * {@linkcode Producer}: pykafka's producer for one topic, with modern
 * batching, idempotence, transactions and every codec.
 *
 * @module
 */
import type { ClusterTopic } from "../cluster/mod.ts";
import type { Message } from "../records/mod.ts";
import { INT32_MAX, rules, validateOptions } from "../util/options.ts";
import { ProducerCore, type ProducerStats } from "./_producer_core.ts";
import { type ProduceOptions, TopicHandle } from "./_record_builder.ts";
import type { DeliveryReport } from "./_report_queue.ts";
import type {
  ConsumerGroupMetadata,
  TransactionCallOptions,
  TransactionOffset,
  TransactionState,
} from "./_transactions.ts";
import { type ProducerOptions, resolveProducerOptions } from "./options.ts";

export type { DeliveryReport } from "./_report_queue.ts";
export type { ProduceOptions } from "./_record_builder.ts";
export type { ProducerStats } from "./_producer_core.ts";
export type {
  ConsumerGroupMetadata,
  TransactionCallOptions,
  TransactionOffset,
  TransactionState,
} from "./_transactions.ts";

/**
 * One record for {@linkcode Producer.writable} and
 * {@linkcode Producer.produceBatch}: the value plus the options of
 * {@linkcode Producer.produce}.
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

/** The rules of {@linkcode GetDeliveryReportOptions} (internal). */
export const GET_DELIVERY_REPORT_RULES = {
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

/** The rules of {@linkcode FlushOptions} (internal). */
export const FLUSH_RULES = {
  timeoutMs: rules.int(-1, INT32_MAX, "ms; -1: no limit"),
};

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
 * Producers of one client whose options agree on the wire (acks, codec,
 * batching, retries, idempotence) share one produce engine: one batch per
 * partition, one Produce request per broker for all their topics, one
 * producer id (see `client.getProducer()` for a producer of any topic).
 *
 * Delivery is reported per message: `sync` producers resolve `produce()`
 * after delivery; with `deliveryReports` each message gets a report
 * `[message, error | null]` (`getDeliveryReport()`, `deliveryReports()`).
 * Without either, `flush()` and `stop()` reject with `ProduceFailureError`
 * when messages failed since the last call, so no failure goes unnoticed.
 * {@linkcode Producer.produceBatch} queues many records with one promise.
 *
 * With a `transactionalId`, records are written in transactions
 * ({@linkcode Producer.beginTransaction} ...
 * {@linkcode Producer.commitTransaction}).
 *
 * Memory is bounded: at most `maxQueuedMessages` messages and
 * `maxQueuedBytes` bytes are held (queued or in flight; `produce()` waits
 * or throws `ProducerQueueFullError` at the limit), each as its bytes in
 * its batch (a message object only where `produce()` returns one or a
 * report needs it), and at most `maxQueuedMessages` delivery reports (the
 * oldest is dropped and counted in `stats.droppedDeliveryReports`).
 *
 * Get one with `topic.getProducer(options)` (or `getSyncProducer`).
 *
 * @typeParam V the value type `produce()` takes (bytes unless a
 *   `serializer` is given)
 * @typeParam K the key type
 *
 * @example
 * ```ts
 * import { CompressionType, KafkaClient } from "@denokafka/kafka";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * await using client = await KafkaClient.connect({ hosts });
 * const name = `events-${crypto.randomUUID()}`;
 * await client.createTopics([{ name, numPartitions: 3 }]);
 * try {
 *   const topic = await client.topics.get(name);
 *   await using producer = topic.getProducer({
 *     compression: CompressionType.LZ4,
 *     deliveryReports: true,
 *   });
 *   const enc = new TextEncoder();
 *   await producer.produce(enc.encode("hello"), { partitionKey: enc.encode("k") });
 *   const [msg, err] = (await producer.getDeliveryReport({ timeoutMs: 5000 }))!;
 *   console.log(err ?? `delivered at offset ${msg.offset}`);
 * } finally {
 *   await client.deleteTopics([name]);
 * }
 * ```
 */
export class Producer<V = Uint8Array | null, K = Uint8Array | null>
  implements AsyncDisposable {
  readonly #topic: ClusterTopic;
  readonly #core: ProducerCore<V, K>;
  readonly #handle: TopicHandle;
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
    this.#core = new ProducerCore(
      topic.cluster,
      resolveProducerOptions(options),
      `producer of ${topic.name}`,
    );
    this.#handle = new TopicHandle(topic);
    if (this.#core.o.autoStart) {
      this.start().catch(() => {/* surfaced by produce(), flush(), stop() */});
    }
  }

  /** The topic this producer writes to. */
  get topic(): ClusterTopic {
    return this.#topic;
  }

  /** True between `start()` and `stop()`. */
  get running(): boolean {
    return this.#core.running;
  }

  /**
   * Whether idempotent delivery is on (decided at start: see the
   * `idempotent` option).
   */
  get idempotent(): boolean {
    return this.#core.idempotent;
  }

  /** The `transactionalId` option (undefined: not transactional). */
  get transactionalId(): string | undefined {
    return this.#core.o.transactionalId;
  }

  /**
   * Where a transactional producer is: "uninitialized" until started,
   * "ready" between transactions, "in-transaction", "committing",
   * "aborting", "abortable" (a record failed: only
   * `abortTransaction()` is possible), "fatal" (fenced or broken for good);
   * undefined for a producer without a `transactionalId`.
   *
   * @example
   * ```ts ignore a fragment: uses the producer of the class example
   * await producer.beginTransaction();
   * console.log(producer.transactionState); // "in-transaction"
   * ```
   */
  get transactionState(): TransactionState | undefined {
    return this.#core.transactionState;
  }

  /** Counters (a snapshot). */
  get stats(): ProducerStats {
    return this.#core.stats;
  }

  /**
   * Starts the producer (done by the constructor unless `autoStart:
   * false`). With idempotence or a `transactionalId`, resolves once the
   * producer id is known; `produce()` may be called before. Rejects when
   * idempotence was asked for and the brokers cannot do it.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `events-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 1 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   await using producer = topic.getProducer({ autoStart: false });
   *   await producer.start();
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  start(): Promise<void> {
    return this.#core.start();
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
   * `ProducerStoppedException` when the producer is not running, and, on
   * a transactional producer, with `InvalidTxnStateError` outside a
   * transaction.
   *
   * @param value the value
   * @param options key, timestamp, headers, partition
   * @returns the message
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `events-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 3 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   await using producer = topic.getProducer();
   *   const enc = new TextEncoder();
   *   const msg = await producer.produce(enc.encode("v"), {
   *     partitionKey: enc.encode("k"),
   *     headers: [["source", enc.encode("web")]],
   *   });
   *   console.log(msg.partitionId);
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  produce(value: V, options?: ProduceOptions<K>): Promise<Message> {
    return this.#core.produce(this.#handle, value, options);
  }

  /**
   * Queues many records with one promise, in order: the low-overhead way
   * to produce a lot (no promise per record, and no message object per
   * record unless `deliveryReports` or `sync` needs one). Waits for room
   * when the queue is full (`blockOnQueueFull`) and resolves with the
   * number of records queued; failures surface as delivery reports, or
   * from `flush()` / `stop()`, as for `produce()`. A `sync` producer
   * resolves once every record is delivered and rejects with the first
   * delivery error. A record that is not valid rejects the call; the
   * records before it stay queued.
   *
   * @param records the records, `{ value, partitionKey?, timestamp?, headers?, partition? }`
   * @returns how many records were queued
   *
   * @example
   * ```ts ignore a fragment: uses the producer of the class example
   * const enc = new TextEncoder();
   * const lines = ["a", "b", "c"].map((s) => ({ value: enc.encode(s) }));
   * await producer.produceBatch(lines);
   * await producer.flush();
   * ```
   */
  produceBatch(records: Iterable<ProducerRecord<V, K>>): Promise<number> {
    const list = Array.isArray(records) ? records : [...records];
    const h = this.#handle;
    return this.#core.produceMany((i) => {
      if (i >= list.length) return undefined;
      const r = list[i];
      if (typeof r !== "object" || r === null) {
        throw new TypeError(
          `produceBatch(): record ${i} must be an object { value, ... }`,
        );
      }
      return [h, r.value, r];
    });
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
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `events-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 1 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   await using producer = topic.getProducer({ deliveryReports: true });
   *   await producer.produce(new TextEncoder().encode("v"));
   *   const report = await producer.getDeliveryReport({ block: true, timeoutMs: 10_000 });
   *   if (report) {
   *     const [msg, err] = report;
   *     if (err) console.error("failed", msg.value, err);
   *   }
   * } finally {
   *   await client.deleteTopics([name]);
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
    return this.#core.getDeliveryReport(
      options.block !== false,
      options.timeoutMs,
      options.signal,
    );
  }

  /**
   * The delivery reports as they come, until the producer is stopped and
   * every report was read (needs `deliveryReports: true`).
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `events-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 1 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   const producer = topic.getProducer({ deliveryReports: true });
   *   const reading = (async () => {
   *     for await (const [msg, err] of producer.deliveryReports()) {
   *       if (err) console.error(msg.partitionId, err);
   *       else console.log("delivered", msg.offset);
   *     }
   *   })();
   *   await producer.produce(new TextEncoder().encode("v"));
   *   await producer.stop(); // the loop ends once every report was read
   *   await reading;
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  deliveryReports(): AsyncGenerator<DeliveryReport, void, undefined> {
    return this.#core.deliveryReports();
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
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `events-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 1 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   await using producer = topic.getProducer({ lingerMs: 1000 });
   *   const values = ["a", "b", "c"].map((s) => new TextEncoder().encode(s));
   *   for (const v of values) await producer.produce(v);
   *   await producer.flush(); // delivered, without waiting for lingerMs
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  async flush(options: FlushOptions = {}): Promise<void> {
    validateOptions("Producer.flush", options, FLUSH_RULES);
    await this.#core.flush(options.timeoutMs);
  }

  /**
   * Stops the producer (pykafka's `stop()`): new `produce()` calls reject
   * with `ProducerStoppedException`, waiting ones too; queued messages are
   * sent, and `stop()` waits up to `pendingTimeoutMs` for them to be
   * delivered. Messages still unsent then fail with
   * `ProducerStoppedException` (reported like any failure). Rejects with
   * `ProduceFailureError` when messages failed unreported (see `flush`). A
   * transaction still open is aborted first. `start()` may be called
   * again.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `events-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 1 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   const producer = topic.getProducer();
   *   await producer.produce(new TextEncoder().encode("v"));
   *   await producer.stop();
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  stop(): Promise<void> {
    return this.#core.stop();
  }

  /**
   * Opens a transaction (needs the `transactionalId` option; one at a time
   * per producer): records produced until
   * {@linkcode Producer.commitTransaction} are visible to `read_committed`
   * consumers only once it commits, and never if it aborts. Waits for the
   * producer id on first use. Rejects with `InvalidTxnStateError` when a
   * transaction is already open, and with `ProducerFencedError` once
   * another producer with the same `transactionalId` took over.
   *
   * @example
   * ```ts ignore a fragment: uses the producer of the class example
   * await using producer = topic.getProducer({ transactionalId: "orders-writer" });
   * await producer.beginTransaction();
   * await producer.produce(new TextEncoder().encode("order #1"));
   * await producer.commitTransaction();
   * ```
   */
  beginTransaction(): Promise<void> {
    return this.#core.beginTransaction();
  }

  /**
   * Adds consumed offsets of a consumer group to the open transaction
   * (KIP-447 exactly-once consume-transform-produce): they are committed
   * for the group if and only if the transaction commits. `offsets` are
   * the next offsets to read (last consumed + 1); `group` is the group id,
   * with the member's generation and ids when the consumer is a group
   * member (a SimpleConsumer's group has none: `{ groupId }`).
   *
   * @param offsets `{ topic, partition, offset, metadata? }` per partition
   * @param group `{ groupId, generationId?, memberId?, groupInstanceId? }`
   * @param options `timeoutMs` (default `transactionTimeoutMs`), `signal`
   *
   * @example
   * ```ts ignore a fragment: uses the producer of the class example
   * const offsets = [...consumer.heldOffsets].map(([partition, last]) => ({
   *   topic: input.name, partition, offset: last + 1,
   * }));
   * await producer.sendOffsetsToTransaction(offsets, { groupId: "billing" });
   * ```
   */
  sendOffsetsToTransaction(
    offsets: readonly TransactionOffset[],
    group: ConsumerGroupMetadata,
    options: TransactionCallOptions = {},
  ): Promise<void> {
    return this.#core.sendOffsetsToTransaction(offsets, group, options);
  }

  /**
   * Commits the open transaction: sends every queued record, waits until
   * each is acknowledged, then ends the transaction at the coordinator.
   * When a record of it failed, rejects (with `ProduceFailureError`, the
   * cause is the first failure) and the transaction must be aborted.
   * Rejects with `ProducerFencedError` when another producer with the
   * same `transactionalId` took over (or the transaction timed out).
   *
   * @param options `timeoutMs` (default `transactionTimeoutMs`), `signal`
   *
   * @example
   * ```ts ignore a fragment: uses the producer of the class example
   * try {
   *   await producer.commitTransaction();
   * } catch (e) {
   *   if (e instanceof ProducerFencedError) throw e; // another instance took over
   *   await producer.abortTransaction();
   * }
   * ```
   */
  commitTransaction(options: TransactionCallOptions = {}): Promise<void> {
    return this.#core.commitTransaction(options);
  }

  /**
   * Aborts the open transaction: records not sent yet fail with
   * `TransactionAbortedError`, records in flight are waited for, and what
   * was written is never shown to `read_committed` consumers; the
   * offsets sent with it are not committed.
   *
   * @param options `timeoutMs` (default `transactionTimeoutMs`), `signal`
   *
   * @example
   * ```ts ignore a fragment: uses the producer of the class example
   * await producer.abortTransaction();
   * ```
   */
  abortTransaction(options: TransactionCallOptions = {}): Promise<void> {
    return this.#core.abortTransaction(options);
  }

  /**
   * A `WritableStream` of {@linkcode ProducerRecord}s: each chunk is
   * produced; a write resolves when the record is queued, so a full queue
   * applies backpressure. Closing the stream flushes; aborting it stops the
   * producer. The same stream is returned on every access.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `events-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 1 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   await using producer = topic.getProducer();
   *   const someReadable = ReadableStream.from(["a", "b", "c"].map((s) => new TextEncoder().encode(s)));
   *   await someReadable
   *     .pipeThrough(new TransformStream({ transform: (v, c) => c.enqueue({ value: v }) }))
   *     .pipeTo(producer.writable); // closing the stream flushes
   * } finally {
   *   await client.deleteTopics([name]);
   * }
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
