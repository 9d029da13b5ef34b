// The fuzz corpus: real response frames captured from the local cluster by
// tests/fuzz/capture.ts (committed in tests/fuzz/corpus/), plus valid
// responses of every API at every version encoded from random values of
// the code generator's model, plus record sets (from the captured Fetch
// responses, and encoded here in every format and codec).
import fc from "fast-check";
import {
  API_BY_KEY,
  type ApiMessage,
  Fetch,
  type FetchResponse,
  Reader,
  Writer,
} from "../../src/protocol/mod.ts";
import {
  decodeResponseHeader,
  responseHeaderVersion,
} from "../../src/protocol/header.ts";
import {
  compress,
  CompressionType,
  encodeRecords,
} from "../../src/records/mod.ts";
import { decodeBase64 } from "../../src/util/base64.ts";
import { apiCases, structArb } from "../protocol/_model.ts";

/** One file of tests/fuzz/corpus/. */
export interface CorpusFile {
  /** The API's name (`Metadata`). */
  api: string;
  /** Response frames (after the size prefix): correlation id, header, body. */
  frames: { version: number; frame: string }[];
}

/** The corpus file of an API: `Metadata` → `metadata.json`. */
export function corpusFileName(api: string): string {
  return `${api.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase()}.json`;
}

/** One seed input of a response decoder. */
export interface FrameSeed {
  version: number;
  frame: Uint8Array;
  /** `captured` from a broker, or `model` (encoded from random values). */
  from: "captured" | "model";
}

/** Seeds per API (every API the protocol module knows). */
export interface ApiSeeds {
  api: ApiMessage<unknown, unknown>;
  seeds: FrameSeed[];
}

const CORPUS_DIR = new URL("./corpus/", import.meta.url);

async function captured(api: string): Promise<FrameSeed[]> {
  try {
    const file = JSON.parse(
      await Deno.readTextFile(new URL(corpusFileName(api), CORPUS_DIR)),
    ) as CorpusFile;
    return file.frames.map((f) => ({
      version: f.version,
      frame: decodeBase64(f.frame),
      from: "captured" as const,
    }));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}

/** A response frame: correlation id, the response header's tags, the body. */
export function frameOf(
  api: ApiMessage<unknown, unknown>,
  version: number,
  body: Uint8Array,
): Uint8Array {
  const w = new Writer(body.length + 8);
  w.int32(12345);
  if (responseHeaderVersion(api, version) === 1) w.uvarint(0);
  w.raw(body);
  return w.finish().slice();
}

/** Decodes a response frame the way a connection does. */
export function decodeFrame(
  api: ApiMessage<unknown, unknown>,
  version: number,
  frame: Uint8Array,
): unknown {
  const r = new Reader(frame);
  decodeResponseHeader(r, responseHeaderVersion(api, version));
  return api.decodeResponse(r, version);
}

/**
 * The seeds of every API: the captured frames, and `perVersion` frames per
 * version encoded from random valid values (deterministic for `seed`).
 */
export async function apiSeeds(
  seed: number,
  perVersion = 2,
): Promise<ApiSeeds[]> {
  const out: ApiSeeds[] = [];
  for (const c of apiCases()) {
    const seeds = await captured(c.name);
    for (const v of c.response.universe) {
      const values = fc.sample(structArb(c.response.root, v), {
        numRuns: perVersion,
        seed: seed + c.api.apiKey * 1000 + v,
      });
      for (const m of values) {
        const w = new Writer(256);
        c.api.encodeResponse(w, v, m);
        seeds.push({
          version: v,
          frame: frameOf(c.api, v, w.finish().slice()),
          from: "model",
        });
      }
    }
    out.push({ api: c.api, seeds });
  }
  return out;
}

/** The APIs the client sends (their decoders must hold real responses). */
export const APIS_IN_USE: readonly string[] = [
  "ApiVersions",
  "Metadata",
  "Produce",
  "Fetch",
  "ListOffsets",
  "OffsetCommit",
  "OffsetFetch",
  "FindCoordinator",
  "ListGroups",
  "DescribeGroups",
  "DeleteGroups",
  "CreateTopics",
  "DeleteTopics",
  "CreatePartitions",
  "DescribeConfigs",
  "AlterConfigs",
  "InitProducerId",
  "SaslHandshake",
  "SaslAuthenticate",
];

/** Every API by name (for lookups). */
export function apiByName(name: string): ApiMessage<unknown, unknown> {
  for (const api of API_BY_KEY.values()) if (api.name === name) return api;
  throw new RangeError(`no API ${name}`);
}

const enc = new TextEncoder();

/** Record sets in every format and codec, encoded here. */
export function encodedRecordSets(): Uint8Array[] {
  const out: Uint8Array[] = [];
  const codecs = [
    CompressionType.NONE,
    CompressionType.GZIP,
    CompressionType.SNAPPY,
    CompressionType.LZ4,
    CompressionType.ZSTD,
  ];
  for (const magic of [0, 1, 2] as const) {
    for (const compression of codecs) {
      if (magic < 2 && compression === CompressionType.ZSTD) continue;
      for (const n of [1, 5]) {
        out.push(encodeRecords({
          baseOffset: 100 * n,
          magic,
          compression,
          timestamp: 1_700_000_000_000,
          records: Array.from({ length: n }, (_, i) => ({
            key: i % 2 ? null : enc.encode(`key-${i}`),
            value: i === 3 ? null : enc.encode(`value ${i} `.repeat(i + 1)),
            ...(magic === 2
              ? {
                headers: [["h", enc.encode(`${i}`)], ["e", null]] as [
                  string,
                  Uint8Array | null,
                ][],
              }
              : {}),
          })),
        }));
      }
    }
  }
  // Two batches back to back, the second truncated.
  const two = encodeRecords({
    baseOffset: 7,
    compression: CompressionType.LZ4,
    records: [{ key: null, value: enc.encode("a") }],
  });
  const joined = new Uint8Array(two.length * 2 - 5);
  joined.set(two);
  joined.set(two.subarray(0, two.length - 5), two.length);
  out.push(joined);
  return out;
}

/** The record sets of the captured Fetch responses. */
export async function capturedRecordSets(): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const s of await captured("Fetch")) {
    let res: FetchResponse;
    try {
      res = decodeFrame(Fetch, s.version, s.frame) as FetchResponse;
    } catch {
      continue;
    }
    for (const t of res.responses) {
      for (const p of t.partitions) {
        if (p.records && p.records.length > 0) out.push(p.records.slice());
      }
    }
  }
  return out;
}

/** Inputs of `decompress` per codec: compressed texts of several shapes. */
export function compressedInputs(codec: CompressionType): Uint8Array[] {
  const texts = [
    new Uint8Array(0),
    enc.encode("a"),
    enc.encode("hello hello hello hello hello"),
    enc.encode(
      Array.from({ length: 300 }, (_, i) => `{"id":${i},"n":"u${i % 7}"}`)
        .join("\n"),
    ),
    new Uint8Array(70_000).fill(0x61),
    Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff),
  ];
  const out: Uint8Array[] = [];
  for (const t of texts) {
    out.push(compress(codec, t));
    if (codec === CompressionType.LZ4) {
      out.push(compress(codec, t, { lz4Legacy: true }));
    }
    if (codec === CompressionType.SNAPPY) {
      out.push(compress(codec, t, { snappyFraming: "raw" }));
    }
  }
  return out;
}
