// Memory bounds of the record codecs (issue 17): a decompression budget per
// fetch response as well as the per-call `maxDecompressedBytes`; running out
// of memory is a `CodecMemoryError` (a KafkaError), never a bare RangeError;
// and after a batch far above the usual size the WebAssembly memory goes
// back to the system, measured as the resident set size of a process of its
// own (tests/records/_memory_probe.ts).
import assert from "node:assert/strict";
import {
  CodecMemoryError,
  compress,
  CompressionType,
  CorruptRecordError,
  decodeMessages,
  decodeRecords,
  decompress,
  DecompressionBudget,
  DecompressionBudgetError,
  encodeRecords,
  KafkaError,
} from "../../mod.ts";
import {
  ERR,
  RELEASE_ABOVE_BYTES,
  wasmMemoryBytes,
  withWasm,
} from "../../src/records/_wasm.ts";
import { failureToError } from "../../src/records/_util.ts";

const MiB = 2 ** 20;

/** One record of `bytes` bytes of one value, compressed with `codec`. */
function batch(
  bytes: number,
  codec: CompressionType,
  baseOffset = 0,
): Uint8Array {
  return encodeRecords({
    baseOffset,
    compression: codec,
    records: [{ key: null, value: new Uint8Array(bytes).fill(7) }],
  });
}

const CODECS = [
  CompressionType.GZIP,
  CompressionType.SNAPPY,
  CompressionType.LZ4,
  CompressionType.ZSTD,
];

Deno.test("memory: one DecompressionBudget bounds the decode calls of a response together", () => {
  for (const codec of CODECS) {
    // Five partitions of 1 MiB each (decompressed), a budget of 2.5 MiB.
    const parts = Array.from({ length: 5 }, (_, i) => batch(MiB, codec, i));
    const budget = new DecompressionBudget(2.5 * MiB);
    const decoded: number[] = [];
    let refused: unknown;
    for (const [i, bytes] of parts.entries()) {
      try {
        const { messages } = decodeMessages(bytes, {
          topic: "t",
          partition: i,
          decompressionBudget: budget,
        });
        decoded.push(messages.length);
      } catch (e) {
        refused = e;
        break;
      }
    }
    assert.deepEqual(decoded, [1, 1], `codec ${codec}`);
    assert.ok(refused instanceof DecompressionBudgetError, String(refused));
    assert.ok(refused instanceof KafkaError && refused.retriable);
    assert.equal(refused.budget, 2.5 * MiB);
    // The failed call took nothing off; each batch cost its 1 MiB value
    // plus the record framing.
    assert.equal(refused.remaining, budget.remaining);
    assert.ok(
      budget.used > 2 * MiB && budget.used < 2 * MiB + 100,
      `${budget.used}`,
    );
    // A fresh budget takes the same record set.
    assert.equal(
      decodeRecords(parts[2], {
        decompressionBudget: new DecompressionBudget(2.5 * MiB),
      }).records.length,
      1,
    );
  }
});

Deno.test("memory: the per-call limit still applies under a larger budget, and uncompressed data costs nothing", () => {
  const budget = new DecompressionBudget(100 * MiB);
  assert.throws(
    () =>
      decodeRecords(batch(2 * MiB, CompressionType.LZ4), {
        maxDecompressedBytes: MiB,
        decompressionBudget: budget,
      }),
    (e) =>
      e instanceof CorruptRecordError && /maxDecompressedBytes/.test(e.message),
  );
  decodeRecords(batch(2 * MiB, CompressionType.NONE), {
    decompressionBudget: budget,
  });
  assert.equal(budget.used, 0);
  // decompress() takes the budget too.
  const packed = compress(CompressionType.ZSTD, new Uint8Array(3 * MiB));
  decompress(CompressionType.ZSTD, packed, { decompressionBudget: budget });
  assert.equal(budget.used, 3 * MiB);
  const small = new DecompressionBudget(MiB);
  assert.throws(
    () =>
      decompress(
        CompressionType.GZIP,
        compress(CompressionType.GZIP, new Uint8Array(2 * MiB)),
        {
          decompressionBudget: small,
        },
      ),
    DecompressionBudgetError,
  );
  assert.throws(() => new DecompressionBudget(-1), RangeError);
});

Deno.test("memory: running out of WebAssembly memory is a CodecMemoryError; the codec stays usable", () => {
  // Beyond the module's 2 GiB input limit (refused before allocating).
  assert.throws(
    () => withWasm((w) => w.reserve(2 ** 31)),
    (e) => e instanceof CodecMemoryError && !e.retriable,
  );
  // The module's own out-of-memory report (what a raised
  // maxDecompressedBytes gives when the heap cannot grow; reproducing it
  // needs gigabytes, see README "Reliability").
  const err = failureToError(
    {
      kind: ERR.OUT_OF_MEMORY,
      message: "cannot grow the WebAssembly heap",
      offset: -1,
      position: -1,
      stored: 0,
      computed: 0,
    },
    {},
    2 ** 40,
  );
  assert.ok(err instanceof CodecMemoryError, String(err));
  assert.match(err.message, /cannot grow the WebAssembly heap/);
  const ok = batch(1000, CompressionType.SNAPPY);
  assert.equal(decodeRecords(ok).records.length, 1);
});

Deno.test("memory: after a batch far above the usual size the WebAssembly memory is given back (RSS)", async () => {
  const bigMiB = 160;
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--v8-flags=--expose-gc",
      new URL("./_memory_probe.ts", import.meta.url).pathname,
      String(bigMiB),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  const r = JSON.parse(new TextDecoder().decode(out.stdout).trim());
  console.log(
    `RSS ${r.beforeMiB.toFixed(0)} MiB before, ${
      r.peakMiB.toFixed(0)
    } MiB with the ${bigMiB} MiB batch decoded, ${
      r.afterMiB.toFixed(0)
    } MiB after; WebAssembly memory ${r.wasmBeforeMiB.toFixed(1)} -> ${
      r.wasmAfterMiB.toFixed(1)
    } MiB`,
  );
  // The measurement means something: the big batch did raise the RSS.
  assert.ok(r.peakMiB - r.beforeMiB > bigMiB, JSON.stringify(r));
  // The instance was dropped and its memory returned.
  assert.equal(r.released, 1, JSON.stringify(r));
  assert.ok(r.wasmAfterMiB * MiB < RELEASE_ABOVE_BYTES, JSON.stringify(r));
  assert.ok(r.afterMiB - r.beforeMiB < bigMiB / 4, JSON.stringify(r));
  // In this process too: ordinary work keeps the memory small.
  decodeRecords(batch(100_000, CompressionType.LZ4));
  assert.ok(wasmMemoryBytes() < RELEASE_ABOVE_BYTES);
});
