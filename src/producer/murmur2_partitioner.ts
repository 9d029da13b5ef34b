/**
 * {@linkcode Murmur2Partitioner}: the Java client's placement of keyed
 * records.
 *
 * @module
 */
import { checkPartitions, sortedById } from "./_partitioning.ts";
import { murmur2 } from "./murmur2.ts";
import { BasePartitioner, type PartitionLike } from "./partitioner.ts";

/**
 * Places keyed messages where the Java client (and librdkafka's
 * `murmur2_random`, kafkajs's default) puts them:
 * `(murmur2(key) & 0x7fffffff) % n` over the partitions sorted by id, so
 * producers in other languages and this one agree on a key's partition.
 * Messages without a key go round-robin, exactly like
 * `RandomPartitioner`.
 *
 * This is the producer's default partitioner.
 *
 * @example
 * ```ts
 * import { Murmur2Partitioner } from "./murmur2_partitioner.ts";
 * const p = new Murmur2Partitioner();
 * const parts = Array.from({ length: 6 }, (_, id) => ({ id }));
 * // Kafka's murmur2("foobar") = -790332482: partition 0 of 6, as in Java.
 * console.assert(p.partition(parts, new TextEncoder().encode("foobar")).id === 0);
 * ```
 */
export class Murmur2Partitioner extends BasePartitioner {
  #idx = 0;

  /**
   * Picks the key's partition, or the next one in turn without a key.
   *
   * @param partitions the topic's partitions (not empty)
   * @param key the message key, or `null`
   */
  partition<P extends PartitionLike>(
    partitions: readonly P[],
    key: Uint8Array | null,
  ): P {
    const n = partitions.length;
    if (n === 0) checkPartitions(partitions, "Murmur2Partitioner");
    if (key === null || key === undefined) {
      let i = this.#idx + 1;
      if (i >= n) i %= n;
      this.#idx = i;
      return partitions[i];
    }
    const sorted = sortedById(partitions);
    return sorted[(murmur2(key) & 0x7fffffff) % n];
  }
}
