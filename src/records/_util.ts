// Internal helpers shared by the record and codec functions.
import {
  CodecMemoryError,
  CorruptRecordError,
  type CorruptRecordLocation,
  DecompressionBudgetError,
  UnsupportedCompressionType,
} from "../errors/mod.ts";
import type { CompressionType } from "./compression_type.ts";
import { ERR, type WasmFailure } from "./_wasm.ts";

/** The default bound on decompressed bytes per call (64 MiB). */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

/** Throws a `RangeError` unless `value` is a {@link CompressionType}. */
export function checkCompressionType(
  value: unknown,
  what = "compression",
): CompressionType {
  if (value === 0 || value === 1 || value === 2 || value === 3 || value === 4) {
    return value;
  }
  throw new RangeError(
    `Cannot use ${what} ${
      JSON.stringify(value)
    }: expected a CompressionType (0-4)`,
  );
}

/** Throws a `RangeError` unless `value` is a positive safe integer (or undefined). */
export function checkLimit(
  value: number | undefined,
  fallback: number,
  what: string,
): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(
      `Cannot use ${what} ${value}: expected a non-negative safe integer`,
    );
  }
  return value;
}

function hex(n: number): string {
  return "0x" + n.toString(16).padStart(8, "0");
}

/** A shared decompression budget, as the decoders see it. */
export interface Budget {
  readonly limit: number;
  readonly remaining: number;
  spend(bytes: number): void;
}

/**
 * The bound of one decode call: `limit`, or what is left of `budget` when
 * that is less.
 */
export function callLimit(limit: number, budget: Budget | undefined): number {
  return budget === undefined ? limit : Math.min(limit, budget.remaining);
}

/**
 * Turns a failed module call into the library's error. With a `budget`
 * that bound the call (less left than `limit`), running out is a
 * `DecompressionBudgetError`.
 */
export function failureToError(
  f: WasmFailure,
  where: CorruptRecordLocation,
  limit?: number,
  budget?: Budget,
): Error {
  if (
    f.kind === ERR.TOO_LARGE && budget !== undefined && limit !== undefined &&
    budget.remaining < limit
  ) {
    return new DecompressionBudgetError(budget.limit, budget.remaining);
  }
  const loc: CorruptRecordLocation = {
    ...where,
    offset: f.offset >= 0 ? f.offset : where.offset,
  };
  const at = f.position >= 0 ? ` at byte ${f.position}` : "";
  switch (f.kind) {
    case ERR.CRC_MISMATCH:
      return new CorruptRecordError(
        `Cannot decode records${at}: ${f.message} (stored ${
          hex(f.stored)
        }, computed ${hex(f.computed)})`,
        loc,
      );
    case ERR.TOO_LARGE:
      return new CorruptRecordError(
        `Cannot decompress records${at}: decompressed data exceeds maxDecompressedBytes (${limit} bytes); raise the limit if the data is legitimate`,
        loc,
      );
    case ERR.UNSUPPORTED_CODEC: {
      const parts = [
        loc.topic && `topic ${loc.topic}`,
        loc.partition !== undefined && `partition ${loc.partition}`,
        loc.offset !== undefined && `offset ${loc.offset}`,
      ].filter(Boolean);
      return new UnsupportedCompressionType(
        `Cannot handle records${at}: ${f.message}${
          parts.length ? ` (${parts.join(", ")})` : ""
        }`,
      );
    }
    case ERR.OUT_OF_MEMORY:
      return new CodecMemoryError(
        `Cannot process records${
          limit !== undefined ? ` (maxDecompressedBytes ${limit})` : ""
        }: ${f.message}`,
      );
    case ERR.INVALID_ARGUMENT:
      return new RangeError(`Cannot encode records: ${f.message}`);
    default:
      return new CorruptRecordError(
        `Cannot decode records${at}: ${f.message}`,
        loc,
      );
  }
}
