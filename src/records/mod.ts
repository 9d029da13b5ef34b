/**
 * Kafka record formats and codecs, in WebAssembly: encode a partition's
 * records into a RecordBatch v2 or MessageSet v0/v1 ({@link encodeRecords}),
 * decode fetched record sets ({@link decodeRecords}), CRC-32/CRC-32C and the
 * gzip, snappy, lz4 and zstd codecs ({@link compress}, {@link decompress}).
 *
 * The WebAssembly module is embedded in the package and instantiated
 * synchronously on first use; it needs no permissions.
 *
 * @example
 * ```ts
 * import { CompressionType, decodeRecords, encodeRecords } from "./mod.ts";
 * const bytes = encodeRecords({
 *   compression: CompressionType.LZ4,
 *   records: [{ key: null, value: new TextEncoder().encode("hello") }],
 * });
 * console.assert(decodeRecords(bytes).records[0].value?.length === 5);
 * ```
 *
 * @module
 */
export { CompressionType } from "./compression_type.ts";
export { TimestampType } from "./timestamp_type.ts";
export { crc32, crc32c } from "./crc.ts";
export {
  compress,
  type CompressOptions,
  decompress,
  type DecompressOptions,
} from "./compression.ts";
export {
  encodeRecords,
  type EncodeRecordsInput,
  type RecordInput,
} from "./encode_records.ts";
export {
  type DecodedMessages,
  type DecodedRecord,
  type DecodedRecords,
  decodeMessages,
  type DecodeMessagesOptions,
  decodeRecords,
  type DecodeRecordsOptions,
  type RecordBatchInfo,
} from "./decode_records.ts";
export { Message, type MessageInit } from "./message.ts";
export {
  RecordStaging,
  rewriteProducerState,
  type StagedEncodeOptions,
  type StagedHeaders,
} from "./record_staging.ts";
export { DecompressionBudget } from "./decompression_budget.ts";
