/**
 * {@linkcode DecompressionBudget}: one bound on the bytes decompressed for
 * several decode calls together (the partitions of one fetch response).
 *
 * @module
 */

import { checkLimit } from "./_util.ts";

/**
 * A number of decompressed bytes shared by several decode calls:
 * `maxDecompressedBytes` bounds each call (one partition's record set), a
 * budget bounds their sum. Pass the same budget as `decompressionBudget` to
 * every `decodeMessages` / `decodeRecords` / `decompress` call of one fetch
 * response; each call may produce at most what is left, and what it
 * produced is taken off. A call that would need more fails with
 * `DecompressionBudgetError` (and takes nothing off), so a response full of
 * compression bombs costs at most the budget, not the per-call limit times
 * the number of partitions.
 *
 * @example
 * ```ts
 * import { compress, CompressionType, decompress, DecompressionBudget } from "./mod.ts";
 * const budget = new DecompressionBudget(1500);
 * const packed = compress(CompressionType.LZ4, new Uint8Array(1000));
 * decompress(CompressionType.LZ4, packed, { decompressionBudget: budget });
 * console.assert(budget.used === 1000 && budget.remaining === 500);
 * try {
 *   decompress(CompressionType.LZ4, packed, { decompressionBudget: budget });
 * } catch (e) {
 *   console.assert((e as Error).name === "DecompressionBudgetError");
 * }
 * ```
 */
export class DecompressionBudget {
  /** The bytes the budget allows in total. */
  readonly limit: number;
  #used = 0;

  /**
   * Creates a budget.
   *
   * @param limit decompressed bytes allowed in total (a non-negative safe
   *   integer; a `RangeError` otherwise)
   */
  constructor(limit: number) {
    this.limit = checkLimit(limit, 0, "DecompressionBudget limit");
  }

  /** Bytes decompressed so far. */
  get used(): number {
    return this.#used;
  }

  /** Bytes still allowed. */
  get remaining(): number {
    return this.limit - this.#used;
  }

  /**
   * Takes `bytes` off the budget (the decoders call it with what they
   * produced).
   *
   * @param bytes decompressed bytes produced
   */
  spend(bytes: number): void {
    this.#used = Math.min(this.limit, this.#used + Math.max(0, bytes));
  }
}
