import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { gunzipSync, gzipSync } from "node:zlib";
import fc from "npm:fast-check@4.10.2";
import lz4js from "npm:lz4js@0.2.0";
import snappyjs from "npm:snappyjs@0.7.0";
import * as fzstd from "npm:fzstd@0.1.1";
import { compress, CompressionType, crc32, crc32c, decompress } from "./mod.ts";
import { CorruptRecordError } from "../errors/mod.ts";

const text = new TextEncoder().encode(
  Array.from({ length: 4000 }, (_, i) => `{"id":${i},"name":"user-${i % 97}"}`)
    .join("\n"),
);

function eq(a: Uint8Array, b: Uint8Array): void {
  assert.equal(a.length, b.length);
  assert.ok(Buffer.from(a).equals(Buffer.from(b)));
}

Deno.test("crc32/crc32c check values and agreement with node:zlib", async () => {
  const nine = new TextEncoder().encode("123456789");
  assert.equal(crc32c(nine), 0xe3069283);
  assert.equal(crc32(nine), 0xcbf43926);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(0)), 0);
  const zlib = await import("node:zlib");
  if (typeof zlib.crc32 === "function") {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        (b) => crc32(b) === zlib.crc32(b),
      ),
    );
  }
});

Deno.test("compress/decompress round-trip every codec and option (property)", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 70000 }),
      fc.constantFrom(0, 1, 2, 3, 4),
      fc.boolean(),
      (data, codec, alt) => {
        const c = compress(codec as CompressionType, data, {
          lz4Legacy: alt,
          snappyFraming: alt ? "raw" : "xerial",
          level: alt ? 1 : undefined,
        });
        eq(decompress(codec as CompressionType, c), data);
      },
    ),
    { numRuns: 150 },
  );
});

Deno.test("codec output is read by other implementations, and theirs by ours", () => {
  // gzip: node:zlib both ways
  eq(gunzipSync(compress(CompressionType.GZIP, text)), text);
  eq(decompress(CompressionType.GZIP, gzipSync(text)), text);
  // concatenated gzip members
  eq(
    decompress(
      CompressionType.GZIP,
      new Uint8Array([...gzipSync(text), ...gzipSync(text)]),
    ),
    new Uint8Array([...text, ...text]),
  );
  // snappy: raw is what snappyjs speaks; xerial is read back too
  const raw = compress(CompressionType.SNAPPY, text, { snappyFraming: "raw" });
  eq(new Uint8Array(snappyjs.uncompress(raw)), text);
  eq(decompress(CompressionType.SNAPPY, snappyjs.compress(text)), text);
  const xerial = compress(CompressionType.SNAPPY, text);
  assert.deepEqual(Array.from(xerial.subarray(0, 16)), [
    0x82,
    0x53,
    0x4e,
    0x41,
    0x50,
    0x50,
    0x59,
    0,
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    1,
  ]);
  // LZ4 frames: lz4js reads ours (correct header checksum) and we read lz4js's
  const lz4 = compress(CompressionType.LZ4, text);
  assert.deepEqual(Array.from(lz4.subarray(0, 7)), [
    0x04,
    0x22,
    0x4d,
    0x18,
    0x60,
    0x40,
    0x82,
  ]);
  eq(new Uint8Array(lz4js.decompress(lz4)), text);
  eq(decompress(CompressionType.LZ4, lz4js.compress(text)), text);
  // KIP-57: the magic-0 frame has a different header checksum; we read both
  const legacy = compress(CompressionType.LZ4, text, { lz4Legacy: true });
  assert.notEqual(legacy[6], lz4[6]);
  eq(decompress(CompressionType.LZ4, legacy), text);
  // zstd: fzstd reads our frames
  const z = compress(CompressionType.ZSTD, text);
  eq(fzstd.decompress(z), text);
  assert.ok(z.length < compress(CompressionType.LZ4, text).length);
});

Deno.test("decompress rejects garbage and oversized output", () => {
  for (const codec of [1, 2, 3, 4] as const) {
    assert.throws(
      () =>
        decompress(
          codec,
          new TextEncoder().encode("definitely not compressed data"),
        ),
      CorruptRecordError,
    );
    const big = compress(codec, new Uint8Array(4 << 20));
    assert.throws(
      () => decompress(codec, big, { maxDecompressedBytes: 1 << 20 }),
      /exceeds maxDecompressedBytes/,
    );
  }
  assert.throws(
    () => decompress(9 as CompressionType, new Uint8Array(1)),
    RangeError,
  );
  assert.throws(
    () => decompress(0, new Uint8Array(10), { maxDecompressedBytes: 5 }),
    CorruptRecordError,
  );
});
