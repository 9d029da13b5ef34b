/**
 * {@linkcode OffsetType}: the special "offsets before" values of offset
 * lookups.
 *
 * @module
 */

/**
 * Special values for offset lookups (pykafka's `OffsetType`), as Kafka's
 * ListOffsets defines them:
 *
 * - `EARLIEST` (-2): the log start offset, the oldest offset still stored.
 * - `LATEST` (-1): the offset the next record will get (the high
 *   watermark).
 *
 * Anywhere an offset type is accepted, a `Date` or a timestamp in ms since
 * the epoch may be given instead.
 *
 * @example
 * ```ts
 * import { OffsetType } from "./offset_type.ts";
 * const start: OffsetType = OffsetType.EARLIEST;
 * console.assert(start === -2 && OffsetType.LATEST === -1);
 * ```
 */
export const OffsetType: {
  /** The oldest offset still stored (the log start offset), -2. */
  readonly EARLIEST: -2;
  /** The offset the next record will get (the high watermark), -1. */
  readonly LATEST: -1;
} = Object.freeze({ EARLIEST: -2, LATEST: -1 } as const);

/** `OffsetType.EARLIEST` (-2) or `OffsetType.LATEST` (-1). */
export type OffsetType = typeof OffsetType[keyof typeof OffsetType];
