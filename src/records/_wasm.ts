// Internal: loads the WebAssembly codec module synchronously (embedded as
// base64 in wasm/denokafka_codec.generated.js) and manages its memory.
import {
  type CodecExports,
  wasmModule,
} from "../../wasm/denokafka_codec.generated.js";
import { ERR, SLOT } from "../../wasm/denokafka_codec_constants.generated.ts";
import { CodecMemoryError, KafkaError } from "../errors/mod.ts";
import { gunzipSync, gzipSync } from "node:zlib";

// The result slot indices (`SLOT`, module `slot` in wasm/src/lib.rs) and
// error kinds (`ERR`, `ErrorKind` in wasm/src/error.rs) are generated from
// the Rust sources by `deno task wasm:build` (checked by `wasm:check`).
export { ERR, SLOT };

/** Details of a failed call, read from the result slots. */
export interface WasmFailure {
  kind: number;
  message: string;
  offset: number;
  position: number;
  stored: number;
  computed: number;
}

/** The instance plus cached views that are re-derived when memory grows. */
export class Wasm {
  readonly exports: CodecExports;
  #buffer: ArrayBuffer | undefined;
  #u8!: Uint8Array;
  #result!: Float64Array;
  readonly #resultPtr: number;

  constructor(exports: CodecExports) {
    this.exports = exports;
    this.#resultPtr = exports.dk_result_ptr();
  }

  /** A byte view of the whole memory (valid until the next call into the module). */
  get u8(): Uint8Array {
    this.#refresh();
    return this.#u8;
  }

  /** The result slots (valid until the next call into the module). */
  get result(): Float64Array {
    this.#refresh();
    return this.#result;
  }

  get buffer(): ArrayBuffer {
    this.#refresh();
    return this.#buffer!;
  }

  #refresh(): void {
    const buf = this.exports.memory.buffer as ArrayBuffer;
    if (buf !== this.#buffer) {
      this.#buffer = buf;
      this.#u8 = new Uint8Array(buf);
      this.#result = new Float64Array(buf, this.#resultPtr, SLOT.COUNT);
    }
  }

  /** Makes the input arena at least `len` bytes long and returns its address. */
  reserve(len: number): number {
    if (len > 0x7fff_ffff) {
      throw new CodecMemoryError(
        `Cannot reserve ${len} bytes in WebAssembly memory: the limit is 2 GiB`,
      );
    }
    const ptr = this.exports.dk_input_reserve(len);
    if (ptr === 0) {
      throw new CodecMemoryError(
        `Cannot reserve ${len} bytes in WebAssembly memory: out of memory`,
      );
    }
    return ptr;
  }

  /** Copies `bytes` into the input arena. */
  write(bytes: Uint8Array): void {
    const ptr = this.reserve(bytes.length);
    this.u8.set(bytes, ptr);
  }

  /** A copy of the output slots `OUT_PTR`/`OUT_LEN`. */
  output(): Uint8Array {
    const r = this.result;
    const ptr = r[SLOT.OUT_PTR];
    return this.u8.slice(ptr, ptr + r[SLOT.OUT_LEN]);
  }

  failure(): WasmFailure {
    const r = this.result;
    const msgPtr = r[SLOT.ERR_MSG_PTR];
    const message = new TextDecoder().decode(
      this.u8.subarray(msgPtr, msgPtr + r[SLOT.ERR_MSG_LEN]),
    );
    return {
      kind: r[SLOT.ERR_KIND],
      message,
      offset: r[SLOT.ERR_OFFSET],
      position: r[SLOT.ERR_POSITION],
      stored: r[SLOT.ERR_STORED],
      computed: r[SLOT.ERR_COMPUTED],
    };
  }
}

let current: Wasm | undefined;

/**
 * gzip through the runtime's native zlib (`node:zlib`, in Deno, Node and
 * Bun): measured faster than the module's own zlib-rs build, so the module
 * calls back here for gzip (see `wasm/src/gzip.rs` and `wasm/README.md`).
 */
function nativeGzipImports(memory: () => WebAssembly.Memory) {
  let pending: Uint8Array | undefined;
  return {
    gzip(op: number, ptr: number, len: number, arg: number): number {
      const src = new Uint8Array(memory().buffer, ptr, len);
      try {
        pending = op === 0
          ? gzipSync(src, { level: arg })
          : gunzipSync(src, { maxOutputLength: Math.max(1, arg) });
      } catch (err) {
        pending = undefined;
        return (err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE"
          ? -2
          : -3;
      }
      return pending.length;
    },
    gzip_take(dst: number): void {
      if (pending !== undefined) {
        new Uint8Array(memory().buffer).set(pending, dst);
      }
      pending = undefined;
    },
  };
}

/** The codec instance, created synchronously on first use. */
export function wasm(): Wasm {
  if (current === undefined) {
    const ref: { memory?: WebAssembly.Memory } = {};
    const instance = new WebAssembly.Instance(wasmModule(), {
      denokafka: nativeGzipImports(() => ref.memory!),
    });
    const exports = instance.exports as unknown as CodecExports;
    ref.memory = exports.memory;
    current = new Wasm(exports);
  }
  return current;
}

/**
 * Above this many bytes of WebAssembly memory, the instance is dropped once
 * the call that grew it returns (a WebAssembly memory never shrinks): the
 * next call starts from a fresh, small instance and the old memory goes
 * back to the system when the garbage collector frees it. Ordinary record
 * sets (a few MiB) keep the memory far below; a batch at the default
 * `maxDecompressedBytes` (64 MiB) or above grows it past this.
 */
export const RELEASE_ABOVE_BYTES = 64 * 1024 * 1024;

/** Instances dropped for their size so far (for tests). */
let released = 0;

/** The current instance's memory size in bytes, 0 when there is none (for tests). */
export function wasmMemoryBytes(): number {
  return current?.exports.memory.buffer.byteLength ?? 0;
}

/** How many instances were dropped for their size (for tests). */
export function wasmReleases(): number {
  return released;
}

/** JavaScript's own allocation failures, while copying results out. */
const ALLOCATION =
  /allocation failed|invalid array buffer length|invalid typed array length|array buffer allocation/i;

/**
 * Runs `fn` against the instance. A trap (which the module is written never
 * to hit) discards the instance, so the next call starts from a fresh one;
 * so does a memory grown past {@linkcode RELEASE_ABOVE_BYTES}. Running out
 * of memory is a `CodecMemoryError`.
 */
export function withWasm<T>(fn: (w: Wasm) => T): T {
  const w = wasm();
  try {
    return fn(w);
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) {
      current = undefined;
      throw new KafkaError(`The WebAssembly codec trapped: ${err.message}`, {
        cause: err,
      });
    }
    if (err instanceof RangeError && ALLOCATION.test(err.message)) {
      throw new CodecMemoryError(
        `Cannot hold the records in memory: ${err.message}`,
        { cause: err },
      );
    }
    throw err;
  } finally {
    if (
      current === w &&
      w.exports.memory.buffer.byteLength > RELEASE_ABOVE_BYTES
    ) {
      current = undefined;
      released++;
    }
  }
}
