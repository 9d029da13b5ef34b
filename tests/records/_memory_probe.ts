// Run by memory_test.ts in its own process (`--v8-flags=--expose-gc`), so
// that the resident set size measures this library alone: decodes ordinary
// batches, then one record batch that decompresses to far more than usual,
// then ordinary batches again, and prints the RSS and WebAssembly memory
// size at each step as one JSON line.
import {
  CompressionType,
  decodeRecords,
  encodeRecords,
} from "../../src/records/mod.ts";
import {
  RELEASE_ABOVE_BYTES,
  wasmMemoryBytes,
  wasmReleases,
} from "../../src/records/_wasm.ts";

const MiB = 2 ** 20;
const bigMiB = Number(Deno.args[0] ?? 256);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --v8-flags=--expose-gc");

async function settle(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc!();
    await new Promise((r) => setTimeout(r, 50));
  }
  return Deno.memoryUsage().rss;
}

const ordinary = encodeRecords({
  baseOffset: 0,
  compression: CompressionType.LZ4,
  records: Array.from({ length: 500 }, (_, i) => ({
    key: null,
    value: new Uint8Array(1000).fill(i & 0xff),
  })),
});
function decodeOrdinary(): void {
  for (let i = 0; i < 50; i++) {
    if (decodeRecords(ordinary).records.length !== 500) throw new Error("bad");
  }
}

decodeOrdinary();
const before = await settle();
const wasmBefore = wasmMemoryBytes();

// One record of bigMiB zero bytes, zstd: a few KiB on the wire. (Work is
// done in functions: a block of this module's top level would keep its
// values alive across the awaits.)
function bigBatch(): Uint8Array {
  return encodeRecords({
    baseOffset: 500,
    compression: CompressionType.ZSTD,
    records: [{ key: null, value: new Uint8Array(bigMiB * MiB) }],
  });
}
function decodeBig(big: Uint8Array): number {
  const { records } = decodeRecords(big, {
    maxDecompressedBytes: (bigMiB + 16) * MiB,
  });
  if (records[0].value!.length !== bigMiB * MiB) throw new Error("bad big");
  return Deno.memoryUsage().rss;
}
const big = bigBatch();
await settle();
const releasesBefore = wasmReleases();
const peak = decodeBig(big);
const released = wasmReleases() - releasesBefore;
decodeOrdinary();
const after = await settle();
console.log(JSON.stringify({
  bigMiB,
  compressedBytes: big.length,
  thresholdMiB: RELEASE_ABOVE_BYTES / MiB,
  beforeMiB: before / MiB,
  peakMiB: peak / MiB,
  afterMiB: after / MiB,
  wasmBeforeMiB: wasmBefore / MiB,
  wasmAfterMiB: wasmMemoryBytes() / MiB,
  released,
}));
