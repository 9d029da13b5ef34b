import { constants as bufferConstants } from "node:buffer";
import { gunzipSync, gzipSync } from "node:zlib";
import type { CompressionType } from "./compression_type.ts";
import { type WasmFailure, withWasm } from "./_wasm.ts";
import {
  callLimit,
  checkCompressionType,
  checkLimit,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  failureToError,
} from "./_util.ts";
import { CodecMemoryError, CorruptRecordError } from "../errors/mod.ts";
import type { DecompressionBudget } from "./decompression_budget.ts";

/** Options of {@link compress}. */
export interface CompressOptions {
  /**
   * Compression level: gzip 1-9 (default 6), zstd 1-22 (default 3; levels
   * above 15 use the level-15 strategy in this build). Ignored by snappy and
   * lz4. 0 or `undefined` means the codec's default.
   */
  level?: number;
  /**
   * LZ4 only: write the header checksum of Kafka 0.8/0.9 (KIP-57), which is
   * what MessageSet v0 readers expect. Default `false`.
   */
  lz4Legacy?: boolean;
  /**
   * Snappy only: `"xerial"` (default) writes snappy-java's framing, as the
   * Java client does; `"raw"` writes one raw snappy block, as librdkafka does.
   * Kafka readers accept both.
   */
  snappyFraming?: "xerial" | "raw";
}

/** Options of {@link decompress}. */
export interface DecompressOptions {
  /** Fail instead of producing more than this many bytes (default 64 MiB). */
  maxDecompressedBytes?: number;
  /**
   * A budget shared with other calls (see {@linkcode DecompressionBudget}):
   * produce at most what is left of it, and take what was produced off.
   */
  decompressionBudget?: DecompressionBudget;
}

/** The largest buffer `node:zlib` may be asked for. */
const MAX_BUFFER = bufferConstants.MAX_LENGTH;

function copy(data: Uint8Array): Uint8Array {
  return new Uint8Array(data);
}

function asU8(b: Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * Compresses bytes the way Kafka record sets are compressed: gzip (the
 * runtime's native zlib), snappy (xerial framing), LZ4 (Kafka's frame),
 * zstd (one frame with the content size).
 *
 * @param codec the codec (`CompressionType.NONE` returns a copy)
 * @param data the bytes to compress
 * @param options level and framing options
 * @returns the compressed bytes
 *
 * @example
 * ```ts
 * import { compress, CompressionType, decompress } from "./mod.ts";
 * const data = new TextEncoder().encode("hello hello hello hello");
 * const packed = compress(CompressionType.ZSTD, data);
 * console.assert(decompress(CompressionType.ZSTD, packed).length === data.length);
 * ```
 */
export function compress(
  codec: CompressionType,
  data: Uint8Array,
  options: CompressOptions = {},
): Uint8Array {
  checkCompressionType(codec, "codec");
  const level = options.level ?? 0;
  if (!Number.isInteger(level)) {
    throw new RangeError(
      `Cannot compress with level ${level}: expected an integer`,
    );
  }
  if (codec === 0) return copy(data);
  if (codec === 1) {
    return asU8(gzipSync(data, { level: level > 0 ? Math.min(level, 9) : 6 }));
  }
  const flags = (options.lz4Legacy ? 1 : 0) |
    (options.snappyFraming === "raw" ? 2 : 0);
  return withWasm((w) => {
    w.write(data);
    const n = w.exports.dk_compress(codec, data.length, level, flags);
    if (n < 0) throw failureToError(w.failure(), {});
    return w.output();
  });
}

/**
 * Decompresses bytes compressed with any of Kafka's codecs: gzip (also
 * concatenated members), snappy (raw or xerial-framed), LZ4 (frames from
 * every Kafka generation, including the KIP-57 header checksum), zstd.
 *
 * @param codec the codec the bytes were compressed with
 * @param data the compressed bytes
 * @param options the output bound (`maxDecompressedBytes`, default 64 MiB)
 *   and a shared `decompressionBudget`
 * @returns the decompressed bytes
 * @throws {CorruptRecordError} when the data is invalid or larger than the bound
 * @throws {DecompressionBudgetError} when it would exceed what is left of
 *   `decompressionBudget`
 * @throws {CodecMemoryError} when the memory to decompress it cannot be had
 *
 * @example
 * ```ts
 * import { compress, CompressionType, decompress } from "./mod.ts";
 * const packed = compress(CompressionType.SNAPPY, new Uint8Array(1000));
 * console.assert(decompress(CompressionType.SNAPPY, packed).length === 1000);
 * ```
 */
export function decompress(
  codec: CompressionType,
  data: Uint8Array,
  options: DecompressOptions = {},
): Uint8Array {
  checkCompressionType(codec, "codec");
  const budget = options.decompressionBudget;
  const given = checkLimit(
    options.maxDecompressedBytes,
    DEFAULT_MAX_DECOMPRESSED_BYTES,
    "maxDecompressedBytes",
  );
  const limit = callLimit(given, budget);
  const fail = (f: WasmFailure) => failureToError(f, {}, given, budget);
  let out: Uint8Array;
  if (codec === 0) {
    if (data.length > limit) throw fail(tooLarge());
    out = copy(data);
  } else if (codec === 1) {
    try {
      out = asU8(
        gunzipSync(data, {
          maxOutputLength: Math.min(Math.max(1, limit), MAX_BUFFER),
        }),
      );
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === "ERR_BUFFER_TOO_LARGE") throw fail(tooLarge());
      if (err instanceof RangeError) {
        throw new CodecMemoryError(
          `Cannot decompress gzip data: ${err.message}`,
          { cause: err },
        );
      }
      throw new CorruptRecordError(
        `Cannot decompress gzip data: ${(err as Error).message}`,
        { cause: err },
      );
    }
  } else {
    out = withWasm((w) => {
      w.write(data);
      const n = w.exports.dk_decompress(codec, data.length, limit);
      if (n < 0) throw fail(w.failure());
      return w.output();
    });
  }
  budget?.spend(out.length);
  return out;
}

function tooLarge() {
  return {
    kind: 3,
    message: "",
    offset: -1,
    position: -1,
    stored: 0,
    computed: 0,
  };
}
