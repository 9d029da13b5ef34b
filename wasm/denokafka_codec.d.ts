// Types of the generated loader `denokafka_codec.generated.js` (hand-written;
// the generated file points here with `@ts-self-types`).

/** sha256 of the Rust sources, Cargo.lock and build settings the module was built from. */
export const SOURCE_HASH: string;
/** sha256 of the embedded WebAssembly module. */
export const WASM_SHA256: string;
/** The WebAssembly module's bytes (decoded from base64 once). */
export function wasmBytes(): Uint8Array;
/** The compiled module, compiled synchronously on first use and cached. */
export function wasmModule(): WebAssembly.Module;

/** The module's exports (plain C ABI, see `wasm/src/lib.rs`). */
export interface CodecExports {
  readonly memory: WebAssembly.Memory;
  dk_result_ptr(): number;
  dk_input_reserve(len: number): number;
  dk_crc32(len: number): number;
  dk_crc32c(len: number): number;
  dk_compress(codec: number, len: number, level: number, flags: number): number;
  dk_decompress(codec: number, len: number, limit: number): number;
  dk_encode(
    n: number,
    h: number,
    bytesLen: number,
    magic: number,
    codec: number,
    level: number,
    flags: number,
    baseOffset: number,
    producerId: number,
    producerEpoch: number,
    baseSequence: number,
    transactional: number,
  ): number;
  dk_decode(
    len: number,
    flags: number,
    maxDecompressed: number,
    minOffset: number,
  ): number;
  dk_release(keep: number): void;
}
