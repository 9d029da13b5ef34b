/**
 * {@linkcode TopicDict}: the cluster's topics by name, created lazily and
 * held weakly (pykafka's `TopicDict`, `client.topics`).
 *
 * @module
 */

import {
  InvalidTopicException,
  UnknownTopicOrPartitionError,
} from "../errors/mod.ts";
import type { MetadataResponseTopic } from "../protocol/mod.ts";
import type { Cluster } from "./cluster.ts";
import type { ClusterTopic } from "./topic_base.ts";
import { validateOptions } from "../util/options.ts";
import { TOPIC_GET_RULES } from "./_options.ts";

/** Options of {@linkcode TopicDict.get}. */
export interface TopicGetOptions {
  /**
   * Ask the broker to create a missing topic (default: the cluster's
   * `autoCreateTopics`, itself `true` by default, as in pykafka). The
   * broker creates it only when `auto.create.topics.enable` is on; with
   * `false`, a missing topic is `UnknownTopicOrPartition` at once.
   */
  autoCreate?: boolean;
  /**
   * How long to wait for a new topic's partitions to get leaders, in ms
   * (default: the cluster's `autoCreateTimeoutMs`, 10000). pykafka waited
   * forever.
   */
  timeoutMs?: number;
  /** Cancels waiting. */
  signal?: AbortSignal;
}

/**
 * Creates the topic objects a {@linkcode TopicDict} hands out.
 *
 * Declared through a method signature so that its `cluster` parameter is
 * compared bivariantly: that keeps `Cluster<T>` covariant in `T`, so a
 * `Cluster<Topic>` (`client.cluster`) is accepted where a
 * `Cluster<ClusterTopic>` is expected (e.g. `new Admin(client.cluster)`).
 *
 * @example
 * ```ts
 * import { ClusterTopic, type TopicFactory } from "@denokafka/kafka";
 *
 * const factory: TopicFactory<ClusterTopic> = (cluster, metadata) =>
 *   new ClusterTopic(cluster, metadata);
 * console.log(typeof factory);
 * ```
 */
export type TopicFactory<T extends ClusterTopic> = {
  make(cluster: Cluster<T>, metadata: MetadataResponseTopic): T;
}["make"];

interface Entry<T extends object> {
  metadata: MetadataResponseTopic;
  ref: WeakRef<T> | null;
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * The topics of the cluster by name (pykafka's `TopicDict`, reached as
 * `client.topics`).
 *
 * - Names come from the last metadata update (`keys()`, `has()`, `size`,
 *   iteration); topic objects are created on first {@linkcode TopicDict.get}
 *   and then kept up to date by every metadata update.
 * - Topic objects are held through a `WeakRef`, as pykafka documents: keep
 *   a reference to a topic you use. One that was garbage-collected is made
 *   again (with a fresh metadata request) by the next `get`.
 * - `get(name)` of a missing topic asks the broker to create it (Metadata
 *   with `allowAutoTopicCreation`), then waits a bounded time for its
 *   partitions to get leaders.
 * - Internal topics (names starting with `__`, or marked internal by the
 *   broker) are hidden unless the client was created with
 *   `excludeInternalTopics: false`; `get` of a hidden one throws
 *   `InvalidTopicException`.
 *
 * @example
 * ```ts
 * import { KafkaClient } from "@denokafka/kafka";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * await using client = await KafkaClient.connect({ hosts });
 * const name = `orders-${crypto.randomUUID()}`;
 * await client.createTopics([{ name, numPartitions: 1 }]);
 * try {
 *   const topic = await client.topics.get(name);
 *   console.log(client.topics.has(name), client.topics.size);
 *   for (const n of client.topics) if (n === name) console.log("known:", n);
 * } finally {
 *   await client.deleteTopics([name]);
 * }
 * ```
 */
export class TopicDict<T extends ClusterTopic = ClusterTopic>
  implements Iterable<string> {
  readonly #cluster: Cluster<T>;
  readonly #factory: TopicFactory<T>;
  readonly #excludeInternal: boolean;
  readonly #entries = new Map<string, Entry<T>>();
  readonly #pending = new Map<string, Promise<T>>();

  /**
   * Creates the dictionary (the cluster does this).
   *
   * @param cluster the cluster the topics belong to
   * @param factory makes a topic object from its metadata
   * @param excludeInternalTopics hide `__`-prefixed and internal topics
   */
  constructor(
    cluster: Cluster<T>,
    factory: TopicFactory<T>,
    excludeInternalTopics = true,
  ) {
    this.#cluster = cluster;
    this.#factory = factory;
    this.#excludeInternal = excludeInternalTopics;
  }

  #hidden(name: string, md?: MetadataResponseTopic): boolean {
    return this.#excludeInternal &&
      (name.startsWith("__") || (md?.isInternal ?? false));
  }

