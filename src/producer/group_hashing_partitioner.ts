/**
 * {@linkcode GroupHashingPartitioner}: pykafka's partitioner that spreads
 * each key over a small group of partitions.
 *
 * @module
 */
import { checkKeyed, sortedById } from "./_partitioning.ts";
import {
  BasePartitioner,
  type HashFunction,
  type PartitionLike,
} from "./partitioner.ts";

/**
 * Spreads the messages of one key over `groupSize` consecutive partitions
 * (pykafka's `GroupHashingPartitioner`): with the partitions sorted by id,
 * the result is `sorted[abs(hashFunc(key) + r) % n]` with `r` drawn at
 * random from `0 .. groupSize - 1`. `groupSize: 1` is a hashing
 * partitioner with `hashFunc`.
 *
 * As in pykafka, `hashFunc` is required (pass `sha1Hash` from
 * `hashing_partitioner.ts` for pykafka's SHA-1), `groupSize` must be at
 * least 1, and at call time a `null` key or a `groupSize` larger than the
 * partition count throws.
 *
 * @example
 * ```ts
 * import { GroupHashingPartitioner } from "./group_hashing_partitioner.ts";
 * import { sha1Hash } from "./hashing_partitioner.ts";
 * const p = new GroupHashingPartitioner(sha1Hash, 4);
 * const parts = Array.from({ length: 16 }, (_, id) => ({ id }));
 * const key = new TextEncoder().encode("hot-key");
 * const seen = new Set(Array.from({ length: 200 }, () => p.partition(parts, key).id));
 * console.assert(seen.size <= 4);
 * ```
 */
export class GroupHashingPartitioner extends BasePartitioner {
  readonly #hash: HashFunction;
  readonly #groupSize: number;

  /**
   * Creates the partitioner.
   *
   * @param hashFunc key bytes -> integer (required)
   * @param groupSize how many consecutive partitions share a key (>= 1,
   *   default 1)
   */
  constructor(hashFunc: HashFunction, groupSize = 1) {
    super();
    if (typeof hashFunc !== "function") {
      throw new TypeError(
        "GroupHashingPartitioner: hashFunc must be specified (a function of the key bytes)",
      );
    }
    if (!Number.isSafeInteger(groupSize)) {
      throw new TypeError(
        `GroupHashingPartitioner: groupSize must be an integer, got ${groupSize}`,
      );
    }
    if (groupSize < 1) {
      throw new RangeError(
        `GroupHashingPartitioner: groupSize cannot be < 1, got ${groupSize}`,
      );
    }
    this.#hash = hashFunc;
    this.#groupSize = groupSize;
  }

  /** How many consecutive partitions share a key. */
  get groupSize(): number {
    return this.#groupSize;
  }

  /**
   * Picks one of the key's `groupSize` partitions at random.
   *
   * @param partitions the topic's partitions (not empty, at least `groupSize`)
   * @param key the message key; `null` throws `TypeError`
   */
  partition<P extends PartitionLike>(
    partitions: readonly P[],
    key: Uint8Array | null,
  ): P {
    checkKeyed(partitions, key, "GroupHashingPartitioner");
    const n = partitions.length;
    if (this.#groupSize > n) {
      throw new RangeError(
        `GroupHashingPartitioner: groupSize ${this.#groupSize} is larger than the ${n} partitions`,
      );
    }
    const sorted = sortedById(partitions);
    const r = Math.floor(Math.random() * this.#groupSize);
    const h = this.#hash(key);
    let i: number;
    if (typeof h === "bigint") {
      const s = h + BigInt(r);
      i = Number((s < 0n ? -s : s) % BigInt(n));
    } else {
      if (!Number.isSafeInteger(h) || !Number.isSafeInteger(h + r)) {
        throw new TypeError(
          `GroupHashingPartitioner: the hash function must return a safe integer or a bigint, got ${h}`,
        );
      }
      i = Math.abs(h + r) % n;
    }
    return sorted[i];
  }
}
