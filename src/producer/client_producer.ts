/**
 * {@linkcode ClientProducer}: a producer of a client that writes to any
 * topic (`client.getProducer(options)`), on the same produce engine as the
 * topic producers.
 *
 * @module
 */
import type { Cluster, ClusterTopic } from "../cluster/mod.ts";
import type { Message } from "../records/mod.ts";
import { validateOptions } from "../util/options.ts";
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
import {
  FLUSH_RULES,
  type FlushOptions,
  GET_DELIVERY_REPORT_RULES,
  type GetDeliveryReportOptions,
  type ProducerRecord,
} from "./producer.ts";

/**
 * One record of a {@linkcode ClientProducer}: a {@linkcode ProducerRecord}
 * with its topic (a name, or a topic from `client.topics.get()`).
 *
 * @typeParam V the value type
 * @typeParam K the key type
 *
 * @example
 * ```ts
 * import type { TopicRecord } from "./client_producer.ts";
 * const r: TopicRecord = { topic: "orders", value: new TextEncoder().encode("hi") };
 * ```
 */
export interface TopicRecord<V = Uint8Array | null, K = Uint8Array | null>
  extends ProducerRecord<V, K> {
  /** The topic to write to. */
  topic: string | ClusterTopic;
}

/** A topic lookup that records to that topic wait for, in order. */
interface Lookup {
  promise: Promise<TopicHandle>;
  /** Calls chained on it that have not run yet. */
  waiting: number;
}

/**
 * A producer of a client for any topic: `produce(topic, value, options)`,
 * with the options, semantics and methods of {@linkcode Producer}
 * (batching, delivery reports, `sync`, `flush()`, `stop()`, idempotence,
 * transactions), the topic named per record. Records of every topic share
 * the client's produce engine: one batch per partition and one Produce
 * request per leader broker for all topics, one producer id. A
 * transactional one writes to any number of topics in one transaction.
 *
 * The first record to a topic the producer has not used yet waits for its
 * metadata (`client.topics.get()`, which may create it, as pykafka's
 * client does); records keep their order per topic meanwhile.
 *
 * Get one with `client.getProducer(options)` (or `getSyncProducer`).
 *
 * @typeParam V the value type `produce()` takes (bytes unless a
 *   `serializer` is given)
 * @typeParam K the key type
 *
 * @example
 * ```ts
 * import { KafkaClient } from "@denokafka/kafka";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * await using client = await KafkaClient.connect({ hosts });
 * const id = crypto.randomUUID().slice(0, 8);
 * const [orders, audit] = [`orders-${id}`, `audit-${id}`];
 * await client.createTopics([orders, audit].map((name) => ({ name })));
 * try {
 *   await using producer = client.getProducer({ lingerMs: 10 });
 *   const enc = new TextEncoder();
 *   await producer.produce(orders, enc.encode("order #1"));
 *   await producer.produce(audit, enc.encode("order #1 placed"));
 *   await producer.produceBatch([
 *     { topic: orders, value: enc.encode("order #2") },
 *     { topic: audit, value: enc.encode("order #2 placed") },
 *   ]);
 *   await producer.flush();
 *   console.log(producer.stats.delivered); // 4
 * } finally {
 *   await client.deleteTopics([orders, audit]);
 * }
 * ```
 *
 * @example Options are checked when the producer is made
 * ```ts
 * import assert from "node:assert/strict";
 * import { KafkaClient } from "../../mod.ts";
 * const client = new KafkaClient({ hosts: "127.0.0.1:9092" }); // not connected
 * // A transactional producer needs acks from every in-sync replica.
 * assert.throws(
 *   () => client.getProducer({ transactionalId: "billing-1", requiredAcks: 1 }),
 *   RangeError,
 * );
 * const producer = client.getProducer({
 *   transactionalId: "billing-1",
 *   autoStart: false,
 * });
 * assert.equal(producer.transactionalId, "billing-1");
 * assert.equal(producer.running, false);
 * await client.close();
 * ```
 */
