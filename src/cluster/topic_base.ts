/**
 * {@linkcode ClusterTopic}: a topic as the cluster layer knows it (name,
 * partitions, offset lookups). The user-facing `Topic` of the client
 * extends it with producer and consumer factories.
 *
 * @module
 */

import type { MetadataResponseTopic } from "../protocol/mod.ts";
import type { Cluster } from "./cluster.ts";
import type { OffsetType } from "./offset_type.ts";
import { Partition } from "./partition.ts";
import { lookupOffsets } from "./_offsets.ts";
import type { CallOptions } from "../util/deadline.ts";

/**
 * A topic: its name and partitions, kept current by the cluster's metadata
 * updates, and offset lookups over all of its partitions (one ListOffsets
 * request per leader broker).
 *
 * Get topics from `client.topics` / `cluster.topics` (a `TopicDict`),
 * which creates them; the user-facing subclass is the client's `Topic`.
 *
 * @example
 * ```ts
 * import { KafkaClient } from "@denokafka/kafka";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * await using client = await KafkaClient.connect({ hosts });
 * const name = `orders-${crypto.randomUUID()}`;
 * await client.createTopics([{ name, numPartitions: 3 }]);
 * try {
 *   const topic = await client.topics.get(name);
 *   console.log(topic.name, topic.partitions.size); // orders-… 3
 *   const latest = await topic.latestAvailableOffsets(); // Map partition -> offset
 * } finally {
 *   await client.deleteTopics([name]);
 * }
 * ```
 */
export class ClusterTopic {
  /** The cluster the topic belongs to. */
  readonly cluster: Cluster;
  /** Topic name. */
  readonly name: string;
  #topicId: string | undefined;
  #isInternal: boolean;
  readonly #partitions = new Map<number, Partition>();

  /**
   * Creates a topic from its metadata (the `TopicDict` does this through
   * its factory).
   *
   * @param cluster the cluster it belongs to
   * @param metadata the topic's entry in a Metadata response
   */
  constructor(cluster: Cluster, metadata: MetadataResponseTopic) {
    this.cluster = cluster;
    if (metadata.name === null) {
      throw new TypeError("topic metadata without a name");
    }
    this.name = metadata.name;
    this.#topicId = undefined;
    this.#isInternal = false;
    this.update(metadata);
  }

  /**
   * The partitions by id, as of the last metadata update. Partition
   * objects stay the same across updates; partitions added to the topic
   * appear after the next update.
   */
  get partitions(): ReadonlyMap<number, Partition> {
    return this.#partitions;
  }

  /**
   * The topic id (Metadata v10+, Kafka 2.8+; Fetch v13+ and Produce v13
   * name topics by it), or `undefined` when the broker does not send one.
   */
  get topicId(): string | undefined {
    return this.#topicId;
  }

  /** True when Kafka marks the topic internal (`__consumer_offsets`, ...). */
  get isInternal(): boolean {
    return this.#isInternal;
  }

