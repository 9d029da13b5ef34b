/**
 * {@linkcode HashingPartitioner}: pykafka's key-hashing partitioner, and
 * {@linkcode sha1Hash}, its default hash.
 *
 * @module
 */
import { absMod, checkKeyed, sortedById } from "./_partitioning.ts";
import { sha1BigInt, sha1Mod } from "./_sha1.ts";
import {
  BasePartitioner,
  type HashFunction,
  type PartitionLike,
} from "./partitioner.ts";

/**
 * pykafka's default hash: the SHA-1 digest of the key read as one unsigned
 * big-endian integer (Python's `int(sha1(key).hexdigest(), 16)`), as a
 * `bigint`. Pass it to `GroupHashingPartitioner` to place keys as pykafka
 * code that used this hash does.
 *
 * @param key the key bytes
 * @returns the 160-bit hash
 *
 * @example
 * ```ts
 * import { sha1Hash } from "./hashing_partitioner.ts";
 * const h = sha1Hash(new TextEncoder().encode("abc"));
 * console.assert(h === 0xa9993e364706816aba3e25717850c26c9cd0d89dn);
 * ```
 */
export const sha1Hash: HashFunction = (key: Uint8Array): bigint =>
  sha1BigInt(key);

/**
 * Sends every message with the same key to the same partition (pykafka's
 * `HashingPartitioner`): `sorted[abs(hashFunc(key)) % n]` over the
 * partitions sorted by id. The default hash is pykafka's SHA-1 of the key
 * bytes, so a key lands in the partition pykafka puts it in. Messages
 * without a key are refused (`TypeError`), as in pykafka.
 *
 * Not the Java client's placement (that is {@linkcode Murmur2Partitioner}
 * in `murmur2_partitioner.ts`), and a key moves when partitions are added.
 *
 * @example
 * ```ts
 * import { HashingPartitioner } from "./hashing_partitioner.ts";
 * const p = new HashingPartitioner();
 * const parts = [{ id: 0 }, { id: 1 }, { id: 2 }];
 * const key = new TextEncoder().encode("user-42");
 * console.assert(p.partition(parts, key) === p.partition(parts, key));
 * ```
 */
export class HashingPartitioner extends BasePartitioner {
  readonly #hash: HashFunction | undefined;

  /**
   * Creates the partitioner.
   *
   * @param hashFunc key bytes -> integer (default: pykafka's SHA-1, see
   *   {@linkcode sha1Hash})
   */
  constructor(hashFunc?: HashFunction | null) {
    super();
    if (
      hashFunc !== undefined && hashFunc !== null &&
      typeof hashFunc !== "function"
    ) {
      throw new TypeError(
        `HashingPartitioner: hashFunc must be a function, got ${typeof hashFunc}`,
      );
    }
    this.#hash = hashFunc ?? undefined;
  }

  /**
   * Picks the key's partition.
   *
   * @param partitions the topic's partitions (not empty)
   * @param key the message key; `null` throws `TypeError`
   */
  partition<P extends PartitionLike>(
    partitions: readonly P[],
    key: Uint8Array | null,
  ): P {
    checkKeyed(partitions, key, "HashingPartitioner");
    const sorted = sortedById(partitions);
    const n = sorted.length;
    const i = this.#hash === undefined
      ? sha1Mod(key, n)
      : absMod(this.#hash(key), n, "HashingPartitioner");
    return sorted[i];
  }
}

/**
 * A shared {@linkcode HashingPartitioner} with the default hash (pykafka's
 * module-level `hashing_partitioner`).
 *
 * @example
 * ```ts
 * import { hashingPartitioner } from "./hashing_partitioner.ts";
 * const key = new TextEncoder().encode("dummy");
 * console.assert(hashingPartitioner.partition([{ id: 0 }], key).id === 0);
 * ```
 */
export const hashingPartitioner: HashingPartitioner = new HashingPartitioner();
