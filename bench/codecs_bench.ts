// Codec throughput: denokafka's WebAssembly codecs beside JavaScript/WASM peers
// and the runtime's native zlib. Groups per codec, operation and input
// (1 KiB, 16 KiB, 1 MiB of compressible text and of random bytes).
//
//   deno bench -A bench/codecs_bench.ts
//   deno bench -A --json bench/codecs_bench.ts > out.json && deno run -A bench/_bench_table.ts out.json
import { Buffer } from "node:buffer";
import * as zlib from "node:zlib";
import lz4js from "npm:lz4js@0.2.0";
import snappyjs from "npm:snappyjs@0.7.0";
import * as fzstd from "npm:fzstd@0.1.1";
import {
  compress as bkCompress,
  decompress as bkDecompress,
  init as bkInit,
} from "npm:@bokuweb/zstd-wasm@0.0.27";
import * as pwu from "npm:@platformatic/wasm-utils@0.2.1";
import kafkajsCrc32C from "npm:kafkajs@2.2.4/src/protocol/recordBatch/crc32C/crc32C.js";
import {
  compress,
  CompressionType,
  crc32c,
  decompress,
} from "../src/records/mod.ts";

await bkInit();

function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeText(n: number): Uint8Array {
  const rnd = mulberry32(0xc0ffee);
  const lines: string[] = [];
  let len = 0;
  for (let i = 0; len < n; i++) {
    const line = JSON.stringify({
      id: i,
      user: `user-${Math.floor(rnd() * 1000)}`,
      score: Math.floor(rnd() * 100000) / 100,
      tags: ["alpha", "beta", "gamma"].slice(0, 1 + Math.floor(rnd() * 3)),
    }) + "\n";
    lines.push(line);
    len += line.length;
  }
  return new TextEncoder().encode(lines.join("")).slice(0, n);
}

function makeRandom(n: number): Uint8Array {
  const rnd = mulberry32(0x5eed1234);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rnd() * 256);
  return out;
}

const MiB = 1 << 20;
const text = makeText(MiB);
const random = makeRandom(MiB);
const inputs: [string, Uint8Array][] = [
  ["text 1KiB", text.slice(0, 1024)],
  ["text 16KiB", text.slice(0, 16384)],
  ["text 1MiB", text],
  ["random 1KiB", random.slice(0, 1024)],
  ["random 16KiB", random.slice(0, 16384)],
  ["random 1MiB", random],
];

let sink = 0;
function use(x: { length: number }): void {
  sink += x.length;
}

function same(a: Uint8Array, b: Uint8Array, what: string): void {
  if (a.length !== b.length || !Buffer.from(a).equals(Buffer.from(b))) {
    throw new Error(`round trip failed: ${what}`);
  }
}

const zstdOpts = { params: { [zlib.constants.ZSTD_c_compressionLevel]: 3 } };