  /**
   * Takes newer metadata of this topic (the cluster calls this on every
   * update): vanished partitions are dropped, new ones added, the others
   * updated in place.
   */
  update(metadata: MetadataResponseTopic): void {
    const brokers = this.cluster.brokers;
    const zero = "AAAAAAAAAAAAAAAAAAAAAA";
    if (metadata.topicId !== undefined && metadata.topicId !== zero) {
      this.#topicId = metadata.topicId;
    }
    this.#isInternal = metadata.isInternal ?? this.name.startsWith("__");
    const seen = new Set<number>();
    for (const pm of metadata.partitions) {
      seen.add(pm.partitionIndex);
      const p = this.#partitions.get(pm.partitionIndex);
      if (p) p.update(pm, brokers);
      else {
        this.#partitions.set(
          pm.partitionIndex,
          new Partition(this, pm, brokers),
        );
      }
    }
    for (const id of [...this.#partitions.keys()]) {
      if (!seen.has(id)) this.#partitions.delete(id);
    }
    // Keep the map ordered by partition id.
    if (
      [...this.#partitions.keys()].some((id, i, a) => i > 0 && a[i - 1] > id)
    ) {
      const sorted = [...this.#partitions].sort((a, b) => a[0] - b[0]);
      this.#partitions.clear();
      for (const [id, p] of sorted) this.#partitions.set(id, p);
    }
  }

  /**
   * Offsets of every partition before a time (pykafka's
   * `fetch_offset_limits`), as partition id -> offsets:
   *
   * - `OffsetType.EARLIEST`: `[log start offset]`.
   * - `OffsetType.LATEST`: `[high watermark]` (the offset the next record
   *   gets); on ListOffsets v0 (brokers before 0.10.1) followed by the base
   *   offsets of the log segments, newest first, up to `maxOffsets`.
   * - A `Date` or a timestamp in ms: on brokers with ListOffsets v1+
   *   (Kafka 0.10.1 and later), `[the first offset whose record timestamp is
   *   at or after that time]`, or `[]` when no record is that recent (a
   *   consumer would start at the latest offset). On older brokers
   *   (ListOffsets v0) pykafka's segment semantics: the base offsets of the
   *   segments written before that time, newest first, up to `maxOffsets`,
   *   `[]` when none (issue Parsely/pykafka#728: not per-record precise).
   *
   * Partitions whose leader moved are retried after a metadata refresh;
   * `OffsetRequestFailedError` when one still fails. Settles within
   * `options.timeoutMs` (default the cluster's `retryTimeoutMs`;
   * `RequestTimeoutError`), or with `signal.reason` when `signal` aborts.
   *
   * @example
   * ```ts
   * import { KafkaClient, OffsetType } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 3 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   const byPartition = await topic.fetchOffsetLimits(OffsetType.LATEST);
   *   const hourAgo = await topic.fetchOffsetLimits(new Date(Date.now() - 3600_000));
   *   console.log(byPartition, hourAgo);
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  fetchOffsetLimits(
    offsetsBefore: Date | number | OffsetType,
    maxOffsets = 1,
    options: CallOptions = {},
  ): Promise<Map<number, number[]>> {
    return this.cluster.bounded(
      `offset lookup of ${this.name}`,
      options,
      (signal) =>
        lookupOffsets(
          this,
          [...this.#partitions.keys()],
          offsetsBefore,
          maxOffsets,
          { signal },
        ),
    );
  }

  /**
   * The oldest stored offset of every partition, partition id -> offset.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 3 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   const earliest = await topic.earliestAvailableOffsets();
   *   console.log(earliest); // Map { 0 => 0, 1 => 0, 2 => 0 }
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  async earliestAvailableOffsets(
    options: CallOptions = {},
  ): Promise<Map<number, number>> {
    return firsts(await this.fetchOffsetLimits(-2, 1, options));
  }

  /**
   * The offset the next record of every partition will get (the high
   * watermark), partition id -> offset.
   *
   * @example
   * ```ts
   * import { KafkaClient } from "@denokafka/kafka";
   *
   * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
   * await using client = await KafkaClient.connect({ hosts });
   * const name = `orders-${crypto.randomUUID()}`;
   * await client.createTopics([{ name, numPartitions: 3 }]);
   * try {
   *   const topic = await client.topics.get(name);
   *   const latest = await topic.latestAvailableOffsets();
   *   const total = [...latest.values()].reduce((a, b) => a + b, 0);
   *   console.log(total); // 0: nothing produced yet
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  async latestAvailableOffsets(
    options: CallOptions = {},
  ): Promise<Map<number, number>> {
    return firsts(await this.fetchOffsetLimits(-1, 1, options));
  }

  /** `Topic(orders, 3 partitions)`. */
  toString(): string {
    return `Topic(${this.name}, ${this.#partitions.size} partitions)`;
  }
}

function firsts(m: Map<number, number[]>): Map<number, number> {
  const out = new Map<number, number>();
  for (const [id, offsets] of [...m].sort((a, b) => a[0] - b[0])) {
    if (offsets.length > 0) out.set(id, offsets[0]);
  }
  return out;
}
