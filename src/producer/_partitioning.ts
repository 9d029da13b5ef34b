// Helpers shared by the partitioners.
import type { PartitionLike } from "./partitioner.ts";

/** `partitions` ordered by id (the same array when it already is). */
export function sortedById<P extends PartitionLike>(
  partitions: readonly P[],
): readonly P[] {
  for (let i = 1; i < partitions.length; i++) {
    if (partitions[i - 1].id > partitions[i].id) {
      return [...partitions].sort((a, b) => a.id - b.id);
    }
  }
  return partitions;
}

/** `|h| mod n` for a number or bigint hash (Python's `abs(h) % n`). */
export function absMod(h: number | bigint, n: number, what: string): number {
  if (typeof h === "bigint") {
    const a = h < 0n ? -h : h;
    return Number(a % BigInt(n));
  }
  if (!Number.isSafeInteger(h)) {
    throw new TypeError(
      `${what}: the hash function must return a safe integer or a bigint, got ${h}`,
    );
  }
  return Math.abs(h) % n;
}

/** Throws unless there is at least one partition. */
export function checkPartitions(
  partitions: readonly PartitionLike[],
  what: string,
): void {
  if (partitions.length === 0) {
    throw new RangeError(`${what}: the topic has no partitions`);
  }
}

/** Throws unless the key is set and there is at least one partition (the hashing partitioners). */
export function checkKeyed(
  partitions: readonly PartitionLike[],
  key: Uint8Array | null | undefined,
  what: string,
): asserts key is Uint8Array {
  if (key === null || key === undefined) {
    throw new TypeError(
      `${what}: the key cannot be null (give produce() a partitionKey)`,
    );
  }
  checkPartitions(partitions, what);
}