for (const [label, data] of inputs) {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.length);

  // CRC-32C
  const crcGroup = `crc32c ${label}`;
  Deno.bench({
    name: `denokafka crc32c ${label}`,
    group: crcGroup,
    baseline: true,
    fn: () => use([crc32c(data)]),
  });
  Deno.bench({
    name: `kafkajs crc32C ${label}`,
    group: crcGroup,
    fn: () => use([kafkajsCrc32C(buf)]),
  });
  Deno.bench({
    name: `@platformatic/wasm-utils crc32c ${label}`,
    group: crcGroup,
    fn: () => use([pwu.crc32c(buf)]),
  });
  if (label.startsWith("random")) continue; // compression below: text and random of each size

  for (
    const [kind, d] of [["text", data], [
      "random",
      label === "text 1KiB"
        ? random.slice(0, 1024)
        : label === "text 16KiB"
        ? random.slice(0, 16384)
        : random,
    ]] as const
  ) {
    const lab = label.replace("text", kind);
    const b = Buffer.from(d.buffer, d.byteOffset, d.length);

    // LZ4 (Kafka frames)
    const ours4 = compress(CompressionType.LZ4, d);
    const js4 = lz4js.compress(d) as Uint8Array;
    const pl4 = pwu.lz4Compress(b);
    same(decompress(CompressionType.LZ4, ours4), d, "lz4");
    same(decompress(CompressionType.LZ4, js4), d, "lz4js frame");
    same(new Uint8Array(lz4js.decompress(ours4)), d, "lz4js <- ours");
    same(new Uint8Array(pwu.lz4Decompress(pl4)), d, "platformatic lz4");
    let g = `lz4 compress ${lab}`;
    Deno.bench({
      name: `denokafka lz4 compress ${lab}`,
      group: g,
      baseline: true,
      fn: () => use(compress(CompressionType.LZ4, d)),
    });
    Deno.bench({
      name: `lz4js compress ${lab}`,
      group: g,
      fn: () => use(lz4js.compress(d)),
    });
    Deno.bench({
      name: `@platformatic/wasm-utils lz4Compress ${lab}`,
      group: g,
      fn: () => use(pwu.lz4Compress(b)),
    });
    g = `lz4 decompress ${lab}`;
    Deno.bench({
      name: `denokafka lz4 decompress ${lab}`,
      group: g,
      baseline: true,
      fn: () => use(decompress(CompressionType.LZ4, ours4)),
    });
    Deno.bench({
      name: `lz4js decompress ${lab}`,
      group: g,
      fn: () => use(lz4js.decompress(js4, d.length)),
    });
    Deno.bench({
      name: `@platformatic/wasm-utils lz4Decompress ${lab}`,
      group: g,
      fn: () => use(pwu.lz4Decompress(pl4)),
    });

    // Snappy (ours: xerial framing as Kafka's Java client writes; peers: raw blocks)
    const oursS = compress(CompressionType.SNAPPY, d);
    const jsS = snappyjs.compress(d) as Uint8Array;
    same(decompress(CompressionType.SNAPPY, oursS), d, "snappy");
    same(new Uint8Array(snappyjs.uncompress(jsS)), d, "snappyjs");
    g = `snappy compress ${lab}`;
    Deno.bench({
      name: `denokafka snappy compress ${lab}`,
      group: g,
      baseline: true,
      fn: () => use(compress(CompressionType.SNAPPY, d)),
    });
    Deno.bench({
      name: `snappyjs compress ${lab}`,
      group: g,
      fn: () => use(snappyjs.compress(d)),
    });
    Deno.bench({
      name: `@platformatic/wasm-utils snappyCompress ${lab}`,
      group: g,
      fn: () => use(pwu.snappyCompress(b)),
    });
    g = `snappy decompress ${lab}`;
    Deno.bench({
      name: `denokafka snappy decompress ${lab}`,
      group: g,
      baseline: true,
      fn: () => use(decompress(CompressionType.SNAPPY, oursS)),
    });
    Deno.bench({
      name: `snappyjs uncompress ${lab}`,
      group: g,
      fn: () => use(snappyjs.uncompress(jsS)),
    });
    Deno.bench({
      name: `@platformatic/wasm-utils snappyDecompress ${lab}`,
      group: g,
      fn: () => use(pwu.snappyDecompress(Buffer.from(jsS))),
    });

    // zstd, level 3
    const oursZ = compress(CompressionType.ZSTD, d);
    const nodeZ = zlib.zstdCompressSync(b, zstdOpts);
    same(decompress(CompressionType.ZSTD, nodeZ), d, "zstd <- node");
    same(fzstd.decompress(oursZ), d, "fzstd <- ours");
    g = `zstd compress ${lab}`;
    Deno.bench({
      name: `denokafka zstd compress L3 ${lab}`,
      group: g,
      baseline: true,
      fn: () => use(compress(CompressionType.ZSTD, d)),
    });
    Deno.bench({
      name: `@bokuweb/zstd-wasm compress L3 ${lab}`,
      group: g,
      fn: () => use(bkCompress(d, 3)),
    });
    Deno.bench({
      name: `node:zlib zstdCompressSync L3 (native) ${lab}`,
      group: g,
      fn: () => use(zlib.zstdCompressSync(b, zstdOpts)),
    });
    g = `zstd decompress ${lab}`;
    Deno.bench({
      name: `denokafka zstd decompress ${lab}`,
      group: g,
      baseline: true,
      fn: () => use(decompress(CompressionType.ZSTD, oursZ)),
    });
    Deno.bench({
      name: `@bokuweb/zstd-wasm decompress ${lab}`,
      group: g,
      fn: () => use(bkDecompress(oursZ)),
    });
    Deno.bench({
      name: `fzstd decompress ${lab}`,
      group: g,
      fn: () => use(fzstd.decompress(oursZ)),
    });
    Deno.bench({
      name: `node:zlib zstdDecompressSync (native) ${lab}`,
      group: g,
      fn: () => use(zlib.zstdDecompressSync(nodeZ)),
    });

    // gzip: denokafka uses the runtime's native zlib (measured faster than a
    // WebAssembly zlib, see wasm/README.md), so the reference here is node:zlib
    // called directly: the gap is denokafka's call overhead. (Web
    // Compression/DecompressionStream are left out: they are asynchronous,
    // slower, and their benches grew memory without bound in Deno 2.9.)
    const oursG = compress(CompressionType.GZIP, d);
    same(decompress(CompressionType.GZIP, oursG), d, "gzip");
    g = `gzip compress ${lab}`;
    Deno.bench({
      name: `denokafka gzip compress ${lab}`,
      group: g,
      baseline: true,
      fn: () => use(compress(CompressionType.GZIP, d)),
    });
    Deno.bench({
      name: `node:zlib gzipSync (native) ${lab}`,
      group: g,
      fn: () => use(zlib.gzipSync(b)),
    });
    g = `gzip decompress ${lab}`;
    Deno.bench({
      name: `denokafka gzip decompress ${lab}`,
      group: g,
      baseline: true,
      fn: () => use(decompress(CompressionType.GZIP, oursG)),
    });
    Deno.bench({
      name: `node:zlib gunzipSync (native) ${lab}`,
      group: g,
      fn: () => use(zlib.gunzipSync(oursG)),
    });
  }
}

globalThis.addEventListener("unload", () => {
  if (sink < 0) console.log(sink);
});
