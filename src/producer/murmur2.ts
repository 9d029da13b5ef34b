/**
 * {@linkcode murmur2}: Kafka's MurmurHash2, the hash of the Java client's
 * default partitioner.
 *
 * @module
 */

const M = 0x5bd1e995;
const SEED = 0x9747b28c;

/**
 * MurmurHash2 (32-bit) of `data` with Kafka's seed `0x9747b28c`, as the
 * Java client's `Utils.murmur2` computes it: a signed 32-bit integer.
 * The Java producer places a keyed record in partition
 * `(murmur2(key) & 0x7fffffff) % numPartitions`.
 *
 * @param data the bytes to hash
 * @returns the hash as a signed 32-bit integer
 *
 * @example
 * ```ts
 * import { murmur2 } from "./murmur2.ts";
 * // A vector from Kafka's UtilsTest.
 * console.assert(murmur2(new TextEncoder().encode("21")) === -973932308);
 * ```
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) |
      (data[i + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  switch (length & 3) {
    case 3:
      h ^= data[whole + 2] << 16;
    // falls through
    case 2:
      h ^= data[whole + 1] << 8;
    // falls through
    case 1:
      h ^= data[whole];
      h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}