export class ClientProducer<V = Uint8Array | null, K = Uint8Array | null>
  implements AsyncDisposable {
  readonly #cluster: Cluster;
  readonly #core: ProducerCore<V, K>;
  readonly #handles = new Map<string, TopicHandle>();
  readonly #lookups = new Map<string, Lookup>();
  #writable: WritableStream<TopicRecord<V, K>> | undefined;

  /**
   * Creates a producer of `cluster`'s topics (usually made by
   * `client.getProducer(options)`). Options are validated here:
   * `TypeError` / `RangeError` name the bad option.
   *
   * @param cluster the client's cluster
   * @param options see {@linkcode ProducerOptions}
   */
  constructor(cluster: Cluster, options?: ProducerOptions<V, K>) {
    this.#cluster = cluster;
    this.#core = new ProducerCore(
      cluster,
      resolveProducerOptions(options),
      "client producer",
    );
    if (this.#core.o.autoStart) {
      this.start().catch(() => {/* surfaced by produce(), flush(), stop() */});
    }
  }

  /** True between `start()` and `stop()`. */
  get running(): boolean {
    return this.#core.running;
  }

  /** Whether idempotent delivery is on (decided at start). */
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
   * ```ts
   * import assert from "node:assert/strict";
   * import { KafkaClient } from "../../mod.ts";
   * const client = new KafkaClient({ hosts: "127.0.0.1:9092" }); // not connected
   * const plain = client.getProducer({ autoStart: false });
   * assert.equal(plain.transactionState, undefined);
   * const txn = client.getProducer({ transactionalId: "t1", autoStart: false });
   * assert.equal(txn.transactionState, "uninitialized"); // "ready" once started
   * await client.close();
   * ```
   */
  get transactionState(): TransactionState | undefined {
    return this.#core.transactionState;
  }

  /**
   * Counters (a snapshot).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { KafkaClient } from "../../mod.ts";
   * const client = new KafkaClient({ hosts: "127.0.0.1:9092" }); // not connected
   * const producer = client.getProducer({ autoStart: false });
   * const { produced, delivered, pending } = producer.stats;
   * assert.deepEqual([produced, delivered, pending], [0, 0, 0]);
   * await client.close();
   * ```
   */
  get stats(): ProducerStats {
    return this.#core.stats;
  }

  /**
   * Starts the producer (done by the constructor unless `autoStart:
   * false`); see {@linkcode Producer.start}.
   *
   * @example
   * ```ts ignore a fragment: uses the producer of the class example
   * const producer = client.getProducer({ autoStart: false });
   * await producer.start();
   * ```
   */
  start(): Promise<void> {
    return this.#core.start();
  }

  /** The handle of a topic known now, else undefined. */
  #known(topic: string | ClusterTopic): TopicHandle | undefined {
    if (typeof topic === "string") {
      if (this.#lookups.has(topic)) return undefined;
      return this.#handles.get(topic);
    }
    if (typeof topic !== "object" || topic === null) return undefined;
    let h = this.#handles.get(topic.name);
    if (h === undefined || h.topic !== topic) {
      if (this.#lookups.has(topic.name)) return undefined;
      h = new TopicHandle(topic);
      this.#handles.set(topic.name, h);
    }
    return h;
  }

  /**
   * Runs `then` with the topic's handle once its metadata is known; calls
   * for the same topic run in the order they were made.
   */
  #whenKnown<T>(
    topic: string | ClusterTopic,
    then: (h: TopicHandle) => Promise<T>,
  ): Promise<T> {
    const name = typeof topic === "string" ? topic : topic?.name;
    if (typeof name !== "string") {
      return Promise.reject(
        new TypeError(
          `ClientProducer: the topic must be a name or a topic, got ${typeof topic}`,
        ),
      );
    }
    let lookup = this.#lookups.get(name);
    if (lookup === undefined) {
      const promise = typeof topic === "string"
        ? this.#cluster.topics.get(name).then((t) => new TopicHandle(t))
        : Promise.resolve(new TopicHandle(topic));
      lookup = { promise, waiting: 0 };
      this.#lookups.set(name, lookup);
    }
    const l = lookup;
    l.waiting++;
    const done = () => {
      if (--l.waiting === 0 && this.#lookups.get(name) === l) {
        this.#lookups.delete(name);
      }
    };
    return l.promise.then((h) => {
      if (!this.#handles.has(name) || typeof topic !== "string") {
        this.#handles.set(name, h);
      }
      const handle = this.#handles.get(name)!;
      try {
        return then(handle);
      } finally {
        done();
      }
    }, (e) => {
      done();
      throw e;
    });
  }

  /**
   * Queues a message for `topic` and resolves with the queued
   * {@linkcode Message}; see {@linkcode Producer.produce} for everything
   * else (waiting for room, `sync`, size limits, transactions).
   *
   * @param topic a topic name or a topic
   * @param value the value
   * @param options key, timestamp, headers, partition
   * @returns the message
   *
   * @example
   * ```ts ignore a fragment: uses the producer of the class example
   * const msg = await producer.produce("orders", new TextEncoder().encode("v"));
   * ```
   */
  produce(
    topic: string | ClusterTopic,
    value: V,
    options?: ProduceOptions<K>,
  ): Promise<Message> {
    const h = this.#known(topic);
    if (h !== undefined) return this.#core.produce(h, value, options);
    return this.#whenKnown(
      topic,
      (handle) => this.#core.produce(handle, value, options),
    );
  }

  /**
   * Queues many records, of any topics, with one promise, in order; see
   * {@linkcode Producer.produceBatch}.
   *
   * @param records `{ topic, value, partitionKey?, timestamp?, headers?, partition? }`
   * @returns how many records were queued
   *
   * @example
   * ```ts ignore a fragment: uses the producer of the class example
   * const enc = new TextEncoder();
   * await producer.produceBatch([
   *   { topic: "orders", value: enc.encode("o1") },
   *   { topic: "audit", value: enc.encode("a1") },
   * ]);
   * ```
   */
  async produceBatch(records: Iterable<TopicRecord<V, K>>): Promise<number> {
    const list = Array.isArray(records) ? records : [...records];
    const handles: TopicHandle[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const r = list[i];
      if (typeof r !== "object" || r === null) {
        throw new TypeError(
          `produceBatch(): record ${i} must be an object { topic, value, ... }`,
        );
      }
      handles[i] = this.#known(r.topic) ??
        await this.#whenKnown(r.topic, (h) => Promise.resolve(h));
    }
    return await this.#core.produceMany((i) =>
      i < list.length ? [handles[i], list[i].value, list[i]] : undefined
    );
  }

  /**
   * The next delivery report `[message, error | null]`; see
   * {@linkcode Producer.getDeliveryReport}.
   *
   * @param options `block` (default true), `timeoutMs`, `signal`
   *
   * @example
   * ```ts ignore a fragment: uses the producer of the class example
   * const report = await producer.getDeliveryReport({ timeoutMs: 1000 });
   * ```
   */
  getDeliveryReport(
    options: GetDeliveryReportOptions = {},
  ): Promise<DeliveryReport | null> {
    try {
      validateOptions(
        "ClientProducer.getDeliveryReport",
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
   * The delivery reports as they come; see
   * {@linkcode Producer.deliveryReports}.
   *
   * @example
   * ```ts ignore a fragment: uses the producer of the class example
   * for await (const [msg, err] of producer.deliveryReports()) {
   *   if (err) console.error(msg.topic, msg.partitionId, err);
   * }
   * ```
   */
  deliveryReports(): AsyncGenerator<DeliveryReport, void, undefined> {
    return this.#core.deliveryReports();
  }

  /**
   * Sends everything queued now and waits; see {@linkcode Producer.flush}.
   *
   * @param options `timeoutMs`
   *
   * @example
   * ```ts ignore a fragment: uses the producer of the class example
   * await producer.flush();
   * ```
   */
  async flush(options: FlushOptions = {}): Promise<void> {
    validateOptions("ClientProducer.flush", options, FLUSH_RULES);
    await this.#core.flush(options.timeoutMs);
  }

  /**
   * Stops the producer; see {@linkcode Producer.stop}.
   *
   * @example
   * ```ts ignore a fragment: uses the producer of the class example
   * await producer.stop();
   * ```
   */
  stop(): Promise<void> {
    return this.#core.stop();
  }

  /**
   * Opens a transaction; see {@linkcode Producer.beginTransaction}.
   *
   * @example
   * ```ts ignore a fragment: uses the producer of the class example
   * await producer.beginTransaction();
   * ```
   *
   * @example Only a transactional producer has transactions
   * ```ts
   * import assert from "node:assert/strict";
   * import { InvalidTxnStateError, KafkaClient } from "../../mod.ts";
   * const client = new KafkaClient({ hosts: "127.0.0.1:9092" }); // not connected
   * const producer = client.getProducer({ autoStart: false }); // no transactionalId
   * await assert.rejects(producer.beginTransaction(), InvalidTxnStateError);
   * await client.close();
   * ```
   */
  beginTransaction(): Promise<void> {
    return this.#core.beginTransaction();
  }

  /**
   * Adds consumed offsets to the open transaction; see
   * {@linkcode Producer.sendOffsetsToTransaction}.
   *
   * @param offsets `{ topic, partition, offset, metadata? }` per partition
   * @param group `{ groupId, generationId?, memberId?, groupInstanceId? }`
   * @param options `timeoutMs`, `signal`
   *
   * @example
   * ```ts ignore a fragment: uses the producer of the class example
   * await producer.sendOffsetsToTransaction([{ topic: "in", partition: 0, offset: 42 }], { groupId: "g" });
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
   * Commits the open transaction; see {@linkcode Producer.commitTransaction}.
   *
   * @param options `timeoutMs`, `signal`
   *
   * @example
   * ```ts ignore a fragment: uses the producer of the class example
   * await producer.commitTransaction();
   * ```
   */
  commitTransaction(options: TransactionCallOptions = {}): Promise<void> {
    return this.#core.commitTransaction(options);
  }

  /**
   * Aborts the open transaction; see {@linkcode Producer.abortTransaction}.
   *
   * @param options `timeoutMs`, `signal`
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
   * A `WritableStream` of {@linkcode TopicRecord}s (backpressure, close
   * flushes, abort stops); see {@linkcode Producer.writable}.
   *
   * @example
   * ```ts ignore a fragment: uses the producer of the class example
   * const w = producer.writable.getWriter();
   * await w.write({ topic: "orders", value: new TextEncoder().encode("o1") });
   * await w.close();
   * ```
   */
  get writable(): WritableStream<TopicRecord<V, K>> {
    this.#writable ??= new WritableStream<TopicRecord<V, K>>({
      write: async (r) => {
        await this.produce(r.topic, r.value, r);
      },
      close: () => this.flush(),
      abort: () => this.stop(),
    }, { highWaterMark: 1 });
    return this.#writable;
  }

  /** Same as {@linkcode ClientProducer.stop}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}
