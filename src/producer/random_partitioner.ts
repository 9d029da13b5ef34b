/**
 * {@linkcode RandomPartitioner}: pykafka's even-spread partitioner.
 *
 * @module
 */
import { checkPartitions } from "./_partitioning.ts";
import { BasePartitioner, type PartitionLike } from "./partitioner.ts";

/**
 * Spreads messages evenly over the partitions, ignoring keys (pykafka's
 * `RandomPartitioner`). Like pykafka's, it is a round-robin counter rather
 * than a random draw (cheaper, and exactly even): the counter is advanced
 * before use, so with `n` partitions the first message goes to index
 * `1 % n`, then 2, 3, ... of the list it is given.
 *
 * @example
 * ```ts
 * import { RandomPartitioner } from "./random_partitioner.ts";
 * const p = new RandomPartitioner();
 * const parts = [{ id: 0 }, { id: 1 }, { id: 2 }];
 * const ids = [1, 2, 3, 4].map(() => p.partition(parts, null).id);
 * console.assert(ids.join() === "1,2,0,1");
 * ```
 */
export class RandomPartitioner extends BasePartitioner {
  #idx = 0;

  /**
   * Picks the next partition in turn.
   *
   * @param partitions the topic's partitions (not empty)
   * @param _key ignored
   */
  partition<P extends PartitionLike>(
    partitions: readonly P[],
    _key: Uint8Array | null = null,
  ): P {
    const n = partitions.length;
    if (n === 0) checkPartitions(partitions, "RandomPartitioner");
    let i = this.#idx + 1;
    if (i >= n) i %= n;
    this.#idx = i;
    return partitions[i];
  }
}
