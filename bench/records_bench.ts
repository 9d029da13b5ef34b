// Record batch encode/decode: 1000 records (16 B keys; 100 B and 1 KiB values)
// with denokafka (WebAssembly), kafkajs 2.2.4 and @platformatic/kafka 2.12.1.
//
//   deno bench -A bench/records_bench.ts
import { Buffer } from "node:buffer";
import RB from "npm:kafkajs@2.2.4/src/protocol/recordBatch/v0/index.js";
import KjsRecord from "npm:kafkajs@2.2.4/src/protocol/recordBatch/record/v0/index.js";
import RecordBatchDecoder from "npm:kafkajs@2.2.4/src/protocol/recordBatch/v0/decoder.js";
import KjsDecoder from "npm:kafkajs@2.2.4/src/protocol/decoder.js";
import {
  createRecordsBatch,
  Reader,
  readRecordsBatch,
} from "npm:@platformatic/kafka@2.12.1";
import {
  CompressionType,
  decodeRecords,
  encodeRecords,
} from "../src/records/mod.ts";

const N = 1000;
const T0 = 1_700_000_000_000;

function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

let sink = 0;
// Decode groups are registered first: the encode benches leave garbage whose
// collection would otherwise land in whichever bench runs next.
const encodeBenches: Deno.BenchDefinition[] = [];
const decodeBenches: Deno.BenchDefinition[] = [];

for (const valueSize of [100, 1024]) {
  const msgs = Array.from({ length: N }, (_, i) => ({
    key: bytes(16, i),
    value: bytes(valueSize, i + 7),
    timestamp: T0 + i,
  }));
  const ours = msgs.map((m) => ({
    key: m.key,
    value: m.value,
    timestamp: m.timestamp,
  }));
  const plat = msgs.map((m) => ({
    key: m.key,
    value: m.value,
    timestamp: BigInt(m.timestamp),
    headers: new Map(),
    topic: "bench",
  }));

  const kafkajsEncode = async (): Promise<Buffer> => {
    const records = msgs.map((m, i) =>
      KjsRecord({
        key: m.key,
        value: m.value,
        offsetDelta: i,
        timestampDelta: m.timestamp - T0,
      })
    );
    const enc = await RB.RecordBatch({
      records,
      firstTimestamp: T0,
      maxTimestamp: T0 + N - 1,
      lastOffsetDelta: N - 1,
    });
    return enc.buffer;
  };
  const platEncode = (): Buffer =>
    createRecordsBatch(plat, {}).buffer as Buffer;
  const oursEncode = (compression: CompressionType = 0) =>
    encodeRecords({ records: ours, compression });

  // All three produce the same layout; each decodes the others' batches.
  const kjsBytes = await kafkajsEncode();
  const platBytes = platEncode();
  const oursBytes = oursEncode();
  const oursLz4 = oursEncode(CompressionType.LZ4);
  const oursZstd = oursEncode(CompressionType.ZSTD);
  for (const b of [kjsBytes, platBytes, oursBytes, oursLz4, oursZstd]) {
    const d = decodeRecords(b);
    if (
      d.records.length !== N ||
      !Buffer.from(d.records[N - 1].value!).equals(msgs[N - 1].value)
    ) {
      throw new Error("decode check failed");
    }
  }
  const kd = await RecordBatchDecoder(new KjsDecoder(Buffer.from(oursBytes)));
  const pd = readRecordsBatch(Reader.from(Buffer.from(oursBytes)));
  if (kd.records.length !== N || pd.records.length !== N) {
    throw new Error("peer decode failed");
  }

  const label = `1000 records, 16 B keys, ${valueSize} B values`;
  let group = `record batch encode ${label}`;
  encodeBenches.push({
    name: `denokafka encodeRecords ${valueSize} B`,
    group,
    baseline: true,
    fn: () => {
      sink += oursEncode().length;
    },
  });
  encodeBenches.push({
    name: `denokafka encodeRecords lz4 ${valueSize} B`,
    group,
    fn: () => {
      sink += oursEncode(CompressionType.LZ4).length;
    },
  });
  encodeBenches.push({
    name: `kafkajs RecordBatch encode ${valueSize} B`,
    group,
    fn: async () => {
      sink += (await kafkajsEncode()).length;
    },
  });
  encodeBenches.push({
    name: `@platformatic/kafka createRecordsBatch ${valueSize} B`,
    group,
    fn: () => {
      sink += platEncode().length;
    },
  });

  group = `record batch decode ${label}`;
  decodeBenches.push({
    name: `denokafka decodeRecords ${valueSize} B`,
    group,
    baseline: true,
    fn: () => {
      sink += decodeRecords(oursBytes).records.length;
    },
  });
  decodeBenches.push({
    name: `denokafka decodeRecords lz4 ${valueSize} B`,
    group,
    fn: () => {
      sink += decodeRecords(oursLz4).records.length;
    },
  });
  decodeBenches.push({
    name: `denokafka decodeRecords no CRC check ${valueSize} B`,
    group,
    fn: () => {
      sink += decodeRecords(oursBytes, { verifyCrc: false }).records.length;
    },
  });
  decodeBenches.push({
    name: `kafkajs RecordBatch decode ${valueSize} B`,
    group,
    fn: async () => {
      sink +=
        (await RecordBatchDecoder(new KjsDecoder(kjsBytes))).records.length;
    },
  });
  decodeBenches.push({
    name: `@platformatic/kafka readRecordsBatch ${valueSize} B`,
    group,
    fn: () => {
      sink += readRecordsBatch(Reader.from(platBytes)).records.length;
    },
  });
}

for (const b of [...decodeBenches, ...encodeBenches]) Deno.bench(b);

globalThis.addEventListener("unload", () => {
  if (sink < 0) console.log(sink);
});