  /** Number of (visible) topics in the last metadata. */
  get size(): number {
    let n = 0;
    for (const [name, e] of this.#entries) {
      if (!this.#hidden(name, e.metadata)) n++;
    }
    return n;
  }

  /**
   * True when the last metadata lists the topic (and it is not hidden).
   * No I/O: call `updateCluster()` first for a fresh answer.
   */
  has(name: string): boolean {
    const e = this.#entries.get(name);
    return e !== undefined && !this.#hidden(name, e.metadata);
  }

  /** The (visible) topic names of the last metadata, sorted. */
  keys(): string[] {
    return [...this.#entries]
      .filter(([name, e]) => !this.#hidden(name, e.metadata))
      .map(([name]) => name)
      .sort();
  }

  /** Iterates the visible topic names (as `keys()`). */
  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }

  /**
   * The live topic object of `name` if one exists (no I/O, no creation).
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 1 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   console.log(client.topics.peek(name) === topic); // true
   *   console.log(client.topics.peek("never-fetched")); // undefined
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  peek(name: string): T | undefined {
    return this.#entries.get(name)?.ref?.deref();
  }

  /**
   * The topic `name`: the live object if there is one, else a new one made
   * from a fresh metadata request. A missing topic is created by the broker
   * when `autoCreate` allows and the broker permits, waiting (at most
   * `timeoutMs`) until every partition has a leader.
   *
   * Errors: `InvalidTopicException` for a hidden internal topic or an
   * illegal name (Kafka allows `[a-zA-Z0-9._-]`, at most 249 characters);
   * `UnknownTopicOrPartition` when the topic does not exist and is not
   * created; `LeaderNotAvailable` when a topic being created still has
   * partitions without a leader after `timeoutMs` (an existing topic is
   * returned as it is: a partition without a leader throws
   * `LeaderNotFoundError` when used); `TopicAuthorizationFailed`;
   * `NoBrokersAvailableError`; a bad option rejects with a `TypeError` /
   * `RangeError` naming it.
   *
   * @example
   * ```ts
   * import { KafkaClient, UnknownTopicOrPartition } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   console.log(topic.partitions.size);
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * try {
   *   await client.topics.get(`audit-${crypto.randomUUID()}`, { autoCreate: false });
   * } catch (e) {
   *   if (!(e instanceof UnknownTopicOrPartition)) throw e;
   * }
   * ```
   */
  async get(name: string, options: TopicGetOptions = {}): Promise<T> {
    validateOptions("TopicDict.get", options, TOPIC_GET_RULES);
    if (
      typeof name !== "string" || !TOPIC_NAME.test(name) || name === "." ||
      name === ".."
    ) {
      throw new InvalidTopicException(
        `illegal topic name ${
          JSON.stringify(name)
        }: Kafka allows 1-249 characters of [a-zA-Z0-9._-]`,
      );
    }
    if (this.#hidden(name, this.#entries.get(name)?.metadata)) {
      throw new InvalidTopicException(
        `topic ${name} is internal and hidden (excludeInternalTopics is true)`,
      );
    }
    const live = this.peek(name);
    if (live) return live;
    let p = this.#pending.get(name);
    if (!p) {
      p = this.#make(name, options).finally(() => this.#pending.delete(name));
      this.#pending.set(name, p);
    }
    return await p;
  }

  async #make(name: string, options: TopicGetOptions): Promise<T> {
    const md = await this.#cluster.fetchTopicMetadata(name, options);
    if (this.#hidden(name, md)) {
      throw new InvalidTopicException(
        `topic ${name} is internal and hidden (excludeInternalTopics is true)`,
      );
    }
    const live = this.peek(name);
    if (live) return live;
    const topic = this.#factory(this.#cluster, md);
    this.#entries.set(name, { metadata: md, ref: new WeakRef(topic) });
    return topic;
  }

  /**
   * Every visible topic as an object (pykafka's `values()`): makes the
   * ones not alive yet, with one metadata request each. A topic deleted
   * since the metadata listed it is left out.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 1 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   const all = await client.topics.values(); // every topic, fetched
   *   console.log(all.some((t) => t.name === name)); // true
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  async values(): Promise<T[]> {
    const out: T[] = [];
    for (const name of this.keys()) {
      try {
        out.push(await this.get(name, { autoCreate: false }));
      } catch (e) {
        // Deleted since the listing: no longer a topic to return.
        if (!(e instanceof UnknownTopicOrPartitionError)) throw e;
      }
    }
    return out;
  }

  /**
   * Takes a Metadata response (the cluster calls this). With `complete`
   * (a request for every topic) topics missing from it are dropped; live
   * topic objects are updated in place.
   */
  applyMetadata(
    topics: readonly MetadataResponseTopic[],
    complete: boolean,
  ): void {
    const seen = new Set<string>();
    for (const md of topics) {
      if (md.name === null) continue;
      // A topic being created or deleted answers with an error and no
      // partitions: keep what is known, add nothing.
      if (md.errorCode !== 0 && md.partitions.length === 0) {
        if (md.errorCode === 3) { // unknown: it is gone
          this.#entries.delete(md.name);
          continue;
        }
        if (this.#entries.has(md.name)) seen.add(md.name);
        continue;
      }
      seen.add(md.name);
      const e = this.#entries.get(md.name);
      if (e) {
        e.metadata = md;
        const t = e.ref?.deref();
        if (t) t.update(md);
        else e.ref = null;
      } else {
        this.#entries.set(md.name, { metadata: md, ref: null });
      }
    }
    if (complete) {
      for (const name of [...this.#entries.keys()]) {
        if (!seen.has(name)) this.#entries.delete(name);
      }
    }
  }

  /** Live topic objects (for the cluster's leader checks). */
  liveTopics(): T[] {
    const out: T[] = [];
    for (const e of this.#entries.values()) {
      const t = e.ref?.deref();
      if (t) out.push(t);
    }
    return out;
  }
}
