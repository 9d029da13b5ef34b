/**
 * {@linkcode Partition}: one partition of a topic, with its leader,
 * replicas and in-sync replicas.
 *
 * @module
 */

import { LeaderNotFoundError } from "../errors/mod.ts";
import type { MetadataResponsePartition } from "../protocol/mod.ts";
import type { Broker } from "./broker.ts";
import type { OffsetType } from "./offset_type.ts";
import { lookupOffsets } from "./_offsets.ts";
import type { CallOptions } from "../util/deadline.ts";
import type { ClusterTopic } from "./topic_base.ts";

/**
 * One partition of a topic (pykafka's `Partition`): its id, leader,
 * replicas and in-sync replicas as of the last metadata update, and offset
 * lookups sent to its leader.
 *
 * The object stays the same across metadata updates; `leader`, `replicas`
 * and `isr` change in place. `replicas` and `isr` list only brokers the
 * cluster currently knows (a stopped replica is left out; the raw ids are
 * in `replicaIds` / `isrIds`).
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
 *   const p = topic.partitions.get(0)!;
 *   console.log(p.leader.id, p.isr.map((b) => b.id));
 *   console.log(await p.earliestAvailableOffset(), await p.latestAvailableOffset());
 * } finally {
 *   await client.deleteTopics([name]);
 * }
 * ```
 */
export class Partition {
  /** The topic this partition belongs to. */
  readonly topic: ClusterTopic;
  /** Partition id. */
  readonly id: number;
  #leaderId = -1;
  #leaderEpoch = -1;
  #leader: Broker | undefined;
  #replicaIds: number[] = [];
  #isrIds: number[] = [];
  #offlineIds: number[] = [];
  #replicas: Broker[] = [];
  #isr: Broker[] = [];
  #errorCode = 0;

  /**
   * Creates a partition from its metadata (the topic does this).
   *
   * @param topic the topic it belongs to
   * @param metadata the partition's entry in a Metadata response
   * @param brokers the brokers the cluster knows, by id
   */
  constructor(
    topic: ClusterTopic,
    metadata: MetadataResponsePartition,
    brokers: ReadonlyMap<number, Broker>,
  ) {
    this.topic = topic;
    this.id = metadata.partitionIndex;
    this.update(metadata, brokers);
  }

  /**
   * Takes a newer metadata entry of this partition (called by the topic on
   * every metadata update).
   */
  update(
    metadata: MetadataResponsePartition,
    brokers: ReadonlyMap<number, Broker>,
  ): void {
    this.#errorCode = metadata.errorCode;
    this.#leaderId = metadata.leaderId;
    this.#leaderEpoch = metadata.leaderEpoch ?? -1;
    this.#leader = metadata.leaderId >= 0
      ? brokers.get(metadata.leaderId)
      : undefined;
    this.#replicaIds = [...metadata.replicaNodes];
    this.#isrIds = [...metadata.isrNodes];
    this.#offlineIds = [...(metadata.offlineReplicas ?? [])];
    this.#replicas = known(this.#replicaIds, brokers);
    this.#isr = known(this.#isrIds, brokers);
  }

  /**
   * The leader broker. Throws `LeaderNotFoundError` (retriable: refresh
   * with `cluster.update()` and try again) while the partition has no
   * leader the client knows, e.g. during a leader election.
   */
  get leader(): Broker {
    const l = this.#leader;
    if (l === undefined || l.closed) {
      throw new LeaderNotFoundError(
        `partition ${this.topic.name}/${this.id} has no ${
          this.#leaderId >= 0
            ? `known leader (leader id ${this.#leaderId} is not among the brokers)`
            : "leader"
        } in the last metadata; refresh it with updateCluster()`,
      );
    }
    return l;
  }

  /** True when the partition has a leader the client knows. */
  get hasLeader(): boolean {
    return this.#leader !== undefined && !this.#leader.closed;
  }

  /** Leader broker id from the metadata (-1: none). */
  get leaderId(): number {
    return this.#leaderId;
  }

  /** Leader epoch (Metadata v7+), else -1. */
  get leaderEpoch(): number {
    return this.#leaderEpoch;
  }

  /** Replica brokers the cluster knows, in the metadata's order. */
  get replicas(): Broker[] {
    return [...this.#replicas];
  }

  /** In-sync replica brokers the cluster knows. */
  get isr(): Broker[] {
    return [...this.#isr];
  }

  /** Every replica id from the metadata, known brokers or not. */
  get replicaIds(): number[] {
    return [...this.#replicaIds];
  }

  /** Every in-sync replica id from the metadata. */
  get isrIds(): number[] {
    return [...this.#isrIds];
  }

  /** Offline replica ids (Metadata v5+). */
  get offlineReplicaIds(): number[] {
    return [...this.#offlineIds];
  }

  /** The partition's error code in the last metadata (0: none). */
  get errorCode(): number {
    return this.#errorCode;
  }

  /**
   * Offsets of this partition before a time (pykafka's
   * `fetch_offset_limit`); see `ClusterTopic.fetchOffsetLimits` for the
   * semantics of each broker generation.
   *
   * @param offsetsBefore `OffsetType.EARLIEST`, `OffsetType.LATEST`, a
   *   `Date` or a timestamp in ms since the epoch
   * @param maxOffsets most offsets to return (only ListOffsets v0, on
   *   brokers older than 0.10.1, returns more than one)
   * @param options `timeoutMs` (default the cluster's `retryTimeoutMs`;
   *   then `RequestTimeoutError`) and `signal` (rejects with its reason)
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
   *   const partition = topic.partitions.get(0)!;
   *   const [first] = await partition.fetchOffsetLimit(new Date(Date.now() - 3600_000));
   *   console.log(first);
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  async fetchOffsetLimit(
    offsetsBefore: Date | number | OffsetType,
    maxOffsets = 1,
    options: CallOptions = {},
  ): Promise<number[]> {
    const res = await this.topic.cluster.bounded(
      `offset lookup of ${this.topic.name}/${this.id}`,
      options,
      (signal) =>
        lookupOffsets(this.topic, [this.id], offsetsBefore, maxOffsets, {
          signal,
        }),
    );
    return res.get(this.id) ?? [];
  }

  /**
   * The oldest offset still stored (the log start offset).
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
   *   const partition = topic.partitions.get(0)!;
   *   const first = await partition.earliestAvailableOffset();
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  async earliestAvailableOffset(options: CallOptions = {}): Promise<number> {
    return await this.#one(-2, options);
  }

  /**
   * The offset the next record will get (the high watermark).
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
   *   const partition = topic.partitions.get(0)!;
   *   const next = await partition.latestAvailableOffset();
   * } finally {
   *   await client.deleteTopics([name]);
   * }
   * ```
   */
  async latestAvailableOffset(options: CallOptions = {}): Promise<number> {
    return await this.#one(-1, options);
  }

  async #one(which: -1 | -2, options: CallOptions): Promise<number> {
    const [o] = await this.fetchOffsetLimit(which, 1, options);
    // EARLIEST and LATEST always have an answer; an empty list is a
    // broker bug, reported by lookupOffsets already. Keep the type honest.
    return o ?? 0;
  }

  /** `Partition(orders/0, leader 1)`. */
  toString(): string {
    return `Partition(${this.topic.name}/${this.id}, leader ${this.#leaderId})`;
  }
}

function known(ids: number[], brokers: ReadonlyMap<number, Broker>): Broker[] {
  const out: Broker[] = [];
  for (const id of ids) {
    const b = brokers.get(id);
    if (b) out.push(b);
  }
  return out;
}
