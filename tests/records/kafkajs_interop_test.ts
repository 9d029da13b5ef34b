// RecordBatch v2 interop with kafkajs 2.2.4's encoder and decoder (no broker).
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import RB from "npm:kafkajs@2.2.4/src/protocol/recordBatch/v0/index.js";
import KjsRecord from "npm:kafkajs@2.2.4/src/protocol/recordBatch/record/v0/index.js";
import RecordBatchDecoder from "npm:kafkajs@2.2.4/src/protocol/recordBatch/v0/decoder.js";
import Decoder from "npm:kafkajs@2.2.4/src/protocol/decoder.js";
import {
  CompressionType,
  decodeRecords,
  encodeRecords,
} from "../../src/records/mod.ts";

const T0 = 1_700_000_000_000;
const messages = Array.from({ length: 50 }, (_, i) => ({
  key: i % 5 === 0 ? null : Buffer.from(`key-${i}`),
  value: Buffer.from(`value-${i}-${"x".repeat(i)}`),
  headers: i % 2
    ? { trace: Buffer.from(`t${i}`), "ünï": Buffer.from("u") }
    : {},
  timestamp: T0 + i * 3,
}));

Deno.test("kafkajs-encoded record batches decode with decodeRecords", async () => {
  for (const compression of [0, 1]) {
    const records = messages.map((m, i) =>
      KjsRecord({
        key: m.key,
        value: m.value,
        headers: m.headers,
        offsetDelta: i,
        timestampDelta: m.timestamp - T0,
      })
    );
    const batch = await RB.RecordBatch({
      compression,
      firstOffset: 200,
      firstTimestamp: T0,
      maxTimestamp: T0 + 49 * 3,
      lastOffsetDelta: 49,
      records,
    });
    const bytes = new Uint8Array(batch.buffer);
    const out = decodeRecords(bytes, { topic: "kjs", partition: 0 });
    assert.equal(out.records.length, 50);
    assert.equal(out.nextOffset, 250);
    out.records.forEach((r, i) => {
      const m = messages[i];
      assert.equal(r.offset, 200 + i);
      assert.equal(r.timestamp, m.timestamp);
      assert.equal(r.compression, compression);
      assert.deepEqual(
        r.key && Buffer.from(r.key).toString(),
        m.key?.toString() ?? null,
      );
      assert.equal(Buffer.from(r.value!).toString(), m.value.toString());
      assert.deepEqual(
        r.headers.map(([k, v]) => [k, Buffer.from(v!).toString()]),
        Object.entries(m.headers).map(([k, v]) => [k, v.toString()]),
      );
    });
  }
});

Deno.test("encodeRecords output decodes with kafkajs's RecordBatch decoder", async () => {
  for (const compression of [CompressionType.NONE, CompressionType.GZIP]) {
    const bytes = encodeRecords({
      compression,
      baseOffset: 10,
      records: messages.map((m) => ({
        key: m.key,
        value: m.value,
        headers: Object.entries(m.headers),
        timestamp: m.timestamp,
      })),
    });
    const decoded = await RecordBatchDecoder(new Decoder(Buffer.from(bytes)));
    assert.equal(decoded.records.length, 50);
    decoded.records.forEach(
      (
        r: {
          offset: string;
          timestamp: string;
          key: Buffer | null;
          value: Buffer;
          headers: Record<string, Buffer>;
        },
        i: number,
      ) => {
        const m = messages[i];
        assert.equal(r.offset, String(10 + i));
        assert.equal(r.timestamp, String(m.timestamp));
        assert.equal(r.key?.toString() ?? null, m.key?.toString() ?? null);
        assert.equal(r.value.toString(), m.value.toString());
        assert.deepEqual(
          Object.fromEntries(
            Object.entries(r.headers).map(([k, v]) => [k, v.toString()]),
          ),
          Object.fromEntries(
            Object.entries(m.headers).map(([k, v]) => [k, v.toString()]),
          ),
        );
      },
    );
  }
});
