import { withWasm } from "./_wasm.ts";

/**
 * CRC-32C (Castagnoli), the checksum of RecordBatch v2, computed in
 * WebAssembly (slice-by-16).
 *
 * @param data the bytes to checksum
 * @returns the checksum as an unsigned 32-bit number
 *
 * @example
 * ```ts
 * import { crc32c } from "./mod.ts";
 * console.assert(crc32c(new TextEncoder().encode("123456789")) === 0xe3069283);
 * ```
 */
export function crc32c(data: Uint8Array): number {
  return withWasm((w) => {
    w.write(data);
    return w.exports.dk_crc32c(data.length) >>> 0;
  });
}

/**
 * CRC-32 (IEEE 802.3, `java.util.zip.CRC32`), the checksum of MessageSet
 * v0/v1, computed in WebAssembly (slice-by-16).
 *
 * @param data the bytes to checksum
 * @returns the checksum as an unsigned 32-bit number
 *
 * @example
 * ```ts
 * import { crc32 } from "./mod.ts";
 * console.assert(crc32(new TextEncoder().encode("123456789")) === 0xcbf43926);
 * ```
 */
export function crc32(data: Uint8Array): number {
  return withWasm((w) => {
    w.write(data);
    return w.exports.dk_crc32(data.length) >>> 0;
  });
}
