/**
 * The partitioner contract: how a producer picks the partition of a
 * message from the topic's partitions and the message's key.
 *
 * @module
 */

/**
 * What a partitioner needs to know about a partition: its id. Producers
 * pass the topic's `Partition` objects (which also carry `leader`,
 * `replicas` and `isr`).
 *
 * @example
 * ```ts
 * import type { PartitionLike } from "./partitioner.ts";
 * const partitions: PartitionLike[] = [{ id: 0 }, { id: 1 }];
 * console.assert(partitions.length === 2);
 * ```
 */
export interface PartitionLike {
  /** The partition id. */
  readonly id: number;
}

/**
 * A partitioner as a function, pykafka's callable
 * `partitioner(partitions, key) -> Partition`: it receives the topic's
 * partitions (ordered by id) and the message key (after the serializer;
 * `null` when there is none) and returns one of the partitions.
 *
 * @example
 * ```ts
 * import type { PartitionerFunction } from "./partitioner.ts";
 * // Everything with a key to the last partition, the rest to the first.
 * const byKeyPresence: PartitionerFunction = (partitions, key) =>
 *   key === null ? partitions[0] : partitions[partitions.length - 1];
 * console.assert(byKeyPresence([{ id: 0 }, { id: 1 }], null).id === 0);
 * ```
 */
export type PartitionerFunction = <P extends PartitionLike>(
  partitions: readonly P[],
  key: Uint8Array | null,
) => P;

/**
 * A partitioner as an object (pykafka's class-based partitioners:
 * `RandomPartitioner`, `HashingPartitioner`, `GroupHashingPartitioner`, and
 * this library's `Murmur2Partitioner`).
 *
 * @example
 * ```ts
 * import type { Partitioner, PartitionLike } from "./partitioner.ts";
 * class FirstPartition implements Partitioner {
 *   partition<P extends PartitionLike>(partitions: readonly P[], _key: Uint8Array | null): P {
 *     return partitions[0];
 *   }
 * }
 * console.assert(new FirstPartition().partition([{ id: 7 }], null).id === 7);
 * ```
 */
export interface Partitioner {
  /**
   * Picks a partition.
   *
   * @param partitions the topic's partitions, ordered by id (not empty)
   * @param key the message key, `null` when it has none
   * @returns one of `partitions`
   */
  partition<P extends PartitionLike>(
    partitions: readonly P[],
    key: Uint8Array | null,
  ): P;
}

/**
 * Base class for class-based partitioners (pykafka's `BasePartitioner`):
 * subclasses implement `partition`.
 *
 * @example
 * ```ts
 * import { BasePartitioner, type PartitionLike } from "./partitioner.ts";
 * class LastPartition extends BasePartitioner {
 *   partition<P extends PartitionLike>(partitions: readonly P[], _key: Uint8Array | null): P {
 *     return partitions[partitions.length - 1];
 *   }
 * }
 * console.assert(new LastPartition().partition([{ id: 0 }, { id: 1 }], null).id === 1);
 * ```
 */
export abstract class BasePartitioner implements Partitioner {
  /**
   * Picks a partition (see {@linkcode Partitioner.partition}).
   *
   * @param partitions the topic's partitions, ordered by id (not empty)
   * @param key the message key, `null` when it has none
   */
  abstract partition<P extends PartitionLike>(
    partitions: readonly P[],
    key: Uint8Array | null,
  ): P;
}

/**
 * A hash function for the hashing partitioners: key bytes to an integer
 * (a safe-integer `number` or a `bigint`; pykafka's `hash_func`).
 *
 * @example
 * ```ts
 * import type { HashFunction } from "./partitioner.ts";
 * const byteSum: HashFunction = (key) => key.reduce((a, b) => a + b, 0);
 * console.assert(byteSum(new Uint8Array([1, 2])) === 3);
 * ```
 */
export type HashFunction = (key: Uint8Array) => number | bigint;
