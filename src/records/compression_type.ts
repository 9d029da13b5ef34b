/**
 * The compression codecs of Kafka record batches (the codec bits of a batch's
 * attributes).
 *
 * - `NONE` (0), `GZIP` (1), `SNAPPY` (2), `LZ4` (3): every record format.
 * - `ZSTD` (4): RecordBatch v2 (magic 2) only; brokers need Produce v7+ and
 *   Fetch v10+ for it.
 *
 * @example
 * ```ts
 * import { CompressionType, encodeRecords } from "./mod.ts";
 * const bytes = encodeRecords({
 *   compression: CompressionType.LZ4,
 *   records: [{ key: null, value: new TextEncoder().encode("hi") }],
 * });
 * console.assert(bytes.length > 61);
 * ```
 */
export const CompressionType = {
  /** No compression. */
  NONE: 0,
  /** gzip (RFC 1952). */
  GZIP: 1,
  /** Snappy (xerial framing when written, raw or xerial when read). */
  SNAPPY: 2,
  /** LZ4 frames as Kafka writes them (64 KiB independent blocks). */
  LZ4: 3,
  /** Zstandard (RecordBatch v2 only). */
  ZSTD: 4,
} as const;

/**
 * One of the {@link CompressionType} values (0-4).
 *
 * @example
 * ```ts
 * import { CompressionType } from "./mod.ts";
 * const codec: CompressionType = CompressionType.ZSTD;
 * console.assert(codec === 4);
 * ```
 */
export type CompressionType =
  typeof CompressionType[keyof typeof CompressionType];
